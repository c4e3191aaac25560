import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CatalogService, GetEventAvailabilityResponseSchema, LayoutSectionSchema, WatchEventTicketsResponseSchema } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { TicketStatus } from "../../gen/boxoffice/common/v1/event_pb.js";
import { watchAvailability, type AvailabilityUpdate } from "../../web/src/live/availability-feed.js";
import { placeSeats } from "../../web/src/stadium/section-seats.js";
import { seatStatus } from "../../web/src/stadium/seat-states.js";

const EVENT_ID = "00000000-0000-4000-8000-000000000001";
const FAST = { pollIntervalMs: 1, reconnectMs: 5, maxReconnectMs: 10 };
let stop: (() => void) | undefined;

afterEach(() => stop?.());

/** A catalog whose compact stream fails the first `failures` times, then sends the bits and one change. */
function catalogWithCompactStream(failures: number) {
  const calls = { watch: 0, availability: 0, compact: [] as boolean[] };
  const transport = createRouterTransport(({ service }) =>
    service(CatalogService, {
      async *watchEventTickets(request, context) {
        calls.watch += 1;
        calls.compact.push(request.compact);
        if (calls.watch <= failures) throw new ConnectError("catalog restarting", Code.Unavailable);
        yield create(WatchEventTicketsResponseSchema, { snapshot: true, layoutVersion: "L1", availability: new Uint8Array([0b10_00_01_00]), availabilityVersion: "A1" });
        yield create(WatchEventTicketsResponseSchema, { layoutVersion: "L1", seatChanges: [{ position: 1, status: TicketStatus.AVAILABLE }], availabilityVersion: "A2" });
        await new Promise((resolve) => context.signal.addEventListener("abort", resolve));
      },
      getEventAvailability() {
        calls.availability += 1;
        return create(GetEventAvailabilityResponseSchema, { layoutVersion: "L1", seats: new Uint8Array([0]), version: "A0" });
      },
    }),
  );
  return { catalog: createClient(CatalogService, transport), calls };
}

describe("the web app's stadium availability feed", () => {
  it("asks for the compact watch and passes on the bits, then seat changes by position", async () => {
    const { catalog, calls } = catalogWithCompactStream(0);
    const updates: AvailabilityUpdate[] = [];
    stop = watchAvailability(catalog, EVENT_ID, (update) => updates.push(update), () => undefined, FAST);
    await vi.waitFor(() => expect(updates).toHaveLength(2));
    expect(calls.compact).toEqual([true]);
    const [snapshot, changes] = updates;
    expect(snapshot!.kind).toBe("snapshot");
    if (snapshot!.kind === "snapshot") expect([0, 1, 2, 3].map((p) => seatStatus(snapshot!.bits, p))).toEqual([TicketStatus.AVAILABLE, TicketStatus.RESERVED, TicketStatus.AVAILABLE, TicketStatus.BOOKED]);
    expect(changes).toEqual({ kind: "changes", changes: [{ position: 1, status: TicketStatus.AVAILABLE }] });
    expect(calls.availability).toBe(0);
  });

  it("refreshes with GetEventAvailability while the stream fails", async () => {
    const { catalog, calls } = catalogWithCompactStream(1);
    const updates: AvailabilityUpdate[] = [];
    stop = watchAvailability(catalog, EVENT_ID, (update) => updates.push(update), () => undefined, FAST);
    await vi.waitFor(() => expect(updates.length).toBeGreaterThanOrEqual(3));
    expect(calls.availability).toBeGreaterThan(0);
    expect(updates[0]).toMatchObject({ kind: "snapshot", layoutVersion: "L1" });
  });
});

describe("a stadium section's seats on the grid", () => {
  it("puts seats at their numbers in their rows, with their layout positions", () => {
    const section = create(LayoutSectionSchema, { code: "N", firstPosition: 100, seatCount: 4, rows: [{ label: "A", runs: [{ firstSeat: 1, count: 2, priceIndex: 0 }, { firstSeat: 4, count: 1, priceIndex: 1 }] }, { label: "B", runs: [{ firstSeat: 2, count: 1 }] }] });
    const { seats, columns, rows } = placeSeats(section);
    expect(seats.map((s) => [s.row, s.seat, s.x, s.y, s.position, s.offset, s.priceIndex])).toEqual([
      ["A", 1, 0, 0, 100, 0, 0],
      ["A", 2, 1, 0, 101, 1, 0],
      ["A", 4, 3, 0, 102, 2, 1],
      ["B", 2, 1, 1, 103, 3, 0],
    ]);
    expect([columns, rows]).toEqual([4, 2]);
  });

  it("wraps a standing area's places fifty to a line", () => {
    const area = create(LayoutSectionSchema, { code: "PIT", generalAdmission: true, seatCount: 120, rows: [{ label: "", runs: [{ firstSeat: 1, count: 120 }] }] });
    const { seats, columns, rows } = placeSeats(area);
    expect([columns, rows]).toEqual([50, 3]);
    expect([seats[50]!.x, seats[50]!.y]).toEqual([0, 1]);
  });
});
