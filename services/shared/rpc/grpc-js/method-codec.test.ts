import { create, fromBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { CatalogService, WatchEventTicketsResponseSchema } from "../../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { methodCodec } from "./method-codec.js";

describe("the grpc-js method codec", () => {
  it("encodes a message shared by many streams once, and a fresh message anew", () => {
    const codec = methodCodec(CatalogService.method.watchEventTickets);
    const shared = create(WatchEventTicketsResponseSchema, { snapshot: true, changes: [{ ticketId: "t1" }] });
    const bytes = codec.serializeSharedOutput(shared);
    expect(codec.serializeSharedOutput(shared)).toBe(bytes);
    expect(fromBinary(WatchEventTicketsResponseSchema, bytes)).toEqual(shared);
    expect(codec.serializeSharedOutput(create(WatchEventTicketsResponseSchema, { snapshot: true, changes: [{ ticketId: "t1" }] }))).not.toBe(bytes);
  });
});
