/**
 * The simulated buyers of a chaos run, in a process of their own (the nemesis must not share
 * their event loop): each searches for the event and looks at the seat map now and then, reserves, confirms, releases,
 * abandons holds and buys directly
 * through the edge's REST paths, retries a purchase whose answer it never got with the same
 * idempotency key, and writes every request and what it was told to the history file.
 *   node --import tsx chaos/load-client.ts <file of LoadSettings as JSON>
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { appendLine, type Operation, type OperationKind, type Outcome } from "./history.js";
import { pick, streamFor } from "../services/catalog/demo/seeded-random.js";
import { searchLoad, type SearchLoadSettings } from "./search-load.js";

export interface LoadSettings {
  edgeUrl: string;
  eventId: string;
  ticketIds: string[];
  buyers: number;
  durationMs: number;
  seed: number;
  historyFile: string;
  /** A client gives up waiting for an answer after this long and counts it unknown. */
  requestTimeoutMs: number;
  /** Buyers search for the event before opening its seat map, and an organiser announces and renames events (chaos/search-load.ts). */
  search?: Pick<SearchLoadSettings, "eventName" | "organiserVenueId">;
}

const GOOD_CARD = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" };
const DECLINED_CARD = { ...GOOD_CARD, cardNumber: "4000000000000002" };
const MAX_PURCHASE_ATTEMPTS = 5;

const settings = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as LoadSettings;
let nextId = 1;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  body: Record<string, unknown> | undefined;
  error?: string;
}

