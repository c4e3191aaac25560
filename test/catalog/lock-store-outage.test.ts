import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { errorDetailsOf } from "../../services/shared/errors/to-connect-error.js";
import { postgresAvailable, redisAvailable, requireService } from "../support/real-services.js";
import { redisServerAvailable, startRedisNodes, type RedisNodes } from "../support/redis-nodes-fixture.js";
import { eventually } from "../support/spawned-service.js";
import { eventInput, startCatalogFixture, statusName, type CatalogFixture } from "./catalog-fixture.js";
import { watch } from "./watch-client.js";

const ready =
  requireService("PostgreSQL", await postgresAvailable()) &&
  requireService("Redis (cache and pub/sub)", await redisAvailable()) &&
  requireService("redis-server (suite-owned lock nodes)", await redisServerAvailable());

// DESIGN.md: Redis down = degrade, don't fail. The lock nodes here are the suite's own, so two
// of three can be killed without disturbing other suites; cache and pub/sub stay on the shared Redis.
describe.skipIf(!ready)("the catalog without a quorum of lock nodes", () => {
  let nodes: RedisNodes;
  let fixture: CatalogFixture;
  let admin: { headers: Headers };
  let eventId: string;
  let tickets: string[];
  let otherVenueId: string;
  const down = new Set<number>();

  const stopQuorum = async () => {
    for (const index of [1, 2]) {
      await nodes.stop(index);
      down.add(index);
    }
  };
  const restartNodes = async () => {
    for (const index of [...down]) await nodes.start(index);
    down.clear();
    // The clients reconnect on their own schedule (up to 2 s between attempts).
    await eventually(async () => expect(await Promise.all(fixture.lockNodes.map((node) => node.ping()))).toEqual(["PONG", "PONG", "PONG"]), 15_000, 100);
  };

  const view = async () => {
    const response = await fixture.client.getEvent({ eventId });
    return { holdsUnknown: response.holdsUnknown, status: new Map(response.tickets.map((t) => [t.id, statusName(t.status)])) };
  };

  beforeAll(async () => {
    nodes = await startRedisNodes(3);
    // Polls often, so a watcher notices the nodes leaving and returning within the test's patience.
    fixture = await startCatalogFixture({ watchPollIntervalMs: 200 }, { lockUrls: nodes.urls });
    admin = await fixture.as("ops", ["admin"]);
    const venueId = await fixture.createVenue("Outage Hall", [{ code: "A", rows: [{ label: "1", seats: 8 }] }]);
    otherVenueId = await fixture.createVenue("Outage Annex", [{ code: "A", rows: [{ label: "1", seats: 8 }] }]);
    ({ eventId } = await fixture.createEvent(venueId, { A: 3_000 }));
    tickets = await fixture.ticketIds(eventId);
    await fixture.book(eventId, [tickets[0]!]);
  });

  afterEach(async () => {
    if (down.size > 0) await restartNodes();
  });

  afterAll(async () => {
    await fixture?.close();
    await nodes?.close();
  });

  it("GetEvent answers with booked from PostgreSQL and the rest available, saying holds are unknown, and recovers when the nodes return", async () => {
    const [booked, held] = tickets as [string, string];
    await fixture.holdOnQuorum([held], 60_000);
    expect(await view()).toMatchObject({ holdsUnknown: false });
    expect((await view()).status.get(held)).toBe("reserved");

    await stopQuorum();
    const degraded = await view();
    expect(degraded.holdsUnknown).toBe(true);
    expect(degraded.status.get(booked)).toBe("booked");
    expect([...degraded.status.values()].filter((s) => s === "available")).toHaveLength(tickets.length - 1);

    await restartNodes();
    // The restarted nodes kept nothing, so the old hold lacks a quorum; a new one shows again.
    const [, , later] = tickets as [string, string, string];
    await fixture.holdOnQuorum([later], 60_000);
    const recovered = await view();
    expect(recovered.holdsUnknown).toBe(false);
    expect(recovered.status.get(later)).toBe("reserved");
    await fixture.dropHolds([held, later]);
  });

  it("WatchEventTickets starts while the nodes are down, then shows holds once they answer again", async () => {
    await stopQuorum();
    const watcher = watch(fixture.client, eventId);
    try {
      await eventually(async () => expect(watcher.state.size).toBe(tickets.length), 10_000, 20);
      expect(watcher.failure()).toBeUndefined();
      expect(watcher.received[0]).toMatchObject({ snapshot: true, holdsUnknown: true });
      expect(watcher.state.get(tickets[0]!)).toBe("booked");

      await restartNodes();
      const ticket = tickets[3]!;
      // No message announces this hold: the poll that finds the nodes back asks about every unbooked ticket.
      await fixture.holdOnQuorum([ticket], 60_000);
      await watcher.until(ticket, "reserved");
      expect(watcher.holdsUnknown()).toBe(false);
      await fixture.dropHolds([ticket]);
    } finally {
      await watcher.stop();
    }
  });

  it("a running watch shows held tickets as available and says holds are unknown when the nodes go down", async () => {
    const ticket = tickets[4]!;
    await fixture.holdOnQuorum([ticket], 60_000);
    const watcher = watch(fixture.client, eventId);
    try {
      await watcher.until(ticket, "reserved");
      await stopQuorum();
      await watcher.until(ticket, "available");
      expect(watcher.holdsUnknown()).toBe(true);
      expect(watcher.failure()).toBeUndefined();
    } finally {
      await watcher.stop();
    }
  });

  it("refuses to move an event to another venue (UNAVAILABLE, naming event.venueId) while holds cannot be read; other updates go ahead", async () => {
    await stopQuorum();
    const move = await fixture.client
      .updateEvent({ eventId, event: eventInput(otherVenueId, { A: 3_000 }) }, admin)
      .catch((error: unknown) => ConnectError.from(error));
    expect(move).toBeInstanceOf(ConnectError);
    expect((move as ConnectError).code).toBe(Code.Unavailable);
    expect(errorDetailsOf(move as ConnectError)).toMatchObject({ field: "event.venueId" });

    const current = await fixture.client.getEvent({ eventId });
    const renamed = await fixture.client.updateEvent(
      { eventId, event: eventInput(current.venue!.id, { A: 3_000 }, { name: "Renamed During Outage" }) },
      admin,
    );
    expect(renamed.event?.name).toBe("Renamed During Outage");
    expect((await fixture.client.getEvent({ eventId })).venue?.id).toBe(current.venue!.id);
  });
});
