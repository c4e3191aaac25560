import { create, fromBinary, toBinary, toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { WatchEventTicketsResponseSchema } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { TicketStatus } from "../../../gen/boxoffice/common/v1/event_pb.js";
import { SharedMessage, preEncoded } from "./shared-message.js";

describe("a message shared by many streams", () => {
  const message = create(WatchEventTicketsResponseSchema, {
    snapshot: true,
    changes: Array.from({ length: 300 }, (_, i) => ({ ticketId: `ticket-${i}`, status: TicketStatus.RESERVED })),
    holdsUnknown: true,
    availability: new Uint8Array([1, 2, 3]),
    seatChanges: [{ position: 7, status: TicketStatus.BOOKED }],
  });

  it("encodes, through its binary stand-in, to exactly the bytes of the message", () => {
    const bytes = toBinary(WatchEventTicketsResponseSchema, message);
    const standIn = new SharedMessage(WatchEventTicketsResponseSchema, message).binary;
    expect(toBinary(WatchEventTicketsResponseSchema, standIn)).toEqual(bytes);
    expect(fromBinary(WatchEventTicketsResponseSchema, toBinary(WatchEventTicketsResponseSchema, standIn))).toEqual(message);
  });

  it("encodes once, however many streams take it", () => {
    const shared = new SharedMessage(WatchEventTicketsResponseSchema, message);
    expect(shared.binary).toBe(shared.binary);
  });

  it("keeps an empty message empty, and leaves JSON to the decoded message", () => {
    expect(toBinary(WatchEventTicketsResponseSchema, preEncoded(WatchEventTicketsResponseSchema, new Uint8Array(0)))).toHaveLength(0);
    expect(toJson(WatchEventTicketsResponseSchema, new SharedMessage(WatchEventTicketsResponseSchema, message).message)).toMatchObject({ snapshot: true, holdsUnknown: true });
  });
});
