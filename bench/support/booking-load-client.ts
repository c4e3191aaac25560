/**
 * Our own harness for the booking service, in a process of its own, through the edge's grpc-js
 * transport. Prints its figures as one JSON line.
 *   node --import tsx bench/support/booking-load-client.ts JOB.json
 * reserve: { mode, address, seats: [{ eventId, ticketId }], tokens, concurrency, reservationsFile }
 *   one seat per call, buyers (a token each) in turn; the reservations it got go to the file.
 * confirm: { mode, address, reservationsFile, concurrency, card }
 *   confirms each reservation of the file once, as its buyer, with a fresh idempotency key.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { BookingService, HoldStatus } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { createGrpcJsTransport } from "../../services/shared/rpc/grpc-js/grpc-js-transport.js";
import { timedPool } from "../bench-stats.js";

export interface HeldReservation {
  reservationId: string;
  token: string;
}

type Job =
  | { mode: "reserve"; address: string; seats: Array<{ eventId: string; ticketId: string }>; tokens: string[]; concurrency: number; reservationsFile: string }
  | { mode: "confirm"; address: string; reservationsFile: string; concurrency: number; card: { cardNumber: string; expMonth: number; expYear: number; cvc: string } };

const job = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Job;
const booking = createClient(BookingService, createGrpcJsTransport({ address: job.address }));
const outcome = (error: unknown) => Code[ConnectError.from(error).code];
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const cpuBefore = process.cpuUsage();

let figures;
if (job.mode === "reserve") {
  const reservations: HeldReservation[] = [];
  const calls = job.seats.map((seat, index) => ({ ...seat, token: job.tokens[index % job.tokens.length]! }));
  figures = await timedPool(calls, job.concurrency, async ({ eventId, ticketId, token }) => {
    try {
      const { reservation } = await booking.reserveTickets({ eventId, ticketIds: [ticketId] }, bearer(token));
      if (reservation?.holdStatus !== HoldStatus.HELD) return "degraded";
      reservations.push({ reservationId: reservation.id, token });
      return "OK";
    } catch (error) {
      return outcome(error);
    }
  });
  writeFileSync(job.reservationsFile, JSON.stringify(reservations));
} else {
  const reservations = JSON.parse(readFileSync(job.reservationsFile, "utf8")) as HeldReservation[];
  figures = await timedPool(reservations, job.concurrency, async ({ reservationId, token }) => {
    try {
      await booking.confirmBooking({ reservationId, idempotencyKey: `bench-${reservationId}`, paymentDetails: job.card }, bearer(token));
      return "OK";
    } catch (error) {
      return outcome(error);
    }
  });
}
const cpu = process.cpuUsage(cpuBefore);
console.log(JSON.stringify({ ...figures, statuses: figures.outcomes, clientCpuMsPerCall: (cpu.user + cpu.system) / 1000 / figures.count }));
process.exit(0);
