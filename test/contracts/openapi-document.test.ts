import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { create, createRegistry, fromJson, toJson, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { createValidator } from "@bufbuild/protovalidate";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { BookingSchema, ConfirmBookingRequestSchema, ReserveTicketsRequestSchema } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { CreateEventRequestSchema, CreatePerformerRequestSchema, GetEventAvailabilityResponseSchema, GetEventResponseSchema } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { file_boxoffice_common_v1_rules } from "../../gen/boxoffice/common/v1/rules_pb.js";
import { EventType, TicketStatus } from "../../gen/boxoffice/common/v1/event_pb.js";
import { SearchEventsRequestSchema, SearchEventsResponseSchema } from "../../gen/boxoffice/search/v1/search_pb.js";

type Document = { openapi: string; components: { schemas: Record<string, object> } };
let document: Document;
let ajv: Ajv2020;

beforeAll(async () => {
  document = JSON.parse(await readFile(resolve(import.meta.dirname, "../../gen/openapi/boxoffice.openapi.json"), "utf8")) as Document;
  // The schemas inside, compiled as JSON Schema 2020-12 on their own (SwaggerParser checks the
  // document's structure and references, not what each schema says).
  ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors: true });
  addFormats.default(ajv);
  for (const format of ["int32", "uint32", "int64", "uint64", "float", "double"]) ajv.addFormat(format, true);
  const schemas = JSON.parse(JSON.stringify(document.components.schemas).replaceAll("#/components/schemas/", "#/$defs/")) as object;
  ajv.addSchema({ $id: "openapi", $defs: schemas });
});

const verdict = (component: string, json: unknown) => {
  const validate = ajv.getSchema(`openapi#/$defs/${component}`);
  if (!validate) throw new Error(`no component ${component}`);
  return validate(json) ? "valid" : JSON.stringify(validate.errors?.map((error) => `${error.instancePath} ${error.message}`));
};

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 (structure and every $ref)", async () => {
    expect(document.openapi).toMatch(/^3\.1\./);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it("holds schemas that compile as JSON Schema 2020-12", () => {
    for (const name of Object.keys(document.components.schemas)) expect(ajv.getSchema(`openapi#/$defs/${name}`), name).toBeDefined();
  });
});

const sampleEvent = () =>
  create(GetEventResponseSchema, {
    event: { id: "e1", name: "Jazz", type: EventType.CONCERT, startsAt: timestampFromDate(new Date("2027-07-14T19:30:00.123Z")), performerIds: ["p1"] },
    venue: { id: "v1", name: "Hall", location: { latitude: 51.5, longitude: -0.12 }, seatMap: { sections: [{ code: "A", rows: [{ label: "1", seats: 10 }] }] } },
    tickets: [{ id: "t1", eventId: "e1", section: "A", row: "1", seat: 1, price: { amountMinor: 4550n, currency: "GBP" }, status: TicketStatus.AVAILABLE }],
    sections: [{ section: "A", price: { amountMinor: 9007199254740993n, currency: "GBP" }, available: 1 }],
  });

/** Answers as the edge writes them: REST with alwaysEmitImplicit, Connect leaving zero values out. */
const answers: Array<[string, DescMessage, () => object]> = [
  ["boxoffice.catalog.v1.GetEventResponse", GetEventResponseSchema, sampleEvent],
  ["boxoffice.catalog.v1.GetEventResponse", GetEventResponseSchema, () => create(GetEventResponseSchema)],
  [
    "boxoffice.search.v1.SearchEventsResponse",
    SearchEventsResponseSchema,
    () => create(SearchEventsResponseSchema, { events: [{ id: "e1", distanceKm: 1.5, lowestPrice: { amountMinor: 100n, currency: "EUR" } }, { id: "e2" }], nextPageToken: "x" }),
  ],
  ["boxoffice.catalog.v1.GetEventAvailabilityResponse", GetEventAvailabilityResponseSchema, () => create(GetEventAvailabilityResponseSchema, { seats: new Uint8Array([0, 255, 7]), version: "v" })],
  ["boxoffice.booking.v1.Booking", BookingSchema, () => create(BookingSchema, { id: "b1", total: { amountMinor: 0n, currency: "GBP" }, createdAt: timestampFromDate(new Date(0)) })],
];

