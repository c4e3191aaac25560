import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CatalogService, GetEventResponseSchema, WatchEventTicketsResponseSchema } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { TicketStatus } from "../../gen/boxoffice/common/v1/event_pb.js";
import { watchTicketStatuses, type FeedMode, type TicketUpdate } from "../../web/src/live/ticket-feed.js";

const EVENT_ID = "00000000-0000-4000-8000-000000000001";
const TICKET = "00000000-0000-4000-8000-0000000000aa";
const FAST = { pollIntervalMs: 1, reconnectMs: 5, maxReconnectMs: 10 };
let stop: (() => void) | undefined;

afterEach(() => stop?.());

/** A catalog whose stream fails the first `failures` times, then sends a snapshot and waits. */
function catalogWithStream(failures: number) {
  const calls = { watch: 0, getEvent: 0 };
  const transport = createRouterTransport(({ service }) =>
    service(CatalogService, {
      async *watchEventTickets(_request, context) {
        calls.watch += 1;
        if (calls.watch <= failures) throw new ConnectError("catalog restarting", Code.Unavailable);
        yield create(WatchEventTicketsResponseSchema, { snapshot: true, changes: [{ ticketId: TICKET, status: TicketStatus.RESERVED }] });
        await new Promise((resolve) => context.signal.addEventListener("abort", resolve));
      },
      getEvent() {
        calls.getEvent += 1;
        return create(GetEventResponseSchema, { tickets: [{ id: TICKET, status: TicketStatus.AVAILABLE }] });
      },
    }),
  );
  return { catalog: createClient(CatalogService, transport), calls };
}

describe("the web app's live ticket feed", () => {
  it("uses the watch stream alone while it works: no GetEvent polling", async () => {
    const { catalog, calls } = catalogWithStream(0);
    const updates: TicketUpdate[] = [];
    const modes: FeedMode[] = [];
    stop = watchTicketStatuses(catalog, EVENT_ID, (update) => updates.push(update), (mode) => modes.push(mode), FAST);
    await vi.waitFor(() => expect(updates).toHaveLength(1));
    expect(updates[0]).toEqual({ snapshot: true, changes: [{ ticketId: TICKET, status: TicketStatus.RESERVED }] });
    expect(modes).toEqual(["live"]);
    expect(calls.getEvent).toBe(0);
  });

  it("falls back to GetEvent refreshes when the stream fails, and goes live again when it returns", async () => {
    const { catalog, calls } = catalogWithStream(1);
    const updates: TicketUpdate[] = [];
    const modes: FeedMode[] = [];
    stop = watchTicketStatuses(catalog, EVENT_ID, (update) => updates.push(update), (mode) => modes.push(mode), FAST);
    await vi.waitFor(() => expect(modes).toContain("live"));
    expect(modes[0]).toBe("polling");
    expect(modes.at(-1)).toBe("live");
    expect(calls.getEvent).toBeGreaterThan(0);
    expect(updates[0]).toEqual({ snapshot: true, changes: [{ ticketId: TICKET, status: TicketStatus.AVAILABLE }] });
    expect(updates.at(-1)).toEqual({ snapshot: true, changes: [{ ticketId: TICKET, status: TicketStatus.RESERVED }] });
  });
});
