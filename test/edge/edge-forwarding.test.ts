import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterEach, describe, expect, it } from "vitest";
import { CatalogService, GetEventResponseSchema } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { TicketStatus } from "../../gen/boxoffice/common/v1/event_pb.js";
import { devToken, startEdgeWithFakes, type EdgeUnderTest } from "./fake-upstream-edge.js";

const EVENT_ID = "00000000-0000-4000-8000-000000000001";
const TICKET_ID = "00000000-0000-4000-8000-0000000000aa";
let edge: EdgeUnderTest | undefined;

afterEach(async () => {
  await edge?.close();
  edge = undefined;
});

const unavailable = () => new ConnectError("service restarting", Code.Unavailable);
const eventResponse = () => create(GetEventResponseSchema, { event: { id: EVENT_ID, name: "The Test Show" } });

async function post(path: string, body: unknown, token?: string) {
  const response = await fetch(`${edge!.base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; details?: Record<string, unknown> } } };
}

describe("the edge forwards to the services with retries only where they are safe", () => {
  it("retries a side-effect-free read once when the service was unavailable", async () => {
    let attempts = 0;
    edge = await startEdgeWithFakes({
      catalog: {
        getEvent() {
          attempts += 1;
          if (attempts === 1) throw unavailable();
          return eventResponse();
        },
      },
    });
    const catalog = createClient(CatalogService, createConnectTransport({ baseUrl: edge.base, httpVersion: "1.1" }));
    expect((await catalog.getEvent({ eventId: EVENT_ID })).event?.name).toBe("The Test Show");
    expect(edge.callsTo("GetEvent")).toHaveLength(2);
  });

  it("gives up on a read after the one retry and answers 503", async () => {
    edge = await startEdgeWithFakes({
      catalog: {
        getEvent() {
          throw unavailable();
        },
      },
    });
    const response = await fetch(`${edge.base}/events/${EVENT_ID}`);
    expect(response.status).toBe(503);
    expect(edge.callsTo("GetEvent")).toHaveLength(2);
  });

  it("never retries ReserveTickets, which has no idempotency key", async () => {
    edge = await startEdgeWithFakes({
      booking: {
        reserveTickets() {
          throw unavailable();
        },
      },
    });
    const response = await post("/booking/reserve", { eventId: EVENT_ID, ticketIds: [TICKET_ID] }, await devToken("alice"));
    expect(response.status).toBe(503);
    expect(edge.callsTo("ReserveTickets")).toHaveLength(1);
  });

  it("leaves retrying ConfirmBooking to the client, which resends its idempotency key", async () => {
    edge = await startEdgeWithFakes({
      booking: {
        confirmBooking() {
          throw unavailable();
        },
      },
    });
    const card = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" };
    const response = await post("/booking/confirm", { eventId: EVENT_ID, ticketIds: [TICKET_ID], paymentDetails: card, idempotencyKey: "key-12345678" }, await devToken("alice"));
    expect(response.status).toBe(503);
    expect(edge.callsTo("ConfirmBooking")).toHaveLength(1);
  });

  it("sends every forwarded call with a deadline no longer than the edge's", async () => {
    edge = await startEdgeWithFakes({ catalog: { getEvent: eventResponse } }, { upstreamTimeoutMs: 3_000 });
    const catalog = createClient(CatalogService, createConnectTransport({ baseUrl: edge.base, httpVersion: "1.1" }));
    await catalog.getEvent({ eventId: EVENT_ID }, { timeoutMs: 60_000 });
    await fetch(`${edge.base}/events/${EVENT_ID}`);
    const deadlines = edge.callsTo("GetEvent").map((call) => call.timeoutMs);
    expect(deadlines).toHaveLength(2);
    for (const deadline of deadlines) {
      expect(deadline).toBeGreaterThan(0);
      expect(deadline).toBeLessThanOrEqual(3_000);
    }
  });

  it("ends a call the service does not answer with DEADLINE_EXCEEDED (504 on REST), and does not retry it", async () => {
    edge = await startEdgeWithFakes(
      {
        catalog: {
          // Answers only when the caller gives up.
          getEvent: (_request, context) => new Promise((_resolve, reject) => context.signal.addEventListener("abort", () => reject(context.signal.reason))),
        },
      },
      { upstreamTimeoutMs: 200 },
    );
    const response = await fetch(`${edge.base}/events/${EVENT_ID}`);
    expect(response.status).toBe(504);
    expect(edge.callsTo("GetEvent")).toHaveLength(1);
  });

  it("passes a service's error details on to Connect and REST clients", async () => {
    const details = JSON.stringify({ kind: "conflict", reason: "held", ticketIds: [TICKET_ID] });
    edge = await startEdgeWithFakes({
      booking: {
        reserveTickets() {
          throw new ConnectError("held by another buyer", Code.FailedPrecondition, { "boxoffice-error-details": details, "x-internal-host": "booking-7f9" });
        },
      },
    });
    const token = await devToken("alice");
    const rest = await post("/booking/reserve", { eventId: EVENT_ID, ticketIds: [TICKET_ID] }, token);
    expect(rest.status).toBe(409);
    expect(rest.body.error?.details).toMatchObject({ reason: "held", ticketIds: [TICKET_ID] });

    const connect = await fetch(`${edge.base}/boxoffice.booking.v1.BookingService/ReserveTickets`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ eventId: EVENT_ID, ticketIds: [TICKET_ID] }),
    });
    expect(((await connect.json()) as { code: string }).code).toBe("failed_precondition");
    expect(JSON.parse(connect.headers.get("boxoffice-error-details")!)).toMatchObject({ reason: "held", ticketIds: [TICKET_ID] });
    expect(connect.headers.get("x-internal-host")).toBeNull();
  });

  it("forwards WatchEventTickets as a stream: the snapshot, then each change", async () => {
    // The change comes once the browser has its snapshot: one joining later gets the state then (the edge's relay).
    let snapshotRead!: () => void;
    const afterSnapshot = new Promise<void>((resolve) => (snapshotRead = resolve));
    edge = await startEdgeWithFakes({
      catalog: {
        async *watchEventTickets() {
          yield { snapshot: true, changes: [{ ticketId: TICKET_ID, status: TicketStatus.AVAILABLE }] };
          await afterSnapshot;
          yield { snapshot: false, changes: [{ ticketId: TICKET_ID, status: TicketStatus.RESERVED }] };
        },
      },
    });
    const catalog = createClient(CatalogService, createConnectTransport({ baseUrl: edge.base, httpVersion: "1.1" }));
    const received: Array<[boolean, TicketStatus | undefined]> = [];
    for await (const message of catalog.watchEventTickets({ eventId: EVENT_ID })) {
      received.push([message.snapshot, message.changes[0]?.status]);
      snapshotRead();
    }
    expect(received).toEqual([
      [true, TicketStatus.AVAILABLE],
      [false, TicketStatus.RESERVED],
    ]);
  });
});
