import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HoldStatus } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { createAdmissionSigner, type AdmissionSigner } from "../../services/queue/adapters/tokens/admission-signer.js";
import { generateAdmissionSigningKey } from "../../services/shared/admission/admission-keys.js";
import { createAdmissionVerifier } from "../../services/shared/admission/admission-verifier.js";
import { postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { whereOnSale } from "../support/on-sale-events.js";
import { card, startBookingFixture, type BookingFixture } from "./booking-fixture.js";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("redis-server", await redisServerAvailable());

describe.skipIf(!ready)("a high-demand event sells only to buyers its waiting room admitted", () => {
  let fx: BookingFixture;
  let sign: AdmissionSigner;
  let forge: AdmissionSigner;
  let otherEventId: string;
  let otherTicketIds: string[];
  const minute = 60_000;
  const admission = (userId: string, eventId: string, expiresInMs = 10 * minute) =>
    sign({ userId, eventId, admittedAtMs: Date.now() - minute, expiresAtMs: Date.now() + expiresInMs });

  async function refusal(call: Promise<unknown>): Promise<ConnectError> {
    const error = await call.then(
      () => undefined,
      (caught: unknown) => ConnectError.from(caught),
    );
    if (!error) throw new Error("the call was allowed");
    return error;
  }
  const reserve = async (userId: string, ticketId: string, admissionToken: string, eventId = fx.eventId) =>
    fx.client.reserveTickets({ eventId, ticketIds: [ticketId], admissionToken }, await fx.as(userId));

  beforeAll(async () => {
    const queueKey = await generateAdmissionSigningKey("queue-key");
    // Same kid, another private key: what a forger who read the JWKS could make at best.
    const forgerKey = await generateAdmissionSigningKey("queue-key");
    sign = createAdmissionSigner(queueKey.key);
    forge = createAdmissionSigner(forgerKey.key);
    fx = await startBookingFixture({ admission: createAdmissionVerifier({ jwks: queueKey.key.jwks }) });
    await fx.database.db("events").where({ id: fx.eventId }).update({ high_demand: true });
    const [other] = await whereOnSale(fx.database.db("events")).whereNot({ id: fx.eventId }).select("id").limit(1);
    otherEventId = other.id;
    await fx.database.db("events").where({ id: otherEventId }).update({ high_demand: false });
    otherTicketIds = await fx.database.db("tickets").where({ event_id: otherEventId }).orderBy("id").pluck("id");
  }, 60_000);

  afterAll(async () => {
    await fx?.close();
  });

  it("refuses a reserve without an admission, saying how to get one", async () => {
    const error = await refusal(reserve("alice", fx.ticketIds[0]!, ""));
    expect(error.code).toBe(Code.PermissionDenied);
    expect(error.rawMessage).toMatch(/waiting room: join its queue/);
  });

  it("refuses a forged admission", async () => {
    const error = await refusal(reserve("alice", fx.ticketIds[0]!, await forge({ userId: "alice", eventId: fx.eventId, admittedAtMs: Date.now(), expiresAtMs: Date.now() + minute })));
    expect(error.code).toBe(Code.PermissionDenied);
    expect(error.rawMessage).toMatch(/not one the waiting room issued/);
  });

  it("refuses an admission that was altered after signing", async () => {
    const [header, , signature] = (await admission("alice", otherEventId)).split(".");
    const payload = Buffer.from(JSON.stringify({ sub: "alice", evt: fx.eventId, iss: "boxoffice-queue", aud: "boxoffice-booking", exp: Math.floor(Date.now() / 1000) + 600 })).toString("base64url");
    const error = await refusal(reserve("alice", fx.ticketIds[0]!, `${header}.${payload}.${signature}`));
    expect(error.code).toBe(Code.PermissionDenied);
    expect(error.rawMessage).toMatch(/not one the waiting room issued/);
  });

  it("refuses an expired admission, telling the buyer to queue again", async () => {
    const error = await refusal(reserve("alice", fx.ticketIds[0]!, await admission("alice", fx.eventId, -minute)));
    expect(error.code).toBe(Code.PermissionDenied);
    expect(error.rawMessage).toMatch(/expired: join the event's queue again/);
  });

  it("refuses another buyer's admission", async () => {
    const error = await refusal(reserve("mallory", fx.ticketIds[0]!, await admission("alice", fx.eventId)));
    expect(error.code).toBe(Code.PermissionDenied);
    expect(error.rawMessage).toMatch(/issued to another account/);
  });

  it("refuses an admission to another event", async () => {
    const error = await refusal(reserve("alice", fx.ticketIds[0]!, await admission("alice", otherEventId)));
    expect(error.code).toBe(Code.PermissionDenied);
    expect(error.rawMessage).toMatch(/admits you to another event/);
  });

  it("reserves and confirms with a valid admission, and refuses the confirm without it", async () => {
    const token = await admission("carol", fx.eventId);
    const reserved = await reserve("carol", fx.ticketIds[1]!, token);
    expect(reserved.reservation?.holdStatus).toBe(HoldStatus.HELD);
    const reservationId = reserved.reservation!.id;

    const withoutToken = await refusal(fx.client.confirmBooking({ reservationId, idempotencyKey: "carol-checkout-1", paymentDetails: card() }, await fx.as("carol")));
    expect(withoutToken.code).toBe(Code.PermissionDenied);

    const confirmed = await fx.client.confirmBooking({ reservationId, idempotencyKey: "carol-checkout-2", paymentDetails: card(), admissionToken: token }, await fx.as("carol"));
    expect(confirmed.booking?.tickets.map((ticket) => ticket.ticketId)).toEqual([fx.ticketIds[1]]);
  });

  it("sells an event that is not high-demand as before, without any admission", async () => {
    const reserved = await reserve("dave", otherTicketIds[0]!, "", otherEventId);
    expect(reserved.reservation?.holdStatus).toBe(HoldStatus.HELD);
  });
});
