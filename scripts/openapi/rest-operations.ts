import type { Schema } from "./schema-views.js";

/** A path or query parameter of a REST path and the request field it sets. */
export interface RestParameter {
  name: string;
  in: "path" | "query";
  /** The field of the RPC's request it sets, by JSON names (`near.point.latitude`). */
  field: string;
  /** An enum the route reads by its short name in lower case (`concert`) or its full one (EVENT_TYPE_CONCERT); the zero value is not one. */
  shortEnumNames?: true;
}

/**
 * One of the edge's REST paths (services/edge/rest/) and the RPC it calls. The OpenAPI
 * description takes its schemas from that RPC's messages, so the table names only what the
 * route adds: where each input comes from, and what the route answers of its own.
 */
export interface RestOperation {
  operationId: string;
  method: "get" | "post";
  /** OpenAPI's form, `/events/{eventId}`. */
  path: string;
  /** `package.Service/Method`; absent for the edge's own routes (the dev sign-in, the payments config). */
  rpc?: string;
  tag: string;
  summary: string;
  parameters?: RestParameter[];
  /** The RPC's request message is the JSON body, plus these single-value spellings of a list field. */
  body?: { aliases?: { name: string; joins: string }[] };
  /** Answers this instead of the RPC's response message. */
  answer?: Schema;
  /** The edge's own route: its body, when it calls no RPC. */
  requestBody?: Schema;
  /** HTTP statuses of the errors this path answers besides those of every API path. */
  errors: number[];
  /** Answers with an ETag and 304 to a matching If-None-Match. */
  cacheable?: true;
}

/** What each group of REST paths is for, as the reference page heads them. */
export const REST_TAGS: Record<string, string> = {
  events: "REST: find events and view one with every ticket's live status",
  stadium: "REST: a large venue's seat layout (cacheable, by version) and its live availability",
  booking: "REST: reserve, confirm and release tickets; the caller's bookings",
  admin: "REST: an admin cancels an event or refunds a booking (role admin)",
  queue: "REST: a high-demand event's waiting room: join, read your place and admission token, leave",
  auth: "REST: dev sign-in",
  payments: "REST: how the web app takes a payment (the simulator's test cards, or Stripe.js with a publishable key)",
};

const SEARCH = "boxoffice.search.v1.SearchService";
const CATALOG = "boxoffice.catalog.v1.CatalogService";
const BOOKING = "boxoffice.booking.v1.BookingService";
const QUEUE = "boxoffice.queue.v1.QueueService";

const eventIdInPath: RestParameter = { name: "eventId", in: "path", field: "eventId" };
const paging: RestParameter[] = [
  { name: "pageSize", in: "query", field: "pageSize" },
  { name: "pageToken", in: "query", field: "pageToken" },
];

