import { describe, expect, it } from "vitest";
import { createAdmissionStore, forgetAllAdmissions, type TabStorage } from "../../web/src/session/admission-store.js";

/** sessionStorage's interface over a Map: Node has no Web Storage. */
function memoryStorage(): TabStorage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

const EVENT = "00000000-0000-4000-8000-000000000001";
const OTHER = "00000000-0000-4000-8000-000000000002";

describe("the web app's admissions, kept per event for the tab", () => {
  it("gives an admission back until it expires, per event", () => {
    const storage = memoryStorage();
    const expiresAt = new Date("2026-12-05T19:15:00Z");
    createAdmissionStore(storage).set(EVENT, { token: "signed", expiresAt });
    // A new store on the same storage: what the page finds after a refresh.
    const afterRefresh = createAdmissionStore(storage);
    expect(afterRefresh.get(EVENT, new Date("2026-12-05T19:14:59Z"))).toEqual({ token: "signed", expiresAt });
    expect(afterRefresh.get(EVENT, expiresAt)).toBeUndefined();
    expect(afterRefresh.get(OTHER, new Date("2026-12-05T19:00:00Z"))).toBeUndefined();
  });

  it("forgets one event's admission, or every admission at sign-out, and nothing else in the tab", () => {
    const storage = memoryStorage();
    const store = createAdmissionStore(storage);
    const expiresAt = new Date("2026-12-05T19:15:00Z");
    const before = new Date("2026-12-05T19:00:00Z");
    store.set(EVENT, { token: "one", expiresAt });
    store.set(OTHER, { token: "two", expiresAt });
    storage.setItem("boxoffice.queue-first.x", "7");
    store.forget(EVENT);
    expect(store.get(EVENT, before)).toBeUndefined();
    expect(store.get(OTHER, before)?.token).toBe("two");
    forgetAllAdmissions(storage);
    expect(store.get(OTHER, before)).toBeUndefined();
    expect(storage.getItem("boxoffice.queue-first.x")).toBe("7");
  });

  it("reads a damaged entry as no admission", () => {
    const storage = memoryStorage();
    storage.setItem(`boxoffice.admission.${EVENT}`, "{not json");
    expect(createAdmissionStore(storage).get(EVENT)).toBeUndefined();
  });
});