describe("the proto3 JSON of answers matches the document", () => {
  it.each(answers)("%s, written by REST (alwaysEmitImplicit)", (name, schema, sample) => {
    expect(verdict(`${name}-output`, toJson(schema, sample() as never, { alwaysEmitImplicit: true }))).toBe("valid");
  });

  it.each(answers)("%s, written by Connect (zero values left out)", (name, schema, sample) => {
    expect(verdict(`${name}-connect-output`, toJson(schema, sample() as never))).toBe("valid");
  });

  it("and a REST answer missing a field without presence, or with int64 as a number, does not", () => {
    const json = toJson(GetEventResponseSchema, sampleEvent(), { alwaysEmitImplicit: true }) as { holdsUnknown?: boolean; tickets: Array<{ price: { amountMinor: unknown } }> };
    expect(verdict("boxoffice.catalog.v1.GetEventResponse-output", { ...json, holdsUnknown: undefined })).not.toBe("valid");
    json.tickets[0]!.price.amountMinor = 4550;
    expect(verdict("boxoffice.catalog.v1.GetEventResponse-output", json)).not.toBe("valid");
  });
});

const uuid = "9b2f0c1e-5a4d-4e8b-8f3a-2c1d0e9f8a7b";
const other = "1b2f0c1e-5a4d-4e8b-8f3a-2c1d0e9f8a7b";
const card = { cardNumber: "4242424242424242", expMonth: 12, expYear: 2090, cvc: "123" };

