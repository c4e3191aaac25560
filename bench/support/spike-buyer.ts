/**
 * One simulated buyer of the spike, through the edge over Connect as the web app goes: join the
 * event's waiting room and follow its place (a WatchQueuePosition stream, or GetQueuePosition
 * polls paced by the estimated wait), and once admitted read the seat map's availability, pick
 * free seats, reserve them (other seats on a conflict, a bounded number of times), then pay with
 * a test card: it pays, is declined (the buyer then releases its seats), or the buyer walks away
 * with its hold. Without a waiting room ("direct") it goes straight to the seat map.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Code, ConnectError, type Client } from "@connectrpc/connect";
import type { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import type { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { PlaceStatus, type QueuePlace, type QueueService } from "../../gen/boxoffice/queue/v1/queue_pb.js";
import { seededRandom, type PlannedBuyer } from "./spike-buyers.js";
import type { BuyerRecord, Outcome, Recorder } from "./spike-recorder.js";
import { pickSeats, readSeats } from "./seat-picker.js";

export const PAYING_CARD = "4242424242424242";
export const DECLINED_CARD = "4000000000000002";
/** The web app's poll while a queue stream is down. */
const STREAM_RETRY_MS = 3_000;
const CALL_TIMEOUT_MS = 30_000;
// No signal is shared by the buyers: thousands of listeners on one AbortSignal make each call's
// add and remove of its listener a scan of them all, which became the load process's main cost.

export interface BuyerContext {
  clients: { queue: Client<typeof QueueService>; queueStream: Client<typeof QueueService>; catalog: Client<typeof CatalogService>; booking: Client<typeof BookingService> };
  recorder: Recorder;
  eventId: string;
  /** Ticket ids in layout order: position → ticket. */
  ticketIds: readonly string[];
  onSaleAtMs: number;
  queue: boolean;
  wait: "watch" | "poll";
  pollSeconds: number;
  reserveAttempts: number;
  patienceSeconds: number;
  /** Epoch ms after which a waiting buyer gives up. */
  giveUpAtMs: number;
}

const now = () => performance.timeOrigin + performance.now();

/** Codes a browser retries after a pause: the platform is busy or briefly away. */
const RETRIABLE = new Set([Code.Unavailable, Code.DeadlineExceeded, Code.ResourceExhausted, Code.Canceled, Code.Unknown, Code.Internal]);
const JOIN_ATTEMPTS = 3;

class Finished extends Error {
  constructor(readonly outcome: "sold_out" | "timed_out" | "refused" | "join_failed") {
    super(outcome);
  }
}

export async function runBuyer(ctx: BuyerContext, plan: PlannedBuyer, token: string): Promise<void> {
  const random = seededRandom(plan.seed);
  const headers = { authorization: `Bearer ${token}` };
  const call = { headers, timeoutMs: CALL_TIMEOUT_MS };
  const { recorder, clients, eventId } = ctx;
  const record: BuyerRecord = { userId: plan.userId, joinSentAt: now(), reserveAttempts: 0, ticketIds: [], outcome: "gave_up" };
  try {
    let admissionToken = "";
    if (ctx.queue) {
      const place = await join(ctx, call, random);
      record.joinStatus = PlaceStatus[place.status];
      admissionToken = await waitForAdmission(ctx, place, call, random);
      record.admittedSeenAt = now();
    }
    record.outcome = await buy(ctx, plan, record, admissionToken, call, random);
  } catch (error) {
    if (error instanceof Finished) record.outcome = error.outcome;
    else if (now() > ctx.giveUpAtMs) record.outcome = "timed_out";
    else record.outcome = "gave_up";
  }
  recorder.buyer(record);
}

type CallOptions = { headers: Record<string, string>; timeoutMs: number };

/** JoinQueue, tried again after a pause when the platform is too busy to answer, as a browser's retry would. */
async function join(ctx: BuyerContext, call: CallOptions, random: () => number): Promise<QueuePlace> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await ctx.recorder.timed("join", () => ctx.clients.queue.joinQueue({ eventId: ctx.eventId }, call))).place!;
    } catch (error) {
      if (attempt >= JOIN_ATTEMPTS || !RETRIABLE.has(ConnectError.from(error).code)) throw new Finished("join_failed");
      await sleep(2_000 + 3_000 * random());
    }
  }
}

/** Follows the place until admitted; answers the admission token. */
async function waitForAdmission(ctx: BuyerContext, first: QueuePlace, call: CallOptions, random: () => number): Promise<string> {
  let place = first;
  for (;;) {
    const settled = settle(place);
    if (settled !== undefined) return settled;
    if (place.status === PlaceStatus.NOT_IN_QUEUE || place.status === PlaceStatus.ADMISSION_EXPIRED) {
      place = await join(ctx, call, random);
      continue;
    }
    if (now() > ctx.giveUpAtMs) throw new Finished("timed_out");
    place = ctx.wait === "watch" ? await watchOnce(ctx, call) : await pollOnce(ctx, place, call, random);
  }
}

/** The admission token once admitted; throws when the queue is sold out; undefined while waiting. */
function settle(place: QueuePlace): string | undefined {
  if (place.status === PlaceStatus.ADMITTED) return place.admissionToken;
  if (place.status === PlaceStatus.SOLD_OUT) throw new Finished("sold_out");
  return undefined;
}

