import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, redisAvailable, requireService } from "../support/real-services.js";
import { eventInput, startCatalogFixture, venueInput, type CatalogFixture } from "./catalog-fixture.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("Redis (3 lock nodes)", await redisAvailable());

async function failure(call: Promise<unknown>): Promise<ConnectError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!error) throw new Error("the call succeeded");
  return ConnectError.from(error);
}

describe.skipIf(!ready)("the catalog's admin RPCs on real PostgreSQL", () => {
  let fixture: CatalogFixture;
  let admin: { headers: Headers };
  let venueId: string;

  beforeAll(async () => {
    fixture = await startCatalogFixture();
    admin = await fixture.as("ops", ["admin"]);
    venueId = await fixture.createVenue("Quayside Club", [
      { code: "FLOOR", generalAdmissionCapacity: 20 },
      { code: "BALCONY", rows: [{ label: "A", seats: 5 }] },
    ]);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  describe("who may call them", () => {
    it("refuses a caller without a token, and a buyer without the admin role", async () => {
      const request = { venue: venueInput("Sneaky Hall", [{ code: "A", generalAdmissionCapacity: 1 }]) };
      expect((await failure(fixture.client.createVenue(request))).code).toBe(Code.Unauthenticated);
      expect((await failure(fixture.client.createVenue(request, await fixture.as("alice")))).code).toBe(Code.PermissionDenied);
      expect(await fixture.database.db("venues").where({ name: "Sneaky Hall" }).first()).toBeUndefined();
    });
  });

  describe("validation", () => {
    it("refuses an event that ends before it starts", async () => {
      const start = new Date(Date.now() + 86_400_000);
      const event = eventInput(venueId, { FLOOR: 1_000, BALCONY: 2_000 }, {
        startsAt: timestampFromDate(start),
        endsAt: timestampFromDate(new Date(start.getTime() - 60_000)),
      });
      const error = await failure(fixture.client.createEvent({ event }, admin));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(error.rawMessage).toMatch(/endsAt must be after startsAt/);
    });

    it("refuses a price tier for a section the venue does not have, naming it", async () => {
      const error = await failure(fixture.client.createEvent({ event: eventInput(venueId, { FLOOR: 1_000, BALCONY: 2_000, VIP: 9_000 }) }, admin));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(error.rawMessage).toBe('event.price_tiers[2].section: venue "Quayside Club" has no section "VIP"');
    });

    it("refuses an event that leaves a section unpriced", async () => {
      const error = await failure(fixture.client.createEvent({ event: eventInput(venueId, { FLOOR: 1_000 }) }, admin));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(error.rawMessage).toMatch(/every section needs a price; missing: BALCONY/);
    });

    it("refuses an unknown venue or performer", async () => {
      const unknown = "00000000-0000-4000-8000-000000000001";
      const noVenue = await failure(fixture.client.createEvent({ event: eventInput(unknown, { FLOOR: 1 }) }, admin));
      expect(noVenue.rawMessage).toMatch(/^event.venue_id: no venue/);
      const noPerformer = await failure(
        fixture.client.createEvent({ event: eventInput(venueId, { FLOOR: 1, BALCONY: 1 }, { performerIds: [unknown] }) }, admin),
      );
      expect(noPerformer.rawMessage).toMatch(/^event.performer_ids: no performer/);
    });

    it("refuses seat maps with duplicate section codes, a section without seats, or a bad time zone", async () => {
      const duplicate = await failure(
        fixture.client.createVenue({ venue: venueInput("Twin Hall", [{ code: "A", generalAdmissionCapacity: 5 }, { code: "A", generalAdmissionCapacity: 5 }]) }, admin),
      );
      expect(duplicate.code).toBe(Code.InvalidArgument);
      expect(duplicate.rawMessage).toMatch(/section code "A" is used twice/);
      const empty = await failure(fixture.client.createVenue({ venue: venueInput("Empty Hall", [{ code: "A" }]) }, admin));
      expect(empty.rawMessage).toMatch(/section "A" has no seats/);
      const zeroSeats = await failure(fixture.client.createVenue({ venue: venueInput("Zero Hall", [{ code: "A", rows: [{ label: "1", seats: 0 }] }]) }, admin));
      expect(zeroSeats.code).toBe(Code.InvalidArgument);
      const zone = await failure(
        fixture.client.createVenue({ venue: { ...venueInput("Zoned Hall", [{ code: "A", generalAdmissionCapacity: 1 }]), timezone: "Mars/Olympus" } }, admin),
      );
      expect(zone.rawMessage).toMatch(/venue.timezone/);
      expect(await fixture.database.db("venues").whereIn("name", ["Twin Hall", "Empty Hall", "Zero Hall", "Zoned Hall"]).first()).toBeUndefined();
    });
  });

  describe("what they write", () => {
    it("creates an event with one ticket per seat at its section's price, performers in billing order", async () => {
      const [headliner, support] = await Promise.all(
        ["Nova Reyes", "The Lanterns"].map(async (name) => (await fixture.client.createPerformer({ performer: { name, genre: "indie" } }, admin)).performer!.id),
      );
      const created = await fixture.client.createEvent(
        { event: eventInput(venueId, { FLOOR: 1_500, BALCONY: 3_000 }, { performerIds: [headliner!, support!], highDemand: true }) },
        admin,
      );
      expect(created.ticketsCreated).toBe(25);
      const tickets = await fixture.database.db("tickets").where({ event_id: created.event!.id }).select("section", "row_label", "seat_number", "price_minor", "currency", "status");
      expect(tickets).toHaveLength(25);
      expect(tickets.filter((t) => t.section === "FLOOR").every((t) => t.row_label === null && t.price_minor === 1_500)).toBe(true);
      expect(tickets.filter((t) => t.section === "BALCONY").map((t) => `${t.row_label}${t.seat_number}`).sort()).toEqual(["A1", "A2", "A3", "A4", "A5"]);
      expect(new Set(tickets.map((t) => `${t.currency}/${t.status}`))).toEqual(new Set(["GBP/available"]));
      const view = await fixture.client.getEvent({ eventId: created.event!.id });
      expect(view.performers.map((p) => p.name)).toEqual(["Nova Reyes", "The Lanterns"]);
      expect(view.event?.highDemand).toBe(true);
    });

    it("refuses to change the seat map of a venue that has events, but lets its name change", async () => {
      const changed = venueInput("Quayside Club", [{ code: "FLOOR", generalAdmissionCapacity: 30 }, { code: "BALCONY", rows: [{ label: "A", seats: 5 }] }]);
      const error = await failure(fixture.client.updateVenue({ venueId, venue: changed }, admin));
      expect(error.code).toBe(Code.FailedPrecondition);
      const renamed = venueInput("Quayside Club & Bar", [{ code: "FLOOR", generalAdmissionCapacity: 20 }, { code: "BALCONY", rows: [{ label: "A", seats: 5 }] }]);
      expect((await fixture.client.updateVenue({ venueId, venue: renamed }, admin)).venue?.name).toBe("Quayside Club & Bar");
    });

    it("moves an event to another venue while nothing is sold, regenerating its tickets", async () => {
      const { eventId } = await fixture.createEvent(venueId, { FLOOR: 1_000, BALCONY: 2_000 });
      const bigger = await fixture.createVenue("Harbour Arena", [{ code: "LOWER", rows: [{ label: "1", seats: 40 }] }]);
      await fixture.client.updateEvent({ eventId, event: eventInput(bigger, { LOWER: 5_000 }) }, admin);
      const view = await fixture.client.getEvent({ eventId });
      expect(view.venue?.name).toBe("Harbour Arena");
      expect(view.tickets).toHaveLength(40);
      expect(new Set(view.tickets.map((t) => t.section))).toEqual(new Set(["LOWER"]));
    });

    it("refuses to move an event once a ticket is sold or held, changing nothing", async () => {
      const { eventId } = await fixture.createEvent(venueId, { FLOOR: 1_000, BALCONY: 2_000 });
      const elsewhere = await fixture.createVenue("Elsewhere Hall", [{ code: "MAIN", generalAdmissionCapacity: 10 }]);
      const [sold, held] = await fixture.ticketIds(eventId);
      await fixture.holdOnQuorum([held!], 60_000);
      const whileHeld = await failure(fixture.client.updateEvent({ eventId, event: eventInput(elsewhere, { MAIN: 500 }) }, admin));
      expect(whileHeld.code).toBe(Code.FailedPrecondition);
      await fixture.dropHolds([held!]);
      await fixture.book(eventId, [sold!]);
      const afterSale = await failure(fixture.client.updateEvent({ eventId, event: eventInput(elsewhere, { MAIN: 500 }) }, admin));
      expect(afterSale.code).toBe(Code.FailedPrecondition);
      expect(afterSale.rawMessage).toMatch(/sold/);
      expect(await fixture.ticketIds(eventId)).toHaveLength(25);
      expect((await fixture.client.getEvent({ eventId })).venue?.id).toBe(venueId);
    });

    it("re-prices unsold tickets and leaves sold ones at the price paid", async () => {
      const { eventId } = await fixture.createEvent(venueId, { FLOOR: 1_000, BALCONY: 2_000 });
      const [sold] = await fixture.database.db("tickets").where({ event_id: eventId, section: "FLOOR" }).pluck("id");
      await fixture.book(eventId, [sold]);
      await fixture.client.updateEvent({ eventId, event: eventInput(venueId, { FLOOR: 1_200, BALCONY: 2_000 }) }, admin);
      const prices = await fixture.database.db("tickets").where({ event_id: eventId, section: "FLOOR" }).select("id", "price_minor");
      expect(prices.filter((p) => p.id === sold).map((p) => p.price_minor)).toEqual([1_000]);
      expect(new Set(prices.filter((p) => p.id !== sold).map((p) => p.price_minor))).toEqual(new Set([1_200]));
      const view = await fixture.client.getEvent({ eventId });
      expect(view.sections.filter((s) => s.section === "FLOOR").map((s) => [Number(s.price?.amountMinor), s.available, s.booked])).toEqual([
        [1_000, 0, 1],
        [1_200, 19, 0],
      ]);
    });

    it("sets an event's purchase limit: 8 unless given, kept by an update that leaves it out, bounded 1..100", async () => {
      const created = await fixture.client.createEvent({ event: eventInput(venueId, { FLOOR: 1_000, BALCONY: 2_000 }) }, admin);
      expect(created.event?.purchaseLimit).toBe(8);
      const eventId = created.event!.id;
      const updated = await fixture.client.updateEvent({ eventId, event: eventInput(venueId, { FLOOR: 1_000, BALCONY: 2_000 }, { purchaseLimit: 2 }) }, admin);
      expect(updated.event?.purchaseLimit).toBe(2);
      const renamed = await fixture.client.updateEvent({ eventId, event: eventInput(venueId, { FLOOR: 1_000, BALCONY: 2_000 }, { name: "Renamed" }) }, admin);
      expect(renamed.event?.purchaseLimit).toBe(2);
      expect((await fixture.client.getEvent({ eventId })).event?.purchaseLimit).toBe(2);
      expect(await fixture.database.db("events").where({ id: eventId }).first("purchase_limit")).toEqual({ purchase_limit: 2 });
      for (const purchaseLimit of [0, 101]) {
        const refused = await failure(fixture.client.updateEvent({ eventId, event: eventInput(venueId, { FLOOR: 1_000, BALCONY: 2_000 }, { purchaseLimit }) }, admin));
        expect(refused.code).toBe(Code.InvalidArgument);
        expect(refused.rawMessage).toMatch(/purchase_?[lL]imit/);
      }
      const createdWith = await fixture.client.createEvent({ event: eventInput(venueId, { FLOOR: 1_000, BALCONY: 2_000 }, { purchaseLimit: 4 }) }, admin);
      expect(createdWith.event?.purchaseLimit).toBe(4);
    });

    it("answers NOT_FOUND when updating what does not exist", async () => {
      const missing = "00000000-0000-4000-8000-000000000002";
      const venue = venueInput("Ghost Hall", [{ code: "A", generalAdmissionCapacity: 1 }]);
      expect((await failure(fixture.client.updateVenue({ venueId: missing, venue }, admin))).code).toBe(Code.NotFound);
      expect((await failure(fixture.client.updatePerformer({ performerId: missing, performer: { name: "Nobody" } }, admin))).code).toBe(Code.NotFound);
      expect((await failure(fixture.client.updateEvent({ eventId: missing, event: eventInput(venueId, { FLOOR: 1, BALCONY: 1 }) }, admin))).code).toBe(
        Code.NotFound,
      );
    });
  });

  describe("the cached static part", () => {
    it("is served from the cache until an admin update invalidates it", async () => {
      const performer = (await fixture.client.createPerformer({ performer: { name: "Iris Vale" } }, admin)).performer!;
      const cacheVenue = await fixture.createVenue("Cache Hall", [{ code: "MAIN", generalAdmissionCapacity: 3 }]);
      const { eventId } = await fixture.createEvent(cacheVenue, { MAIN: 700 }, { name: "First Name", performerIds: [performer.id] });
      expect((await fixture.client.getEvent({ eventId })).event?.name).toBe("First Name");
      expect(await fixture.cacheKeys()).toContain(`catalog:event:v1:${eventId}`);

      // A write behind the catalog's back is not seen: the read came from the cache.
      await fixture.database.db("events").where({ id: eventId }).update({ name: "Written Behind Its Back" });
      expect((await fixture.client.getEvent({ eventId })).event?.name).toBe("First Name");

      await fixture.client.updateEvent({ eventId, event: eventInput(cacheVenue, { MAIN: 900 }, { name: "Second Name", performerIds: [performer.id] }) }, admin);
      const afterEvent = await fixture.client.getEvent({ eventId });
      expect(afterEvent.event?.name).toBe("Second Name");
      expect(afterEvent.tickets.map((t) => Number(t.price?.amountMinor))).toEqual([900, 900, 900]);

      await fixture.client.updateVenue({ venueId: cacheVenue, venue: venueInput("Cache Hall Renamed", [{ code: "MAIN", generalAdmissionCapacity: 3 }]) }, admin);
      expect((await fixture.client.getEvent({ eventId })).venue?.name).toBe("Cache Hall Renamed");

      await fixture.client.updatePerformer({ performerId: performer.id, performer: { name: "Iris Vale Trio" } }, admin);
      expect((await fixture.client.getEvent({ eventId })).performers.map((p) => p.name)).toEqual(["Iris Vale Trio"]);
    });

    it("is invalidated for every replica, since they share it", async () => {
      const second = await fixture.startReplica();
      const hall = await fixture.createVenue("Shared Hall", [{ code: "MAIN", generalAdmissionCapacity: 2 }]);
      const { eventId } = await fixture.createEvent(hall, { MAIN: 500 }, { name: "Before" });
      expect((await second.client.getEvent({ eventId })).event?.name).toBe("Before");
      await fixture.client.updateEvent({ eventId, event: eventInput(hall, { MAIN: 500 }, { name: "After" }) }, admin);
      expect((await second.client.getEvent({ eventId })).event?.name).toBe("After");
    });
  });
});