/** Requests the schema and the contract (proto3 JSON parsing, then protovalidate) must judge alike. */
const requests: Array<[string, DescMessage, unknown]> = [
  ["boxoffice.booking.v1.ReserveTicketsRequest", ReserveTicketsRequestSchema, { eventId: uuid, ticketIds: [other] }],
  ["boxoffice.booking.v1.ReserveTicketsRequest", ReserveTicketsRequestSchema, { ticketIds: [other] }],
  ["boxoffice.booking.v1.ReserveTicketsRequest", ReserveTicketsRequestSchema, { eventId: "not-a-uuid", ticketIds: [other] }],
  ["boxoffice.booking.v1.ReserveTicketsRequest", ReserveTicketsRequestSchema, { eventId: uuid, ticketIds: [] }],
  ["boxoffice.booking.v1.ReserveTicketsRequest", ReserveTicketsRequestSchema, { eventId: uuid, ticketIds: [other, other] }],
  ["boxoffice.booking.v1.ReserveTicketsRequest", ReserveTicketsRequestSchema, { eventId: uuid, ticketIds: [other], seats: 2 }],
  ["boxoffice.booking.v1.ConfirmBookingRequest", ConfirmBookingRequestSchema, { reservationId: "r1", idempotencyKey: "checkout-1", paymentDetails: card }],
  ["boxoffice.booking.v1.ConfirmBookingRequest", ConfirmBookingRequestSchema, { reservationId: "r1", eventId: "", idempotencyKey: "checkout-1", paymentDetails: card }],
  ["boxoffice.booking.v1.ConfirmBookingRequest", ConfirmBookingRequestSchema, { reservationId: "r1", idempotencyKey: "short", paymentDetails: card }],
  ["boxoffice.booking.v1.ConfirmBookingRequest", ConfirmBookingRequestSchema, { reservationId: "r1", idempotencyKey: "checkout-1" }],
  ["boxoffice.booking.v1.ConfirmBookingRequest", ConfirmBookingRequestSchema, { reservationId: "r1", idempotencyKey: "checkout-1", paymentDetails: { ...card, cvc: "12a" } }],
  ["boxoffice.booking.v1.ConfirmBookingRequest", ConfirmBookingRequestSchema, { reservationId: "r1", idempotencyKey: "checkout-1", paymentDetails: { ...card, expMonth: 13 } }],
  ["boxoffice.search.v1.SearchEventsRequest", SearchEventsRequestSchema, { term: "jazz", city: "London", pageSize: 5, type: "EVENT_TYPE_COMEDY" }],
  ["boxoffice.search.v1.SearchEventsRequest", SearchEventsRequestSchema, { type: 4, sort: "SEARCH_SORT_DATE", includePast: true }],
  ["boxoffice.search.v1.SearchEventsRequest", SearchEventsRequestSchema, { city: "London", near: { point: { latitude: 1, longitude: 2 }, radiusKm: 5 } }],
  ["boxoffice.search.v1.SearchEventsRequest", SearchEventsRequestSchema, { near: { point: { latitude: 91, longitude: 2 }, radiusKm: 5 } }],
  ["boxoffice.search.v1.SearchEventsRequest", SearchEventsRequestSchema, { near: { radiusKm: 5 } }],
  ["boxoffice.search.v1.SearchEventsRequest", SearchEventsRequestSchema, { pageSize: 0 }],
  ["boxoffice.search.v1.SearchEventsRequest", SearchEventsRequestSchema, { pageSize: 101 }],
  ["boxoffice.search.v1.SearchEventsRequest", SearchEventsRequestSchema, { date: "2026-02-30" }],
  ["boxoffice.search.v1.SearchEventsRequest", SearchEventsRequestSchema, { date: "14/07/2026" }],
  ["boxoffice.search.v1.SearchEventsRequest", SearchEventsRequestSchema, { type: 99 }],
  ["boxoffice.search.v1.SearchEventsRequest", SearchEventsRequestSchema, { startsAfter: "2026-07-14T10:00:00Z" }],
  ["boxoffice.catalog.v1.CreatePerformerRequest", CreatePerformerRequestSchema, { performer: { name: "Ada" } }],
  ["boxoffice.catalog.v1.CreatePerformerRequest", CreatePerformerRequestSchema, { performer: { name: "" } }],
  ["boxoffice.catalog.v1.CreatePerformerRequest", CreatePerformerRequestSchema, {}],
  [
    "boxoffice.catalog.v1.CreateEventRequest",
    CreateEventRequestSchema,
    {
      event: {
        name: "Jazz",
        type: "EVENT_TYPE_CONCERT",
        venueId: uuid,
        startsAt: "2027-01-01T19:00:00Z",
        endsAt: "2027-01-01T22:00:00Z",
        priceTiers: [{ section: "A", price: { amountMinor: "4550", currency: "GBP" } }, { section: "B", price: { amountMinor: 3000, currency: "GBP" } }],
      },
    },
  ],
  [
    "boxoffice.catalog.v1.CreateEventRequest",
    CreateEventRequestSchema,
    { event: { name: "Jazz", venueId: uuid, startsAt: "2027-01-01T19:00:00Z", endsAt: "2027-01-01T22:00:00Z", priceTiers: [{ section: "A", price: { currency: "GBP" } }] } },
  ],
  [
    "boxoffice.catalog.v1.CreateEventRequest",
    CreateEventRequestSchema,
    { event: { name: "Jazz", type: 1, venueId: uuid, startsAt: "2027-01-01T19:00:00Z", endsAt: "2027-01-01T22:00:00Z", priceTiers: [{ section: "A", price: { amountMinor: -1, currency: "GBP" } }] } },
  ],
];

describe("the request schemas say what the contract says", () => {
  const validator = createValidator({ registry: createRegistry(file_boxoffice_common_v1_rules) });
  const contract = (schema: DescMessage, json: unknown) => {
    try {
      return validator.validate(schema, fromJson(schema, json as JsonValue)).kind === "valid";
    } catch {
      return false;
    }
  };

  it.each(requests.map(([name, schema, json]) => [name, JSON.stringify(json), schema, json] as const))("%s %s", (name, _text, schema, json) => {
    expect(verdict(name, json) === "valid", verdict(name, json)).toBe(contract(schema, json));
  });
});
