import { writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Real identifiers for the fuzzer. Generated ids name nothing, so without these every lookup
 * answers 404 and no answer carrying data (an event's tickets, a layout, a booking's money) is
 * ever checked against its schema. They go into a copy of the document as OpenAPI examples,
 * which Schemathesis sends first and builds on.
 */
export interface FuzzData {
  eventId: string;
  layoutVersion: string;
  venueId: string;
  sectionCodes: string[];
  performerId: string;
  ticketId: string;
  bookingId: string;
  reservationId: string;
}

const CARD = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" };

// Answers read as the edge writes them; a shape that changed fails the seeding loudly.
type Json = Record<string, any>;

async function call(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<Json> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Json;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** An event on sale with two free seats: one booked by the fuzzer's user, one held by it. */
export async function seedFuzzData(baseUrl: string, token: string): Promise<FuzzData> {
  const { events } = await call(baseUrl, token, "GET", "/events/search?pageSize=50");
  for (const summary of events as Json[]) {
    const { event, venue, tickets } = await call(baseUrl, token, "GET", `/events/${summary.id}`);
    const free = (tickets as Json[]).filter((ticket) => ticket.status === "TICKET_STATUS_AVAILABLE");
    if (event.highDemand || free.length < 2 || event.performerIds.length === 0) continue;
    const reserve = (ticketId: string) => call(baseUrl, token, "POST", "/booking/reserve", { eventId: event.id, ticketIds: [ticketId] }).catch(() => undefined);
    const booked = await reserve(free[0]!.id);
    if (!booked) continue; // not on sale
    const { booking } = await call(baseUrl, token, "POST", "/booking/confirm", { reservationId: booked.reservation.id, idempotencyKey: "fuzz-seed-booking", paymentDetails: CARD });
    const held = await reserve(free[1]!.id);
    const { layout } = await call(baseUrl, token, "GET", `/events/${event.id}/layout`);
    return {
      eventId: event.id,
      layoutVersion: layout.version,
      venueId: venue.id,
      sectionCodes: (venue.seatMap.sections as Json[]).map((section) => section.code),
      performerId: event.performerIds[0],
      ticketId: free[1]!.id,
      bookingId: booking.id,
      reservationId: held?.reservation.id ?? booked.reservation.id,
    };
  }
  throw new Error("the demo data has no event on sale with two free seats to fuzz with");
}

/** A request of each kind that the contract accepts, with the seeded identifiers. */
function bodyExamples(data: FuzzData): Record<string, unknown> {
  const event = { eventId: data.eventId };
  const reserve = { eventId: data.eventId, ticketIds: [data.ticketId] };
  const confirm = { reservationId: data.reservationId, idempotencyKey: "fuzz-checkout-0001", paymentDetails: CARD };
  const release = { reservationId: data.reservationId };
  const venue = {
    name: "Fuzz Hall",
    city: "London",
    country: "GB",
    location: { latitude: 51.5, longitude: -0.12 },
    timezone: "Europe/London",
    seatMap: { sections: [{ code: "A", rows: [{ label: "1", seats: 4 }] }] },
  };
  const price = { amountMinor: "2500", currency: "GBP" };
  const newEvent = {
    name: "Fuzz Night",
    type: "EVENT_TYPE_COMEDY",
    venueId: data.venueId,
    startsAt: "2099-01-01T19:00:00Z",
    endsAt: "2099-01-01T22:00:00Z",
    priceTiers: data.sectionCodes.map((section) => ({ section, price })),
  };
  return {
    reserveTickets: { ...reserve },
    confirmBooking: confirm,
    releaseReservation: release,
    "boxoffice.catalog.v1.CatalogService.GetEvent": event,
    "boxoffice.catalog.v1.CatalogService.GetEventLayout": { ...event, version: data.layoutVersion },
    "boxoffice.catalog.v1.CatalogService.GetEventAvailability": event,
    "boxoffice.catalog.v1.CatalogService.CreateVenue": { venue },
    "boxoffice.catalog.v1.CatalogService.CreatePerformer": { performer: { name: "Fuzz Quartet", genre: "jazz" } },
    "boxoffice.catalog.v1.CatalogService.UpdatePerformer": { performerId: data.performerId, performer: { name: "Fuzz Quartet" } },
    "boxoffice.catalog.v1.CatalogService.CreateEvent": { event: newEvent },
    "boxoffice.search.v1.SearchService.SearchEvents": { term: "", pageSize: 5 },
    "boxoffice.booking.v1.BookingService.ReserveTickets": reserve,
    "boxoffice.booking.v1.BookingService.ConfirmBooking": confirm,
    "boxoffice.booking.v1.BookingService.ReleaseReservation": release,
    "boxoffice.booking.v1.BookingService.GetBooking": { bookingId: data.bookingId },
    "boxoffice.booking.v1.BookingService.ListMyBookings": {},
    "boxoffice.booking.v1.BookingService.GetPurchaseAllowance": event,
  };
}

interface Operation {
  operationId: string;
  parameters?: Array<{ name: string; in: string; example?: unknown }>;
  requestBody?: { content: Record<string, { example?: unknown }> };
}

/** The document with the seeded identifiers as examples of path parameters and request bodies. */
export function withExamples(document: { paths: Record<string, Record<string, Operation>> }, data: FuzzData) {
  const copy = structuredClone(document);
  const pathValues: Record<string, string> = { eventId: data.eventId, bookingId: data.bookingId, version: data.layoutVersion };
  const bodies = bodyExamples(data);
  for (const operations of Object.values(copy.paths)) {
    for (const operation of Object.values(operations)) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === "path" && pathValues[parameter.name] !== undefined) parameter.example = pathValues[parameter.name];
      }
      const json = operation.requestBody?.content["application/json"];
      if (json && bodies[operation.operationId] !== undefined) json.example = bodies[operation.operationId];
    }
  }
  return copy;
}

/** The edge's own /openapi.json with the seeded examples, written for Schemathesis to read; its path. */
export async function writeFuzzDocument(baseUrl: string, data: FuzzData, workDir: string): Promise<string> {
  const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as Parameters<typeof withExamples>[0];
  const file = join(workDir, "openapi-with-examples.json");
  await writeFile(file, JSON.stringify(withExamples(document, data), null, 2));
  return file;
}
