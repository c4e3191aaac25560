import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { PlaceStatus, QueueService, QueueState } from "../../gen/boxoffice/queue/v1/queue_pb.js";
import { generateAdmissionSigningKey } from "../shared/admission/admission-keys.js";
import { createAdmissionVerifier } from "../shared/admission/admission-verifier.js";
import { createDevTokenIssuer } from "../shared/auth/dev-token-issuer.js";
import { createTokenVerifier, type AuthSettings } from "../shared/auth/token-verifier.js";
import { createLogger } from "../shared/logging/logger.js";
import { domainErrorInterceptor, validationInterceptor } from "../shared/rpc/interceptors.js";
import { createInMemoryQueueStore } from "./adapters/memory/in-memory-queue-store.js";
import type { InventoryLevel } from "./domain/queue-types.js";
import { queueService } from "./queue-service.js";

const auth: AuthSettings = { mode: "dev", devSecret: "queue-handlers-secret-0123456789", issuer: "boxoffice-dev", audience: "boxoffice" };
const EVENT = "0b6f2a52-0d7e-4f0e-9d55-5e3c1d2a4b6f";
const TTL_MS = 900_000;

async function queueUnderTest() {
  const clock = { nowMs: Date.parse("2030-06-01T18:00:00Z") };
  const inventory: InventoryLevel = { unsold: 100, held: 0 };
  const database = { knowsEvent: true };
  const { key } = await generateAdmissionSigningKey("handlers-test");
  const queue = queueService({
    store: createInMemoryQueueStore(),
    events: { find: async (id) => (id === EVENT && database.knowsEvent ? { id, onSaleAt: null, highDemand: true } : undefined), inventory: async () => inventory },
    signingKey: key,
    verifyToken: createTokenVerifier(auth),
    settings: { admissionTtlMs: TTL_MS, admitIntervalMs: 3_600_000, watchPollMs: 5 },
    logger: createLogger("queue-handlers-test", "silent"),
    now: () => clock.nowMs,
  });
  const transport = createRouterTransport(queue.definition.routes, {
    router: { interceptors: [domainErrorInterceptor(), ...(queue.definition.interceptors ?? []), validationInterceptor()] },
  });
  const client = createClient(QueueService, transport);
  const issue = createDevTokenIssuer(auth);
  const as = async (userId: string, roles = ["buyer"]) => ({ headers: new Headers({ authorization: `Bearer ${await issue(userId, roles)}` }) });
  await client.openQueue({ eventId: EVENT, admissionRatePerMinute: 60 }, await as("ops", ["admin"]));
  const step = async () => {
    clock.nowMs += 1_000;
    return queue.worker.step(EVENT);
  };
  return { client, as, clock, database, inventory, key, step, verifier: (nowMs: number) => createAdmissionVerifier({ jwks: key.jwks }, () => new Date(nowMs)) };
}

describe("WatchQueuePosition", () => {
  it("streams the place, then the admission with its token, and ends", async () => {
    const q = await queueUnderTest();
    await q.client.joinQueue({ eventId: EVENT }, await q.as("ann"));
    const stream = q.client.watchQueuePosition({ eventId: EVENT }, await q.as("ann"))[Symbol.asyncIterator]();
    const first = (await stream.next()).value!.place!;
    expect([first.status, first.position, first.queueLength]).toEqual([PlaceStatus.WAITING, 1n, 1n]);

    expect(await q.step()).toBe(1);
    const admitted = (await stream.next()).value!.place!;
    expect(admitted.status).toBe(PlaceStatus.ADMITTED);
    expect(admitted.admissionToken).not.toBe("");
    expect((await stream.next()).done).toBe(true);
  });

  it("tells a waiting buyer the event sold out, and ends", async () => {
    const q = await queueUnderTest();
    for (const user of ["ann", "ben"]) await q.client.joinQueue({ eventId: EVENT }, await q.as(user));
    const stream = q.client.watchQueuePosition({ eventId: EVENT }, await q.as("ben"))[Symbol.asyncIterator]();
    expect((await stream.next()).value!.place!.position).toBe(2n);
    q.inventory.unsold = 0;
    expect(await q.step()).toBe(0);
    const soldOut = (await stream.next()).value!.place!;
    expect([soldOut.status, soldOut.queueState]).toEqual([PlaceStatus.SOLD_OUT, QueueState.SOLD_OUT]);
    expect((await stream.next()).done).toBe(true);
  });
});

