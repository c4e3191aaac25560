import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlaceStatus, QueueState } from "../../gen/boxoffice/queue/v1/queue_pb.js";
import { postgresAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable } from "../support/redis-nodes-fixture.js";
import { ADMISSION_TTL_MS, startQueueFixture, type QueueFixture } from "./queue-fixture.js";
import { EXPIRED_ADMISSION_KEPT_MS } from "../../services/queue/domain/admission-worker.js";
import { Redis } from "ioredis";

const ready = requireService("PostgreSQL", await postgresAvailable()) && requireService("redis-server", await redisServerAvailable());

describe.skipIf(!ready)("the waiting room on real PostgreSQL and Redis", () => {
  let fx: QueueFixture;
  const admin = () => fx.as("ops", ["admin"]);
  const join = async (userId: string, eventId: string) => (await fx.instance.client.joinQueue({ eventId }, await fx.as(userId))).place!;
  const placeOf = async (userId: string, eventId: string) => (await fx.instance.client.getQueuePosition({ eventId }, await fx.as(userId))).place!;
  const users = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(3, "0")}`);
  /** Steps the admission worker on one queue once a second for `seconds` on the fixture's clock; answers how many it admitted. */
  async function runWorker(eventId: string, seconds: number): Promise<number> {
    let admitted = 0;
    for (let s = 0; s < seconds; s++) {
      fx.clock.nowMs += 1_000;
      admitted += await fx.instance.queue.worker.step(eventId);
    }
    return admitted;
  }

  beforeAll(async () => {
    fx = await startQueueFixture();
  }, 60_000);

  afterAll(async () => {
    await fx?.close();
  });

  it("places everyone who arrived before the on-sale in random order, then later arrivals first come, first served", async () => {
    const onSaleAtMs = fx.clock.nowMs + 60_000;
    const { eventId } = await fx.newEvent(onSaleAtMs);
    await fx.instance.client.openQueue({ eventId, admissionRatePerMinute: 60 }, await admin());
    const early = users("early", 40);
    for (const user of early) {
      expect((await join(user, eventId)).status).toBe(PlaceStatus.WAITING_FOR_ON_SALE);
      fx.clock.nowMs += 100;
    }
    fx.clock.nowMs = onSaleAtMs + 1;
    const late = users("late", 5);
    for (const user of late) {
      await join(user, eventId);
      fx.clock.nowMs += 1;
    }

    const earlyPositions = await Promise.all(early.map(async (user) => Number((await placeOf(user, eventId)).position)));
    expect([...earlyPositions].sort((a, b) => a - b)).toEqual(early.map((_, i) => i + 1));
    // In join order with probability 1/40!: arriving first bought nothing.
    expect(earlyPositions).not.toEqual(early.map((_, i) => i + 1));
    const latePositions = await Promise.all(late.map(async (user) => (await placeOf(user, eventId)).position));
    expect(latePositions.map(Number)).toEqual(late.map((_, i) => early.length + i + 1));
    expect((await placeOf(late[0]!, eventId)).status).toBe(PlaceStatus.WAITING);
  });

  it("answers the same place to a buyer who joins again, from a refresh or many tabs at once", async () => {
    const { eventId } = await fx.newEvent(null);
    await fx.instance.client.openQueue({ eventId, admissionRatePerMinute: 60 }, await admin());
    for (const user of users("ahead", 3)) await join(user, eventId);
    const first = await join("tabs", eventId);
    fx.clock.nowMs += 5_000;
    const again = await Promise.all(Array.from({ length: 12 }, () => join("tabs", eventId)));
    for (const place of again) {
      expect(place.position).toBe(first.position);
      expect(place.queueLength).toBe(4n);
    }
    expect(first.position).toBe(4n);
  });

  it("keeps every place, and the admitted, across a restart of the queue service", async () => {
    const { eventId } = await fx.newEvent(null);
    await fx.instance.client.openQueue({ eventId, admissionRatePerMinute: 60 }, await admin());
    const line = users("kept", 10);
    for (const user of line) {
      await join(user, eventId);
      fx.clock.nowMs += 1;
    }
    await runWorker(eventId, 2);
    const before = await Promise.all(line.map((user) => placeOf(user, eventId)));

    await fx.restart();

    const after = await Promise.all(line.map((user) => placeOf(user, eventId)));
    expect(after.map((place) => [place.status, place.position])).toEqual(before.map((place) => [place.status, place.position]));
    expect(after.filter((place) => place.status === PlaceStatus.ADMITTED)).toHaveLength(2);
    // The new process admits on from where the old one stopped.
    await runWorker(eventId, 1);
    expect((await placeOf(line[2]!, eventId)).status).toBe(PlaceStatus.ADMITTED);
    expect((await placeOf(line[3]!, eventId)).position).toBe(1n);
  });

  it("admits at the configured rate, front of the line first, each admitted buyer with a token", async () => {
    const { eventId } = await fx.newEvent(null);
    await fx.instance.client.openQueue({ eventId, admissionRatePerMinute: 120 }, await admin());
    const line = users("rate", 100);
    for (const user of line) {
      await join(user, eventId);
      fx.clock.nowMs += 1;
    }
    expect(await runWorker(eventId, 15)).toBe(30);
    const places = await Promise.all(line.map((user) => placeOf(user, eventId)));
    expect(places.slice(0, 30).every((place) => place.status === PlaceStatus.ADMITTED && place.admissionToken.length > 0)).toBe(true);
    expect(places.slice(30).map((place) => Number(place.position))).toEqual(line.slice(30).map((_, i) => i + 1));
    // The estimate is from the rate measured over the last minute: 30 admitted in it.
    expect(places[30]!.estimatedWaitSeconds).toBe(2n);

    await fx.instance.client.setAdmissionRate({ eventId, admissionRatePerMinute: 60 }, await admin());
    expect(await runWorker(eventId, 10)).toBe(10);
    await fx.instance.client.pauseQueue({ eventId }, await admin());
    expect(await runWorker(eventId, 10)).toBe(0);
    expect((await placeOf(line[40]!, eventId)).estimatedWaitSeconds).toBeUndefined();
    await fx.instance.client.resumeQueue({ eventId }, await admin());
    expect(await runWorker(eventId, 10)).toBe(10);
  });

  it("prunes from the admitted set the admissions whose tokens expired a while ago, and only those", async () => {
    const { eventId } = await fx.newEvent(null);
    await fx.instance.client.openQueue({ eventId, admissionRatePerMinute: 600 }, await admin());
    const early = users("prune-early", 5);
    for (const user of early) await join(user, eventId);
    expect(await runWorker(eventId, 1)).toBe(5);
    const admittedKey = `queue:{${eventId}}:admitted`;
    const redis = new Redis(fx.redis.urls[0]!);
    try {
      expect(await redis.zcard(admittedKey)).toBe(5);
      // Their tokens expire; for a while they still read that their admission expired.
      fx.clock.nowMs += ADMISSION_TTL_MS + 1_000;
      const late = users("prune-late", 3);
      for (const user of late) await join(user, eventId);
      expect(await runWorker(eventId, 1)).toBe(3);
      expect(await redis.zcard(admittedKey)).toBe(8);
      expect((await placeOf(early[0]!, eventId)).status).toBe(PlaceStatus.ADMISSION_EXPIRED);
      // Once EXPIRED_ADMISSION_KEPT_MS has passed too, the next step forgets them; the later three stay
      // (their tokens have just run out as well, and say so).
      fx.clock.nowMs += EXPIRED_ADMISSION_KEPT_MS;
      await runWorker(eventId, 1);
      expect((await redis.zrange(admittedKey, "0", "-1")).sort()).toEqual([...late].sort());
      expect((await placeOf(early[0]!, eventId)).status).toBe(PlaceStatus.NOT_IN_QUEUE);
      expect((await placeOf(late[0]!, eventId)).status).toBe(PlaceStatus.ADMISSION_EXPIRED);
    } finally {
      redis.disconnect();
    }
  });

  it("admits only as held tickets free up, and stops, saying so, when the event is sold out", async () => {
    const { eventId, ticketIds } = await fx.newEvent(null);
    await fx.instance.client.openQueue({ eventId, admissionRatePerMinute: 600 }, await admin());
    const line = users("sold", 20);
    for (const user of line) await join(user, eventId);
    const [kept, ...rest] = ticketIds;
    await fx.book(eventId, rest);
    const hold = await fx.holds.hold({ eventId, ticketIds: [kept!], ttlMs: 60_000, userId: "someone" });
    expect(hold.kind).toBe("held");
    expect(await runWorker(eventId, 5)).toBe(0);
    expect((await placeOf(line[0]!, eventId)).status).toBe(PlaceStatus.WAITING);

    if (hold.kind === "held") await fx.holds.release({ eventId, ticketIds: [kept!], token: hold.token });
    expect(await runWorker(eventId, 5)).toBe(1);

    await fx.book(eventId, [kept!]);
    expect(await runWorker(eventId, 5)).toBe(0);
    const place = await placeOf(line[5]!, eventId);
    expect(place.status).toBe(PlaceStatus.SOLD_OUT);
    expect(place.queueState).toBe(QueueState.SOLD_OUT);
    expect(place.message).toMatch(/sold out/);
  });

  it("refuses the admin calls to a buyer, and a queue for an event that is not high-demand", async () => {
    const { eventId } = await fx.newEvent(null);
    const asBuyer = await fx.instance.client.openQueue({ eventId, admissionRatePerMinute: 60 }, await fx.as("mallory")).catch((error: unknown) => ConnectError.from(error));
    expect(asBuyer).toMatchObject({ code: Code.PermissionDenied });
    await fx.database.db("events").where({ id: eventId }).update({ high_demand: false });
    const ordinary = await fx.instance.client.openQueue({ eventId, admissionRatePerMinute: 60 }, await admin()).catch((error: unknown) => ConnectError.from(error));
    expect(ordinary).toMatchObject({ code: Code.FailedPrecondition });
    const noQueue = await fx.instance.client.joinQueue({ eventId }, await fx.as("bob")).catch((error: unknown) => ConnectError.from(error));
    expect(noQueue).toMatchObject({ code: Code.NotFound });
  });
});
