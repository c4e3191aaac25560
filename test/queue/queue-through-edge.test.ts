import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform } from "../support/embedded-platform-fixture.js";
import { eventually } from "../support/spawned-service.js";

// The embedded default as `npm start` runs it: the queue in process, its high-demand events'
// queues opened at start, the edge's REST and Connect paths in front.
let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let base: string;
let hotEventId: string;
let hotTicketId: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  base = `http://${platform.address("edge")}`;
  const [row] = await platform.db("events").where({ high_demand: true }).select("id");
  hotEventId = row.id;
  const [ticket] = await platform.db("tickets").where({ event_id: hotEventId, status: "available" }).select("id").limit(1);
  hotTicketId = ticket.id;
});

afterAll(async () => {
  await platform?.close();
});

async function tokenOf(userId: string, roles: string[] = ["buyer"]): Promise<string> {
  const response = await fetch(`${base}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ userId, roles }) });
  return ((await response.json()) as { token: string }).token;
}

const call = async (method: "GET" | "POST", path: string, token?: string, body?: unknown) => {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};
const connect = (procedure: string, token: string, body: unknown) => call("POST", `/boxoffice.queue.v1.QueueService/${procedure}`, token, body);

describe("a high-demand event's waiting room at the edge (embedded default)", () => {
  it("refuses to reserve the event's tickets without an admission, naming the way in", async () => {
    const refused = await call("POST", "/booking/reserve", await tokenOf("no-queue"), { eventId: hotEventId, ticketIds: [hotTicketId] });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/waiting room: join its queue/);
  });

  it("asks for a sign-in before joining", async () => {
    expect((await call("POST", `/queue/${hotEventId}/join`)).status).toBe(401);
  });

  it("answers the same place to a second join, and after leaving, none", async () => {
    const admin = await tokenOf("ops", ["admin"]);
    expect((await connect("PauseQueue", admin, { eventId: hotEventId })).body.queue.state).toBe("QUEUE_STATE_PAUSED");
    const buyer = await tokenOf("twice");
    const first = await call("POST", `/queue/${hotEventId}/join`, buyer);
    const second = await call("POST", `/queue/${hotEventId}/join`, buyer);
    expect(first.status).toBe(200);
    expect(second.body.place).toMatchObject({ status: "PLACE_STATUS_WAITING", position: first.body.place.position, queueLength: first.body.place.queueLength });
    expect((await call("POST", `/queue/${hotEventId}/leave`, buyer)).body).toEqual({ left: true });
    expect((await call("GET", `/queue/${hotEventId}`, buyer)).body.place.status).toBe("PLACE_STATUS_NOT_IN_QUEUE");
    await connect("ResumeQueue", admin, { eventId: hotEventId });
  });

  it("admits a buyer whose admission token then reserves and confirms the event's seats", async () => {
    const buyer = await tokenOf("admitted-buyer");
    await call("POST", `/queue/${hotEventId}/join`, buyer);
    const admitted = await eventually(async () => {
      const { body } = await call("GET", `/queue/${hotEventId}`, buyer);
      expect(body.place.status).toBe("PLACE_STATUS_ADMITTED");
      return body.place as { admissionToken: string };
    }, 15_000);
    const reserved = await call("POST", "/booking/reserve", buyer, { eventId: hotEventId, ticketIds: [hotTicketId], admissionToken: admitted.admissionToken });
    expect(reserved.status).toBe(200);
    const confirmed = await call("POST", "/booking/confirm", buyer, {
      reservationId: reserved.body.reservation.id,
      idempotencyKey: "admitted-buyer-1",
      admissionToken: admitted.admissionToken,
      paymentDetails: { cardNumber: "4242424242424242", expMonth: 12, expYear: 2030, cvc: "123" },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.booking.tickets.map((ticket: { ticketId: string }) => ticket.ticketId)).toEqual([hotTicketId]);
  });
});