describe("the admission worker", () => {
  it("leaves alone a queue whose event its database does not know, instead of calling it sold out", async () => {
    const q = await queueUnderTest();
    await q.client.joinQueue({ eventId: EVENT }, await q.as("ann"));
    // What a worker of another deployment sharing this Redis sees: no such event, so no tickets.
    q.database.knowsEvent = false;
    q.inventory.unsold = 0;
    expect(await q.step()).toBe(0);
    q.database.knowsEvent = true;
    q.inventory.unsold = 100;
    const place = (await q.client.getQueuePosition({ eventId: EVENT }, await q.as("ann"))).place!;
    expect([place.status, place.queueState]).toEqual([PlaceStatus.WAITING, QueueState.OPEN]);
  });
});

describe("the admission token a place carries", () => {
  it("admits its buyer to its event until it expires, and no one else nor elsewhere", async () => {
    const q = await queueUnderTest();
    await q.client.joinQueue({ eventId: EVENT }, await q.as("ann"));
    await q.step();
    const place = (await q.client.getQueuePosition({ eventId: EVENT }, await q.as("ann"))).place!;
    const expiresAtMs = Number(place.admissionExpiresAt!.seconds) * 1000;
    expect(expiresAtMs).toBe(q.clock.nowMs + TTL_MS);

    const now = q.verifier(q.clock.nowMs);
    await expect(now(place.admissionToken, { userId: "ann", eventId: EVENT })).resolves.toBeUndefined();
    await expect(now(place.admissionToken, { userId: "ben", eventId: EVENT })).rejects.toMatchObject({ details: { reason: "admission_other_user" } });
    await expect(now(place.admissionToken, { userId: "ann", eventId: "another-event" })).rejects.toMatchObject({ details: { reason: "admission_other_event" } });
    await expect(q.verifier(expiresAtMs + 1_000)(place.admissionToken, { userId: "ann", eventId: EVENT })).rejects.toMatchObject({ details: { reason: "admission_expired" } });
  });

  it("is replaced by a new place at the back once it has expired and its buyer joins again", async () => {
    const q = await queueUnderTest();
    await q.client.joinQueue({ eventId: EVENT }, await q.as("ann"));
    await q.step();
    await q.client.joinQueue({ eventId: EVENT }, await q.as("ben"));
    q.clock.nowMs += TTL_MS;
    expect((await q.client.getQueuePosition({ eventId: EVENT }, await q.as("ann"))).place!.status).toBe(PlaceStatus.ADMISSION_EXPIRED);
    const again = (await q.client.joinQueue({ eventId: EVENT }, await q.as("ann"))).place!;
    expect([again.status, again.position]).toEqual([PlaceStatus.WAITING, 2n]);
  });
});

describe("QueueService refusals", () => {
  it("needs a signed-in caller to join, and the admin role to open, pause or set the rate", async () => {
    const q = await queueUnderTest();
    const anonymous = await q.client.joinQueue({ eventId: EVENT }).catch((error: unknown) => ConnectError.from(error));
    expect(anonymous).toMatchObject({ code: Code.Unauthenticated });
    const buyer = await q.client.setAdmissionRate({ eventId: EVENT, admissionRatePerMinute: 10 }, await q.as("ann")).catch((error: unknown) => ConnectError.from(error));
    expect(buyer).toMatchObject({ code: Code.PermissionDenied });
  });

  it("refuses a rate outside 1..100000 naming the field", async () => {
    const q = await queueUnderTest();
    const zero = await q.client.setAdmissionRate({ eventId: EVENT, admissionRatePerMinute: 0 }, await q.as("ops", ["admin"])).catch((error: unknown) => ConnectError.from(error));
    expect(zero).toMatchObject({ code: Code.InvalidArgument });
    expect((zero as ConnectError).rawMessage).toMatch(/admissionRatePerMinute/);
  });
});