async function call(path: string, token: string | undefined, body: unknown): Promise<Answer> {
  try {
    const response = await fetch(`${settings.edgeUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(settings.requestTimeoutMs),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      parsed = undefined;
    }
    const problem = parsed?.error as { code?: string; message?: string } | undefined;
    const error = response.ok ? undefined : (problem?.message ? `${problem.code}: ${problem.message}` : text).slice(0, 160);
    return { status: response.status, body: parsed, ...(error ? { error } : {}) };
  } catch (error) {
    return { status: 0, body: undefined, error: (error as Error).name === "TimeoutError" ? "client timeout" : String((error as Error).cause ?? error).slice(0, 160) };
  }
}

// A 4xx is a verdict; 5xx, a timeout or a dropped connection says nothing about what happened.
const outcomeOf = (status: number): Outcome => (status >= 200 && status < 300 ? "ok" : status >= 400 && status < 500 && status !== 408 && status !== 429 ? "fail" : "unknown");

function record(client: string, op: OperationKind, invokeAt: number, answer: Pick<Answer, "status" | "error">, fields: Partial<Operation>): Operation {
  const entry: Operation = {
    id: nextId++,
    client,
    user: client,
    op,
    invokeAt,
    completeAt: Date.now(),
    outcome: outcomeOf(answer.status),
    status: answer.status,
    ticketIds: [],
    ...(answer.error ? { error: answer.error } : {}),
    ...fields,
  };
  appendLine(settings.historyFile, entry);
  return entry;
}

async function tokenFor(user: string, until: number): Promise<string> {
  for (;;) {
    const answer = await call("/auth/token", undefined, { userId: user });
    if (answer.status === 200 && typeof answer.body?.token === "string") return answer.body.token;
    if (Date.now() > until) throw new Error(`no token for ${user}: ${answer.status} ${answer.error}`);
    await sleep(500);
  }
}

/** A purchase (by reservation or direct), retried with one key until it gets a verdict. */
async function purchase(user: string, token: string, random: () => number, what: { reservationId?: string; ticketIds: string[] }, until: number): Promise<void> {
  const idempotencyKey = randomUUID();
  const card = random() < 0.1 ? DECLINED_CARD : GOOD_CARD;
  const op: OperationKind = what.reservationId ? "confirm" : "buy";
  const body = what.reservationId
    ? { reservationId: what.reservationId, idempotencyKey, paymentDetails: card }
    : { eventId: settings.eventId, ticketIds: what.ticketIds, idempotencyKey, paymentDetails: card };
  // Past the end of the load a buyer still finishes what it started, as a person would keep
  // retrying a payment they had started; the checker needs the final answer.
  for (let attempt = 1; attempt <= MAX_PURCHASE_ATTEMPTS; attempt += 1) {
    const invokeAt = Date.now();
    const answer = await call("/booking/confirm", token, body);
    const booking = answer.body?.booking as { id?: string } | undefined;
    const entry = record(user, op, invokeAt, answer, { ticketIds: what.ticketIds, idempotencyKey, attempt, ...(what.reservationId ? { reservationId: what.reservationId } : {}), ...(booking?.id ? { bookingId: booking.id } : {}) });
    if (entry.outcome !== "unknown") return;
    if (Date.now() > until + 30_000) return;
    await sleep(300 + random() * 700);
  }
}

/**
 * The seats the seat map shows as available, as a buyer would look before choosing (the map is
 * a little stale by the time they click, so buyers still collide); every seat when the map does
 * not answer (edge down), so the buyers keep trying through a fault.
 */
async function availableSeats(): Promise<string[]> {
  try {
    const response = await fetch(`${settings.edgeUrl}/events/${settings.eventId}/tickets`, { signal: AbortSignal.timeout(settings.requestTimeoutMs) });
    if (!response.ok) return settings.ticketIds;
    const { tickets } = (await response.json()) as { tickets?: Array<{ id: string; status: string }> };
    const free = (tickets ?? []).filter((ticket) => ticket.status === "TICKET_STATUS_AVAILABLE").map((ticket) => ticket.id);
    return free.length > 0 ? free : settings.ticketIds;
  } catch {
    return settings.ticketIds;
  }
}

const search = settings.search ? searchLoad({ ...settings, ...settings.search }, record) : undefined;

async function buyer(index: number, until: number): Promise<void> {
  const user = `buyer-${index}`;
  const random = streamFor(settings.seed, index);
  let token = await tokenFor(user, until);
  let seatMap = settings.ticketIds;
  for (let round = 0; Date.now() < until; round += 1) {
    // Every other round a buyer finds the event by searching first, as people do.
    if (search && round % 2 === 0) await search.search(user, random);
    if (round % 4 === 0) seatMap = await availableSeats();
    const seats = Array.from(new Set(Array.from({ length: random() < 0.7 ? 1 : 2 }, () => pick(random, seatMap))));
    if (random() < 0.25) {
      await purchase(user, token, random, { ticketIds: seats }, until);
    } else {
      const invokeAt = Date.now();
      const answer = await call("/booking/reserve", token, { eventId: settings.eventId, ticketIds: seats });
      if (answer.status === 401) token = await tokenFor(user, until);
      const reservation = answer.body?.reservation as { id?: string; holdStatus?: string; expiresAt?: string } | undefined;
      const held = reservation?.holdStatus === "HOLD_STATUS_HELD";
      record(user, "reserve", invokeAt, answer, {
        ticketIds: seats,
        ...(reservation?.id ? { reservationId: reservation.id } : {}),
        ...(reservation ? { held } : {}),
        ...(reservation?.expiresAt ? { expiresAt: Date.parse(reservation.expiresAt) } : {}),
      });
      if (answer.status === 200 && reservation?.id) {
        // A buyer takes a moment over the payment form.
        await sleep(100 + random() * 400);
        const next = random();
        if (!held || next < 0.7) await purchase(user, token, random, held ? { reservationId: reservation.id, ticketIds: seats } : { ticketIds: seats }, until);
        else if (next < 0.9) {
          const releaseAt = Date.now();
          const released = await call("/booking/release", token, { reservationId: reservation.id });
          record(user, "release", releaseAt, released, { ticketIds: seats, reservationId: reservation.id });
        }
        // else: abandoned, the hold expires by itself
      }
    }
    await sleep(50 + random() * 250);
  }
}

const until = Date.now() + settings.durationMs;
await Promise.all([
  ...Array.from({ length: settings.buyers }, (_, index) => buyer(index, until)),
  ...(search ? [search.organiser(until), search.browser(0, until), search.browser(1, until)] : []),
]);
