import { create, fromBinary, toBinary, toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { WatchEventTicketsResponseSchema } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { TicketStatus } from "../../../gen/boxoffice/common/v1/event_pb.js";
import { framedOnce } from "../../shared/streams/message-frames.js";
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

  it("has one data frame, the envelope of its encoding, which every stream given the stand-in writes", () => {
    const shared = new SharedMessage(WatchEventTicketsResponseSchema, message);
    const bytes = toBinary(WatchEventTicketsResponseSchema, message);
    expect(shared.frame[0]).toBe(0);
    expect(shared.frame.readUInt32BE(1)).toBe(bytes.length);
    expect(shared.frame.subarray(5)).toEqual(Buffer.from(bytes));
    // The framed path looks the stand-in up: the very Buffer, not a copy, not encoded again.
    expect(framedOnce(WatchEventTicketsResponseSchema, shared.binary)).toBe(shared.frame);
    expect(framedOnce(WatchEventTicketsResponseSchema, shared.binary)).toBe(framedOnce(WatchEventTicketsResponseSchema, shared.binary));
  });
});