export const REST_OPERATIONS: readonly RestOperation[] = [
  {
    operationId: "searchEvents",
    method: "get",
    path: "/events/search",
    rpc: `${SEARCH}/SearchEvents`,
    tag: "events",
    summary: "Search events by term, place, date and type",
    parameters: [
      { name: "term", in: "query", field: "term" },
      { name: "location", in: "query", field: "city" },
      { name: "date", in: "query", field: "date" },
      { name: "type", in: "query", field: "type", shortEnumNames: true },
      { name: "lat", in: "query", field: "near.point.latitude" },
      { name: "lon", in: "query", field: "near.point.longitude" },
      { name: "radiusKm", in: "query", field: "near.radiusKm" },
      { name: "from", in: "query", field: "startsAfter" },
      { name: "to", in: "query", field: "startsBefore" },
      { name: "sort", in: "query", field: "sort", shortEnumNames: true },
      ...paging,
      { name: "includePast", in: "query", field: "includePast" },
    ],
    errors: [],
    cacheable: true,
  },
  {
    operationId: "getEvent",
    method: "get",
    path: "/events/{eventId}",
    rpc: `${CATALOG}/GetEvent`,
    tag: "events",
    summary: "An event with its venue, performers and every ticket's live status",
    parameters: [eventIdInPath],
    errors: [404],
  },
  {
    operationId: "listEventTickets",
    method: "get",
    path: "/events/{eventId}/tickets",
    rpc: `${CATALOG}/ListEventTickets`,
    tag: "events",
    summary: "Every ticket of an event with its section, row, seat, price and live status",
    parameters: [eventIdInPath],
    errors: [404],
  },
  {
    operationId: "getEventLayout",
    method: "get",
    path: "/events/{eventId}/layout",
    rpc: `${CATALOG}/GetEventLayout`,
    tag: "stadium",
    summary: "The event's current seat layout (briefly cacheable)",
    parameters: [eventIdInPath, { name: "section", in: "query", field: "section" }],
    errors: [404],
    cacheable: true,
  },
  {
    operationId: "getEventLayoutVersion",
    method: "get",
    path: "/events/{eventId}/layout/{version}",
    rpc: `${CATALOG}/GetEventLayout`,
    tag: "stadium",
    summary: "One version of the event's seat layout (immutable; 404 once replaced)",
    parameters: [eventIdInPath, { name: "version", in: "path", field: "version" }, { name: "section", in: "query", field: "section" }],
    errors: [404],
    cacheable: true,
  },
  {
    operationId: "getEventAvailability",
    method: "get",
    path: "/events/{eventId}/availability",
    rpc: `${CATALOG}/GetEventAvailability`,
    tag: "stadium",
    summary: "Every seat's live state, two bits a seat (cacheable for a second)",
    parameters: [eventIdInPath],
    errors: [404],
    cacheable: true,
  },
  {
    operationId: "reserveTickets",
    method: "post",
    path: "/booking/reserve",
    rpc: `${BOOKING}/ReserveTickets`,
    tag: "booking",
    summary: "Hold tickets for ten minutes",
    body: { aliases: [{ name: "ticketId", joins: "ticketIds" }] },
    errors: [404, 409],
  },
  {
    operationId: "confirmBooking",
    method: "post",
    path: "/booking/confirm",
    rpc: `${BOOKING}/ConfirmBooking`,
    tag: "booking",
    summary: "Pay for held tickets (or buy directly); retried with the same idempotency key, charges once",
    body: { aliases: [{ name: "ticketId", joins: "ticketIds" }] },
    errors: [404, 409],
  },
  {
    operationId: "releaseReservation",
    method: "post",
    path: "/booking/release",
    rpc: `${BOOKING}/ReleaseReservation`,
    tag: "booking",
    summary: "Give held tickets back",
    body: {},
    answer: { type: "object", required: ["released"], properties: { released: { const: true } }, additionalProperties: false },
    errors: [404],
  },
  {
    operationId: "getPurchaseAllowance",
    method: "get",
    path: "/booking/allowance/{eventId}",
    rpc: `${BOOKING}/GetPurchaseAllowance`,
    tag: "booking",
    summary: "The caller's purchase limit for an event: the limit, what they hold and have bought, and how many more they can reserve",
    parameters: [eventIdInPath],
    errors: [404],
  },
  {
    operationId: "listMyBookings",
    method: "get",
    path: "/bookings",
    rpc: `${BOOKING}/ListMyBookings`,
    tag: "booking",
    summary: "The caller's bookings, newest first",
    parameters: paging,
    errors: [],
  },
  {
    operationId: "getBooking",
    method: "get",
    path: "/bookings/{bookingId}",
    rpc: `${BOOKING}/GetBooking`,
    tag: "booking",
    summary: "One of the caller's bookings",
    parameters: [{ name: "bookingId", in: "path", field: "bookingId" }],
    errors: [404],
  },
  {
    operationId: "cancelEvent",
    method: "post",
    path: "/admin/events/{eventId}/cancel",
    rpc: `${BOOKING}/CancelEvent`,
    tag: "admin",
    summary: "Cancel an event: sales stop, every booking is cancelled and refunded once (repeat to resume)",
    parameters: [eventIdInPath],
    errors: [404],
  },
  {
    operationId: "refundBooking",
    method: "post",
    path: "/admin/bookings/{bookingId}/refund",
    rpc: `${BOOKING}/RefundBooking`,
    tag: "admin",
    summary: "Refund one booking: cancelled, refunded once, its seats back on sale",
    parameters: [{ name: "bookingId", in: "path", field: "bookingId" }],
    errors: [404],
  },
  {
    operationId: "joinQueue",
    method: "post",
    path: "/queue/{eventId}/join",
    rpc: `${QUEUE}/JoinQueue`,
    tag: "queue",
    summary: "Take a place in the event's waiting room (joining again answers the same place)",
    parameters: [eventIdInPath],
    errors: [404],
  },
  {
    operationId: "getQueuePosition",
    method: "get",
    path: "/queue/{eventId}",
    rpc: `${QUEUE}/GetQueuePosition`,
    tag: "queue",
    summary: "The caller's place: position, estimated wait and, once admitted, the admission token",
    parameters: [eventIdInPath],
    errors: [404],
  },
  {
    operationId: "leaveQueue",
    method: "post",
    path: "/queue/{eventId}/leave",
    rpc: `${QUEUE}/LeaveQueue`,
    tag: "queue",
    summary: "Give up the caller's place",
    parameters: [eventIdInPath],
    answer: { type: "object", required: ["left"], properties: { left: { const: true } }, additionalProperties: false },
    errors: [404],
  },
  {
    operationId: "issueDevToken",
    method: "post",
    path: "/auth/token",
    tag: "auth",
    summary: "Dev sign-in (AUTH_MODE=dev, callers on the edge's own machine only): a bearer token for any user name",
    requestBody: {
      type: "object",
      required: ["userId"],
      properties: {
        userId: { type: "string", pattern: "^[A-Za-z0-9._@-]{1,64}$" },
        roles: { type: "array", items: { enum: ["buyer", "admin"] }, description: "buyer when left out" },
      },
    },
    answer: {
      type: "object",
      required: ["token", "userId", "roles"],
      properties: { token: { type: "string" }, userId: { type: "string" }, roles: { type: "array", items: { type: "string" } } },
      additionalProperties: false,
    },
    errors: [403],
  },
  {
    operationId: "getPaymentsConfig",
    method: "get",
    path: "/payments/config",
    tag: "payments",
    summary: "How to pay here: \"simulated\" takes the test cards in paymentDetails; \"stripe\" takes only a payment method id made by Stripe.js with this publishable key",
    answer: {
      type: "object",
      required: ["provider"],
      properties: {
        provider: { enum: ["simulated", "stripe"] },
        publishableKey: { type: "string", pattern: "^pk_(test|live)_", description: "Stripe's publishable key for Stripe.js; only with provider stripe" },
      },
      additionalProperties: false,
    },
    errors: [],
  },
];
