import { randomBytes } from "node:crypto";
import type { Knex } from "knex";
import { whereOnSale } from "./on-sale-events.js";

export interface TracedConfirm {
  traceId: string;
  /** The span id the "browser" sent as the parent of the confirm. */
  browserSpanId: string;
  response: Response;
}

/**
 * What a browser does to buy a seat, through the edge's REST paths: search, reserve a random
 * free seat of an on-sale event, confirm it with a test card. The confirm carries a W3C
 * traceparent, as a browser's OpenTelemetry would, so its trace can be looked up by id.
 */
export async function searchReserveConfirm(edgeUrl: string, db: Knex, token: string): Promise<TracedConfirm> {
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
  const [event] = await whereOnSale(db("events")).where({ high_demand: false }).select("id", "name").orderBy("starts_at").limit(1);
  const search = await fetch(`${edgeUrl}/events/search?term=${encodeURIComponent((event.name as string).split(/\s+/)[0]!)}`);
  if (search.status !== 200) throw new Error(`search answered ${search.status}: ${await search.text()}`);
  // Demo ids repeat from seed to seed and the lock nodes are shared: a random seat is nobody else's.
  const [ticket] = await db("tickets").where({ event_id: event.id, status: "available" }).select("id").orderByRaw("random()").limit(1);
  const reserve = await fetch(`${edgeUrl}/booking/reserve`, { method: "POST", headers, body: JSON.stringify({ eventId: event.id, ticketIds: [ticket.id] }) });
  const reserved = (await reserve.json()) as { reservation?: { id: string; holdStatus: string } };
  if (reserve.status !== 200 || reserved.reservation?.holdStatus !== "HOLD_STATUS_HELD") throw new Error(`reserve answered ${reserve.status}: ${JSON.stringify(reserved)}`);

  const traceId = randomBytes(16).toString("hex");
  const browserSpanId = randomBytes(8).toString("hex");
  const response = await fetch(`${edgeUrl}/booking/confirm`, {
    method: "POST",
    headers: { ...headers, traceparent: `00-${traceId}-${browserSpanId}-01` },
    body: JSON.stringify({
      reservationId: reserved.reservation.id,
      idempotencyKey: `trace-${traceId}`,
      paymentDetails: { cardNumber: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" },
    }),
  });
  return { traceId, browserSpanId, response };
}