/** Paced by the estimate: often near the front, at most every pollSeconds further back (with jitter, as browsers drift apart). */
async function pollOnce(ctx: BuyerContext, place: QueuePlace, call: CallOptions, random: () => number): Promise<QueuePlace> {
  const estimateMs = place.estimatedWaitSeconds === undefined ? ctx.pollSeconds * 1000 : Number(place.estimatedWaitSeconds) * 1000;
  const pauseMs = Math.min(ctx.pollSeconds * 1000, Math.max(1000, estimateMs / 2)) * (0.8 + 0.4 * random());
  await sleep(pauseMs);
  try {
    return (await ctx.recorder.timed("position", () => ctx.clients.queue.getQueuePosition({ eventId: ctx.eventId }, call))).place!;
  } catch (error) {
    return place;
  }
}

/** One WatchQueuePosition stream until it ends: the last place it told. A broken stream is retried as the web app does. */
async function watchOnce(ctx: BuyerContext, call: CallOptions): Promise<QueuePlace> {
  const opened = performance.now();
  let last: QueuePlace | undefined;
  try {
    for await (const { place } of ctx.clients.queueStream.watchQueuePosition({ eventId: ctx.eventId }, { headers: call.headers, signal: AbortSignal.timeout(Math.max(1, Math.ceil(ctx.giveUpAtMs - now()))) })) {
      if (!last) ctx.recorder.note("position", performance.now() - opened);
      last = place!;
      if (settle(last) !== undefined) return last;
    }
  } catch (error) {
    if (error instanceof Finished) throw error;
    if (!last) ctx.recorder.note("position", performance.now() - opened, Code[ConnectError.from(error).code]);
    await sleep(STREAM_RETRY_MS);
    return (await ctx.recorder.timed("position", () => ctx.clients.queue.getQueuePosition({ eventId: ctx.eventId }, call))).place!;
  }
  if (last) return last;
  return (await ctx.recorder.timed("position", () => ctx.clients.queue.getQueuePosition({ eventId: ctx.eventId }, call))).place!;
}

async function buy(ctx: BuyerContext, plan: PlannedBuyer, record: BuyerRecord, admissionToken: string, call: CallOptions, random: () => number): Promise<Outcome> {
  const { recorder, clients, eventId } = ctx;
  const avoid = new Set<number>();
  let reservation: { id: string; ticketIds: string[] } | undefined;
  // While every unsold seat is held, the buyer looks again every few seconds (holds expire or are
  // released) until its patience runs out; conflicts cost reserve attempts.
  const patientUntil = now() + ctx.patienceSeconds * 1000;
  while (!reservation && record.reserveAttempts < ctx.reserveAttempts) {
    const availability = await recorder.timed("availability", () => clients.catalog.getEventAvailability({ eventId }, call)).catch(() => undefined);
    if (!availability) {
      record.reserveAttempts += 1;
      await sleep(1000 + 1000 * random());
      continue;
    }
    const seats = readSeats(availability.seats, ctx.ticketIds.length);
    if (seats.available.length === 0 && seats.reserved === 0) return "sold_out";
    const positions = pickSeats(seats.available, plan.want, random, avoid);
    if (positions.length === 0) {
      // Nothing free in view (or only seats just refused to this buyer): look again shortly.
      if (now() > patientUntil) break;
      avoid.clear();
      await sleep(2000 + 2000 * random());
      continue;
    }
    record.reserveAttempts += 1;
    const ticketIds = positions.map((position) => ctx.ticketIds[position]!);
    try {
      const answer = await recorder.timed("reserve", () => clients.booking.reserveTickets({ eventId, ticketIds, admissionToken }, call));
      reservation = { id: answer.reservation!.id, ticketIds };
    } catch (error) {
      const code = ConnectError.from(error).code;
      if (code === Code.PermissionDenied) return "refused";
      if (code === Code.FailedPrecondition || code === Code.Aborted || code === Code.AlreadyExists) for (const position of positions) avoid.add(position);
      else await sleep(1000 + 1000 * random());
    }
  }
  if (!reservation) return "gave_up";
  if (plan.fate === "abandon") return "abandoned";

  const card = plan.fate === "decline" ? DECLINED_CARD : PAYING_CARD;
  const request = {
    reservationId: reservation.id,
    idempotencyKey: `${plan.userId}-checkout`,
    admissionToken,
    paymentDetails: { cardNumber: card, expMonth: 12, expYear: new Date().getUTCFullYear() + 3, cvc: "123" },
  };
  // A confirm that did not answer is retried with the same key: it charges once.
  for (let attempt = 1; ; attempt++) {
    try {
      const { booking } = await recorder.timed("confirm", () => clients.booking.confirmBooking(request, call));
      record.ticketIds = booking!.tickets.map((ticket) => ticket.ticketId);
      record.bookingId = booking!.id;
      return "bought";
    } catch (error) {
      const code = ConnectError.from(error).code;
      if (RETRIABLE.has(code) && attempt < 3) {
        await sleep(1000);
        continue;
      }
      if (code === Code.FailedPrecondition && plan.fate === "decline") {
        await recorder.timed("release", () => clients.booking.releaseReservation({ reservationId: reservation.id }, call)).catch(() => undefined);
        return "declined";
      }
      return code === Code.PermissionDenied ? "refused" : "confirm_failed";
    }
  }
}
