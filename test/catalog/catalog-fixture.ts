import { randomBytes, randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Redis } from "ioredis";
import { CatalogService, EventInputSchema, VenueInputSchema, type EventInput } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { EventType, TicketStatus } from "../../gen/boxoffice/common/v1/event_pb.js";
import { catalogService, type CatalogServiceDefinition, type CatalogSettings } from "../../services/catalog/catalog-service.js";
import { createDevTokenIssuer } from "../../services/shared/auth/dev-token-issuer.js";
import { createTokenVerifier, type AuthSettings } from "../../services/shared/auth/token-verifier.js";
import { RedisCache } from "../../services/shared/cache/redis-cache.js";
import { createRedisQuorumHoldReader } from "../../services/shared/holds/redis-quorum-hold-reader.js";
import { eventHoldEntry, eventHoldsKey, holdKey } from "../../services/shared/holds/ticket-holds.js";
import { createLogger } from "../../services/shared/logging/logger.js";
import { closeRedisClients, createRedisClients } from "../../services/shared/redis/redis-clients.js";
import { startService, type StartedService } from "../../services/shared/server/start-service.js";
import { RedisTicketStatusBus } from "../../services/shared/ticket-events/redis-ticket-status-bus.js";
import type { TicketStatusChange } from "../../services/shared/ticket-events/ticket-status-bus.js";
import { createTestDatabase, redisLockUrls, type TestDatabase } from "../support/real-services.js";

export const auth: AuthSettings = { mode: "dev", devSecret: "catalog-test-secret-0123456789", issuer: "boxoffice-dev", audience: "boxoffice" };
const HOUR = 3_600_000;

export type EventOverrides = Partial<Omit<EventInput, "$typeName" | "$unknown">>;
export interface SectionSpec {
  code: string;
  name?: string;
  rows?: Array<{ label: string; seats: number }>;
  generalAdmissionCapacity?: number;
}

/** One catalog process: its own Redis connections, as a replica in a Deployment has. */
export interface CatalogReplica {
  definition: CatalogServiceDefinition;
  service: StartedService;
  client: Client<typeof CatalogService>;
  address: string;
}

/**
 * The catalog on real PostgreSQL (a fresh database) and the three shared Redis masters: holds
 * are read with the production quorum reader, the static part cached in Redis under a prefix
 * of this suite's own, status messages fanned out through Redis pub/sub.
 */
export interface CatalogFixture {
  database: TestDatabase;
  lockNodes: Redis[];
  replicas: CatalogReplica[];
  client: Client<typeof CatalogService>;
  cacheKeys(): Promise<string[]>;
  startReplica(): Promise<CatalogReplica>;
  as(userId: string, roles?: string[]): Promise<{ headers: Headers }>;
  /** A hold as Redlock leaves it: the same value on a quorum (default 2 of 3) of the masters. */
  holdOnQuorum(ticketIds: readonly string[], ttlMs: number, nodes?: number): Promise<void>;
  dropHolds(ticketIds: readonly string[]): Promise<void>;
  /** What booking's confirm writes: a booking row and its tickets marked booked. */
  book(eventId: string, ticketIds: readonly string[]): Promise<void>;
  /** Publishes as booking does from its own replica. */
  publish(eventId: string, changes: TicketStatusChange[]): Promise<void>;
  createVenue(name: string, sections: SectionSpec[]): Promise<string>;
  createEvent(venueId: string, prices: Record<string, number>, overrides?: EventOverrides): Promise<{ eventId: string; ticketsCreated: number }>;
  ticketIds(eventId: string): Promise<string[]>;
  close(): Promise<void>;
}

export function eventInput(venueId: string, prices: Record<string, number>, overrides: EventOverrides = {}) {
  const startsAt = new Date(Date.now() + 30 * 24 * HOUR);
  return create(EventInputSchema, {
    name: "Golden Hour Live",
    description: "A test concert",
    type: EventType.CONCERT,
    venueId,
    startsAt: timestampFromDate(startsAt),
    endsAt: timestampFromDate(new Date(startsAt.getTime() + 3 * HOUR)),
    onSaleAt: timestampFromDate(new Date()),
    priceTiers: Object.entries(prices).map(([section, amount]) => ({ section, price: { amountMinor: BigInt(amount), currency: "GBP" } })),
    ...overrides,
  });
}

export function venueInput(name: string, sections: SectionSpec[]) {
  return create(VenueInputSchema, {
    name,
    address: "1 Harbour Road",
    city: "Bristol",
    country: "GB",
    location: { latitude: 51.45, longitude: -2.59 },
    timezone: "Europe/London",
    seatMap: { sections: sections.map((section) => ({ name: `Section ${section.code}`, ...section })) },
  });
}

export const statusName = (status: TicketStatus) => TicketStatus[status].toLowerCase();

export interface CatalogFixtureOptions {
  /** Lock nodes of the suite's own (test/support/redis-nodes-fixture.ts), to stop and start; cache and pub/sub stay on the shared Redis. */
  lockUrls?: string[];
}

