import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { ViolationsSchema } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { describe, expect, it } from "vitest";
import { BookingService } from "../../../gen/boxoffice/booking/v1/booking_pb.js";
import { CatalogService } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { SearchService } from "../../../gen/boxoffice/search/v1/search_pb.js";
import { EventType } from "../../../gen/boxoffice/common/v1/event_pb.js";
import { errorDetailsOf } from "../errors/to-connect-error.js";
import { invalid } from "../errors/domain-error.js";
import { domainErrorInterceptor, validationInterceptor } from "./interceptors.js";

const TICKET = "9b2f0c1e-5a4d-4e8b-8f3a-2c1d0e9f8a7b";
const card = (expMonth: number, expYear: number) => ({ cardNumber: "4242424242424242", expMonth, expYear, cvc: "123" });

/** The services behind the interceptors the servers run; handlers answer only when validation lets them. */
function clients() {
  const transport = createRouterTransport(
    (router) => {
      router.service(BookingService, { confirmBooking: () => ({}), reserveTickets: () => ({}) });
      router.service(SearchService, { searchEvents: () => ({}) });
      router.service(CatalogService, {
        createEvent: () => ({}),
        getEvent: () => {
          throw invalid("event_id is not one of ours", { field: "event_id" });
        },
        async *watchEventTickets() {
          yield {};
        },
      });
    },
    { router: { interceptors: [domainErrorInterceptor(), validationInterceptor()] } },
  );
  return { booking: createClient(BookingService, transport), search: createClient(SearchService, transport), catalog: createClient(CatalogService, transport) };
}

async function refusal(call: Promise<unknown>): Promise<ConnectError> {
  const error = await call.then(() => undefined, (e: unknown) => ConnectError.from(e));
  if (!error) throw new Error("the call was accepted");
  expect(error.code).toBe(Code.InvalidArgument);
  return error;
}

const confirmWith = (paymentDetails: ReturnType<typeof card>) =>
  clients().booking.confirmBooking({ reservationId: "r-1", idempotencyKey: "checkout-0001", paymentDetails });

describe("a card past its expiry", () => {
  it("is refused as INVALID_ARGUMENT with a sentence for the buyer, naming paymentDetails", async () => {
    const error = await refusal(confirmWith(card(1, 2020)));
    expect(error.rawMessage).toBe("paymentDetails: the card has expired");
    expect(errorDetailsOf(error)).toMatchObject({ kind: "invalid", field: "paymentDetails" });
  });

  it("is good until the end of its expiry month (UTC), and expired from the next", async () => {
    const now = new Date();
    const [year, month] = [now.getUTCFullYear(), now.getUTCMonth() + 1];
    await expect(confirmWith(card(month, year))).resolves.toBeDefined();
    const lastMonth = month === 1 ? card(12, year - 1) : card(month - 1, year);
    expect((await refusal(confirmWith(lastMonth))).rawMessage).toBe("paymentDetails: the card has expired");
  });

  it("with no expiry at all is told what is missing, not that it expired", async () => {
    const error = await refusal(confirmWith(card(0, 0)));
    expect(error.rawMessage).not.toMatch(/expired/);
    // The card fields are optional since a payment method id may stand in for them: with a card
    // number, each missing one is named.
    expect(error.rawMessage).toMatch(/paymentDetails: a card needs its expMonth; paymentDetails: a card needs its expYear/);
  });
});

describe("a refused request", () => {
  it("names each field by its JSON name, says what is wrong without regular expressions, and lists every field in the details", async () => {
    const error = await refusal(clients().search.searchEvents({ date: "2027-13-01", pageSize: 1_000 }));
    expect(error.rawMessage).toBe(
      "date: must be a day written YYYY-MM-DD, such as 2026-07-14; pageSize: must be greater than or equal to 1 and less than or equal to 100",
    );
    expect(errorDetailsOf(error)).toEqual({
      kind: "invalid",
      field: "date",
      violations: [
        { field: "date", rule: "date.day", message: "must be a day written YYYY-MM-DD, such as 2026-07-14" },
        { field: "pageSize", rule: "int32.gte_lte", message: "must be greater than or equal to 1 and less than or equal to 100" },
      ],
    });
  });

  it("words ids, repeated tickets and card digits for people, with list positions in the path", async () => {
    const reserve = await refusal(clients().booking.reserveTickets({ eventId: "event-1", ticketIds: [TICKET, TICKET, "seat-7"] }));
    expect(reserve.rawMessage).toBe(
      "eventId: must be an id: a UUID such as 9b2f0c1e-5a4d-4e8b-8f3a-2c1d0e9f8a7b; ticketIds: lists the same ticket more than once; ticketIds[2]: must be an id: a UUID such as 9b2f0c1e-5a4d-4e8b-8f3a-2c1d0e9f8a7b",
    );
    const confirm = await refusal(confirmWith({ ...card(12, 2030), cardNumber: "4242 4242", cvc: "12" }));
    expect(confirm.rawMessage).toBe(
      "paymentDetails.cardNumber: must be the 12 to 19 digits of the card number, without spaces; paymentDetails.cvc: must be the 3 or 4 digits printed on the card",
    );
    expect(errorDetailsOf(confirm)?.field).toBe("paymentDetails.cardNumber");
  });

  it("asks for an event type instead of quoting the enum's zero value", async () => {
    const error = await refusal(clients().catalog.createEvent({ event: { name: "Gig", type: EventType.UNSPECIFIED } }));
    expect(error.rawMessage).toMatch(/^event\.type: choose an event type;/);
    expect(error.rawMessage).not.toMatch(/\[0\]|\bin list\b/);
  });

  it("states a rule on the whole request in the JSON names, without a field", async () => {
    const error = await refusal(clients().booking.confirmBooking({ idempotencyKey: "checkout-0001", paymentDetails: card(12, 2030) }));
    expect(error.rawMessage).toBe("give reservationId, or the ticketIds to buy");
    expect(errorDetailsOf(error)).toEqual({ kind: "invalid", violations: [{ rule: "confirm.target", message: "give reservationId, or the ticketIds to buy" }] });
  });

  it("keeps protovalidate's Violations detail for clients that read it", async () => {
    const error = await refusal(clients().search.searchEvents({ pageSize: 0 }));
    const [violations] = error.findDetails(ViolationsSchema);
    expect(violations?.violations.map((violation) => violation.ruleId)).toEqual(["int32.gte_lte"]);
  });

  it("is worded the same on a server stream", async () => {
    const watch = async () => {
      for await (const _ of clients().catalog.watchEventTickets({ eventId: "nope" }));
    };
    expect((await refusal(watch())).rawMessage).toBe("eventId: must be an id: a UUID such as 9b2f0c1e-5a4d-4e8b-8f3a-2c1d0e9f8a7b");
  });

  it("leaves a handler's own errors as they were, naming the field as the caller wrote it", async () => {
    const error = await refusal(clients().catalog.getEvent({ eventId: TICKET }));
    expect(error.rawMessage).toBe("event_id is not one of ours");
    expect(errorDetailsOf(error)).toEqual({ kind: "invalid", field: "eventId" });
  });
});
