import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { WatchEventTicketsResponseSchema } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { TicketStatus } from "../../../gen/boxoffice/common/v1/event_pb.js";
import { mergeWatchChanges } from "./watch-merge.js";

const message = (init: Parameters<typeof create<typeof WatchEventTicketsResponseSchema>>[1]) => create(WatchEventTicketsResponseSchema, init);

describe("merging a watch's change messages", () => {
  it("keeps each seat's last status and the latest versions, as applying the messages in order would", () => {
    const merged = mergeWatchChanges([
      message({ seatChanges: [{ position: 7, status: TicketStatus.RESERVED }, { position: 3, status: TicketStatus.RESERVED }], availabilityVersion: "v2", layoutVersion: "L1" }),
      message({ seatChanges: [{ position: 7, status: TicketStatus.AVAILABLE }], availabilityVersion: "v3", layoutVersion: "L1", holdsUnknown: true }),
    ])!;
    expect(merged.seatChanges.map(({ position, status }) => [position, status])).toEqual([
      [3, TicketStatus.RESERVED],
      [7, TicketStatus.AVAILABLE],
    ]);
    expect([merged.snapshot, merged.availabilityVersion, merged.layoutVersion, merged.holdsUnknown]).toEqual([false, "v3", "L1", true]);
  });

  it("has no delta form for a run holding a snapshot (the caller sends the state instead)", () => {
    expect(mergeWatchChanges([message({ changes: [{ ticketId: "t1", status: TicketStatus.BOOKED }] }), message({ snapshot: true })])).toBeUndefined();
  });
});
