import { describe, expect, it } from "vitest";
import { changedKeyCount, mergeChangedKeys, noChangedKeys, recordRowChange } from "./changed-keys.js";

describe("changed keys", () => {
  it("tie each followed table's change to what the search documents depend on", () => {
    const keys = noChangedKeys();
    expect(recordRowChange(keys, { table: "events", row: { id: "e1" } })).toBe(true);
    expect(recordRowChange(keys, { table: "event_performers", row: { event_id: "e2", performer_id: "p1" } })).toBe(true);
    expect(recordRowChange(keys, { table: "tickets", row: { id: "t1", event_id: "e3" } })).toBe(true);
    expect(recordRowChange(keys, { table: "venues", row: { id: "v1" } })).toBe(true);
    expect(recordRowChange(keys, { table: "performers", row: { id: "p1" } })).toBe(true);
    expect(keys).toEqual({ events: new Set(["e1", "e2", "e3"]), venues: new Set(["v1"]), performers: new Set(["p1"]), everything: false });
  });

  it("cannot tie a deleted ticket, whose key is only its own id", () => {
    expect(recordRowChange(noChangedKeys(), { table: "tickets", row: { id: "t1" } })).toBe(false);
  });

  it("collapse repeats, so a burst of bookings for one event is one document write", () => {
    const batch = noChangedKeys();
    for (let i = 0; i < 100; i++) {
      const keys = noChangedKeys();
      recordRowChange(keys, { table: "tickets", row: { id: `t${i}`, event_id: "hot" } });
      mergeChangedKeys(batch, keys);
    }
    expect(changedKeyCount(batch)).toBe(1);
  });
});