export async function startCatalogFixture(settings: Partial<CatalogSettings> = {}, options: CatalogFixtureOptions = {}): Promise<CatalogFixture> {
  const database = await createTestDatabase();
  const urls = redisLockUrls();
  const lockNodes = createRedisClients(options.lockUrls ?? urls);
  const prefix = `test:catalog:${randomBytes(6).toString("hex")}:`;
  const issue = createDevTokenIssuer(auth);
  const logger = createLogger("catalog-test", "silent");
  const connections: Redis[] = [];
  const replicas: CatalogReplica[] = [];
  const heldKeys = new Set<string>();

  const publisher = new Redis(urls[0]!);
  connections.push(publisher);
  const busForBooking = new RedisTicketStatusBus(publisher, publisher);

  async function startReplica(): Promise<CatalogReplica> {
    const shared = new Redis(urls[0]!);
    const subscriber = new Redis(urls[0]!);
    connections.push(shared, subscriber);
    const definition = catalogService({
      db: database.db,
      holds: createRedisQuorumHoldReader(lockNodes),
      cache: new RedisCache(shared, prefix),
      ticketStatusBus: new RedisTicketStatusBus(shared, subscriber),
      verifyToken: createTokenVerifier(auth),
      settings,
    });
    const service = await startService(definition, { host: "127.0.0.1", port: 0 }, logger);
    const address = `127.0.0.1:${service.port}`;
    const replica = { definition, service, address, client: createClient(CatalogService, createGrpcTransport({ baseUrl: `http://${address}` })) };
    replicas.push(replica);
    return replica;
  }

  /** Ticket id → its event, for the hold index. */
  async function eventsOf(ticketIds: readonly string[]): Promise<Map<string, string>> {
    const rows: Array<{ id: string; event_id: string }> = await database.db("tickets").whereIn("id", [...ticketIds]).select("id", "event_id");
    return new Map(rows.map((row) => [row.id, row.event_id]));
  }

  const first = await startReplica();
  const admin = { headers: new Headers({ authorization: `Bearer ${await issue("ops", ["admin"])}` }) };

  const fixture: CatalogFixture = {
    database,
    lockNodes,
    replicas,
    client: first.client,
    async cacheKeys() {
      return (await publisher.keys(`${prefix}*`)).map((key) => key.slice(prefix.length));
    },
    startReplica,
    async as(userId, roles = ["buyer"]) {
      return { headers: new Headers({ authorization: `Bearer ${await issue(userId, roles)}` }) };
    },
    async holdOnQuorum(ticketIds, ttlMs, nodes = 2) {
      const holder = randomUUID();
      const expiresAtMs = Date.now() + ttlMs;
      const events = await eventsOf(ticketIds);
      for (const id of ticketIds) heldKeys.add(holdKey(id));
      for (const eventId of new Set(events.values())) heldKeys.add(eventHoldsKey(eventId));
      // What booking's hold script writes: the ticket's key and its entry in the event's hold index.
      await Promise.all(
        lockNodes.slice(0, nodes).map((node) => {
          const pipeline = node.pipeline();
          for (const id of ticketIds) {
            pipeline.set(holdKey(id), holder, "PX", ttlMs);
            pipeline.hset(eventHoldsKey(events.get(id)!), id, eventHoldEntry(expiresAtMs, holder));
          }
          return pipeline.exec();
        }),
      );
    },
    async dropHolds(ticketIds) {
      if (ticketIds.length === 0) return;
      const events = await eventsOf(ticketIds);
      await Promise.all(
        lockNodes.map((node) => {
          const pipeline = node.pipeline().del(...ticketIds.map(holdKey));
          for (const id of ticketIds) pipeline.hdel(eventHoldsKey(events.get(id)!), id);
          return pipeline.exec();
        }),
      );
    },
    async book(eventId, ticketIds) {
      await database.db.transaction(async (trx) => {
        const [booking] = await trx("bookings")
          .insert({ user_id: "buyer", event_id: eventId, total_minor: 0, currency: "GBP", idempotency_key: randomUUID() })
          .returning("id");
        await trx("tickets").whereIn("id", [...ticketIds]).update({ status: "booked", booking_id: booking.id });
      });
    },
    publish: (eventId, changes) => busForBooking.publish(eventId, changes),
    async createVenue(name, sections) {
      const response = await first.client.createVenue({ venue: venueInput(name, sections) }, admin);
      return response.venue!.id;
    },
    async createEvent(venueId, prices, overrides = {}) {
      const response = await first.client.createEvent({ event: eventInput(venueId, prices, overrides) }, admin);
      return { eventId: response.event!.id, ticketsCreated: response.ticketsCreated };
    },
    async ticketIds(eventId) {
      return database.db("tickets").where({ event_id: eventId }).orderBy("id").pluck("id");
    },
    async close() {
      for (const replica of replicas) replica.definition.endStreams();
      await Promise.all(replicas.map((replica) => replica.service.close(1_000)));
      const keys = [...heldKeys];
      // A stopped suite-owned node keeps nothing: there is nothing to delete on it.
      for (let i = 0; i < keys.length; i += 1_000) {
        await Promise.all(lockNodes.map((node) => node.del(...keys.slice(i, i + 1_000)).catch(() => undefined)));
      }
      const cached = await publisher.keys(`${prefix}*`);
      if (cached.length > 0) await publisher.del(...cached);
      await closeRedisClients([...lockNodes, ...connections]);
      await database.drop();
    },
  };
  return fixture;
}
