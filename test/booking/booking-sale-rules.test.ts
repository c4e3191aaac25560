import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HoldStatus } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { errorDetailsOf } from "../../services/shared/errors/to-connect-error.js";
import { card, outcomeOf, refusalOf, startBookingFixture, type BookingFixture } from "./booking-fixture.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("redis-server", await redisServerAvailable());

const HOUR = 3_600_000;

describe.skipIf(!ready)("what a box office sells, and how its refusals read (real PostgreSQL, three Redis masters)", () => {
  let fixture: BookingFixture;
  /** An event of the seed other than the fixture's, changed by one test and put back after it. */
  let other: { id: string; name: string; ticketIds: string[] };

  beforeAll(async () => {
    fixture = await startBookingFixture();
    const row = await fixture.database.db("events").whereNot({ id: fixture.eventId }).where({ high_demand: false }).orderBy("starts_at").first("id", "name");
    const ticketIds: string[] = await fixture.database.db("tickets").where({ event_id: row.id }).orderBy("id").limit(4).pluck("id");
    other = { id: row.id, name: row.name, ticketIds };
  }, 120_000);

  afterAll(async () => {
    await fixture?.close();
  });

  /** Runs `body` while the other event's row has `changes`, then restores it. */
  async function whileEvent(changes: Record<string, unknown>, body: () => Promise<void>): Promise<void> {
    const before = await fixture.database.db("events").where({ id: other.id }).first("status", "on_sale_at", "starts_at", "ends_at");
    await fixture.database.db("events").where({ id: other.id }).update(changes);
    try {
      await body();
    } finally {
      await fixture.database.db("events").where({ id: other.id }).update(before);
    }
  }

  const reserve = async (userId: string, ticketIds: string[], eventId = other.id) =>
    fixture.client.reserveTickets({ eventId, ticketIds }, await fixture.as(userId));
  const buyDirectly = async (userId: string, ticketIds: string[], idempotencyKey: string, eventId = other.id) =>
    fixture.client.confirmBooking({ eventId, ticketIds, paymentDetails: card(), idempotencyKey }, await fixture.as(userId));

  it("before sales open, reserve and direct confirm are FAILED_PRECONDITION saying when they open; nothing is held or charged", async () => {
    const onSaleAt = new Date(Date.now() + 48 * HOUR);
    await whileEvent({ on_sale_at: onSaleAt }, async () => {
      const [seat] = other.ticketIds;
      for (const call of [() => reserve("ann", [seat!]), () => buyDirectly("ann", [seat!], "ann-early-1")]) {
        const refusal = await refusalOf(call());
        expect(refusal.code).toBe(Code.FailedPrecondition);
        expect(refusal.message.startsWith(`Tickets for ${other.name} go on sale`)).toBe(true);
        expect(refusal.message).toMatch(/^Tickets for (.+) go on sale on \w{3}, \d{1,2} \w{3} \d{4} at \d\d:\d\d \S+; come back then\.$/);
        expect(refusal.details).toMatchObject({ field: "eventId", reason: "not_on_sale_yet", eventId: other.id, onSaleAt: onSaleAt.toISOString() });
      }
      expect((await fixture.holdReader.holders([seat!])).size).toBe(0);
      expect(await fixture.ledgerRow("ann", "ann-early-1")).toBeUndefined();
    });
    // Once on_sale_at has passed (the row is back as seeded) the same seat sells.
    expect((await reserve("ann", [other.ticketIds[0]!])).reservation?.holdStatus).toBe(HoldStatus.HELD);
  });

  it("a cancelled event sells nothing: a reservation taken before the cancellation cannot be confirmed and is not charged", async () => {
    const [, seat] = other.ticketIds;
    const { reservation } = await reserve("ben", [seat!]);
    const chargesBefore = (await fixture.provider.payments()).length;
    await whileEvent({ status: "cancelled" }, async () => {
      expect(await refusalOf(reserve("cat", [other.ticketIds[2]!]))).toMatchObject({
        code: Code.FailedPrecondition,
        message: `${other.name} was cancelled; no tickets are sold for it.`,
        details: { field: "eventId", reason: "event_cancelled" },
      });
      const byReservation = fixture.client.confirmBooking({ reservationId: reservation!.id, paymentDetails: card(), idempotencyKey: "ben-cancelled-1" }, await fixture.as("ben"));
      expect(await refusalOf(byReservation)).toMatchObject({ code: Code.FailedPrecondition, details: { reason: "event_cancelled" } });
      expect(await fixture.ledgerRow("ben", "ben-cancelled-1")).toBeUndefined();
      expect((await fixture.provider.payments())).toHaveLength(chargesBefore);
      expect(await fixture.database.db("tickets").where({ id: seat }).first("status")).toEqual({ status: "available" });
    });
  });

  it("once the event has started, tickets are no longer sold", async () => {
    const startsAt = new Date(Date.now() - 60_000);
    await whileEvent({ starts_at: startsAt, ends_at: new Date(startsAt.getTime() + 3 * HOUR) }, async () => {
      for (const call of [() => reserve("dan", [other.ticketIds[3]!]), () => buyDirectly("dan", [other.ticketIds[3]!], "dan-late-1")]) {
        expect(await refusalOf(call())).toMatchObject({
          code: Code.FailedPrecondition,
          message: `${other.name} has already started; tickets are no longer sold.`,
          details: { field: "eventId", reason: "sales_ended", startsAt: startsAt.toISOString() },
        });
      }
      expect(await fixture.ledgerRow("dan", "dan-late-1")).toBeUndefined();
    });
  });

  it("an event id that names no event is NOT_FOUND naming event_id, on reserve and on confirm by ticket ids", async () => {
    const [seat] = fixture.ticketIds;
    const eventId = "6b0c2a52-0d7e-4f0e-9d55-000000000000";
    for (const call of [() => reserve("eve", [seat!], eventId), () => buyDirectly("eve", [seat!], "eve-unknown-1", eventId)]) {
      expect(await refusalOf(call())).toMatchObject({ code: Code.NotFound, message: `event ${eventId} does not exist`, details: { field: "eventId" } });
    }
    expect(await fixture.ledgerRow("eve", "eve-unknown-1")).toBeUndefined();
  });

  it("held and sold seats are named as the seat map shows them, their ids kept in the details", async () => {
    const db = fixture.database.db;
    const seated = await db("tickets").where({ event_id: fixture.eventId, status: "available" }).whereNotNull("row_label").orderBy("id").first("id", "section", "row_label", "seat_number");
    const standing = await db("tickets").where({ event_id: fixture.eventId, status: "available" }).whereNull("row_label").orderBy("id").first("id", "section");
    const venue = await db("events as e").join("venues as v", "v.id", "e.venue_id").where("e.id", fixture.eventId).first("v.seat_map");
    const nameOf = (code: string) => (venue.seat_map.sections as Array<{ code: string; name: string }>).find((section) => section.code === code)!.name;
    const seatedLabel = `${nameOf(seated.section)} row ${seated.row_label} seat ${seated.seat_number}`;

    await reserve("fay", [seated.id, standing.id], fixture.eventId);
    const held = await refusalOf(reserve("gus", [standing.id, seated.id], fixture.eventId));
    expect(held.code).toBe(Code.FailedPrecondition);
    expect(held.message).toBe(`held by another buyer: ${seatedLabel}, ${nameOf(standing.section)}; choose other seats or try again in a few minutes`);
    expect(held.details).toMatchObject({ reason: "held" });
    expect([...(held.details!.ticketIds as string[])].sort()).toEqual([seated.id, standing.id].sort());

    await buyDirectly("fay", [seated.id], "fay-buys-1", fixture.eventId);
    const sold = await refusalOf(buyDirectly("gus", [seated.id], "gus-late-1", fixture.eventId));
    expect(sold).toMatchObject({ code: Code.FailedPrecondition, message: `already sold: ${seatedLabel}; choose other seats`, details: { reason: "sold", ticketIds: [seated.id] } });
  });

  it("releasing a reservation that was confirmed says it does not exist, expired, or was already confirmed or released", async () => {
    const hal = await fixture.as("hal");
    const [seat] = await fixture.database.db("tickets").where({ event_id: fixture.eventId, status: "available" }).orderBy("id", "desc").limit(1).pluck("id");
    const { reservation } = await fixture.client.reserveTickets({ eventId: fixture.eventId, ticketIds: [seat] }, hal);
    await fixture.client.confirmBooking({ reservationId: reservation!.id, paymentDetails: card(), idempotencyKey: "hal-confirms-1" }, hal);
    const refusal = await outcomeOf(fixture.client.releaseReservation({ reservationId: reservation!.id }, hal));
    expect((refusal as ConnectError).code).toBe(Code.NotFound);
    expect((refusal as ConnectError).rawMessage).toBe(`reservation ${reservation!.id} does not exist: it expired, or was already confirmed or released`);
    expect(errorDetailsOf(refusal as ConnectError)).toMatchObject({ field: "reservationId" });
  });
});
