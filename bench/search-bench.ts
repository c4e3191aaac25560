/**
 * The same query mix over 100,000 events, side by side in one run: LIKE '%term%' on PostgreSQL
 * (the seed's full scan), PostgreSQL full text (the fallback), the search engine, and the
 * cache-hit path (Redis and in-process). Then the change-data-capture lag: from a committed
 * change to the change being searchable.
 *
 *   npm run services:up && source scripts/services/env.sh && npm run bench:search
 *   BENCH_EVENTS=100000 BENCH_SECONDS=15 BENCH_CONCURRENCY=8 BENCH_LAG_SAMPLES=40
 *
 * Data: the demo generator's events, venues, performers and line-ups with one ticket per price
 * tier (bench/search-bench-seed.ts): ~1 minute to load instead of ~20 for every seat. The index
 * is built the way production builds it: the indexer's first start, from a snapshot.
 */
import { randomBytes } from "node:crypto";
import type { Client } from "@opensearch-project/opensearch";
import type { Knex } from "knex";
import { setTimeout as sleep } from "node:timers/promises";
import { Histogram, Registry } from "prom-client";
import { createDemoGenerator } from "../services/catalog/demo/demo-generator.js";
import { createIndexer } from "../services/indexer/indexer.js";
import { createIndexerMetrics } from "../services/indexer/indexer-metrics.js";
import { createCachedSearchBackend } from "../services/search/adapters/cache/cached-search-backend.js";
import { createSearchEngineClient } from "../services/shared/search-index/search-engine-client.js";
import { createOpenSearchEventSearch } from "../services/search/adapters/opensearch/opensearch-event-search.js";
import { createPostgresFullTextSearch } from "../services/search/adapters/postgres/postgres-full-text-search.js";
import { createEventSearch, type SearchBackend } from "../services/search/domain/event-search.js";
import type { SearchRequest } from "../services/search/domain/search-query.js";
import { InMemoryCache } from "../services/shared/cache/in-memory-cache.js";
import { createPageTokens, DEV_PAGE_TOKEN_SECRET } from "../services/shared/paging/page-tokens.js";
import { RedisCache } from "../services/shared/cache/redis-cache.js";
import { TABLES } from "../services/shared/db/tables.js";
import { createLogger } from "../services/shared/logging/logger.js";
import { closeRedisClients, createRedisClients } from "../services/shared/redis/redis-clients.js";
import { createTestDatabase, redisLockUrls, searchEngineUrl } from "../test/support/real-services.js";
import { printTable, summarize, type Summary } from "./bench-stats.js";
import { createLikeSearch } from "./like-search-backend.js";
import { seedSearchBench } from "./search-bench-seed.js";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const LAG_SAMPLES = Number(process.env.BENCH_LAG_SAMPLES ?? 40);
const REFRESH_INTERVAL = process.env.SEARCH_INDEX_REFRESH_INTERVAL ?? "1s";

// One clock for the whole run: every path gets exactly the same queries, past cut-off included
// (it moves each minute, which would otherwise turn cache hits into misses mid-measurement).
const benchStart = new Date();

/** What people type: names, half names, misspellings, places, kinds of event, dates. */
function queryMix(): Array<Partial<SearchRequest>> {
  const demo = createDemoGenerator({ events: 0, seed: 7 });
  const names = demo.performers.map((performer) => performer.name);
  const surnames = names.map((name) => name.split(" ").at(-1)!).filter((word) => word.length >= 6);
  const typo = (word: string) => word.slice(0, 2) + word.slice(3); // one letter dropped
  const day = 86_400_000;
  const now = benchStart.getTime();
  const mix: Array<Partial<SearchRequest>> = [
    ...names.slice(0, 12).map((term) => ({ term })),
    ...names.slice(12, 20).map((name) => ({ term: name.slice(0, 4) })),
    ...surnames.slice(0, 6).map((word) => ({ term: typo(word) })),
    ...demo.venues.slice(0, 6).map((venue) => ({ city: venue.city })),
    ...(["comedy", "sports", "theater", "family"] as const).map((type) => ({ type })),
    ...demo.venues.slice(0, 4).map((venue) => ({ near: { latitude: venue.latitude, longitude: venue.longitude, radiusKm: 25 } })),
    ...names.slice(20, 24).map((term, i) => ({ term, city: demo.venues[i]!.city })),
    { startsAfter: new Date(now), startsBefore: new Date(now + 7 * day) },
    { startsAfter: new Date(now + 30 * day), startsBefore: new Date(now + 60 * day), type: "concert" as const },
    { term: "live", sort: "date" as const },
    { term: "festival", near: { latitude: demo.venues[0]!.latitude, longitude: demo.venues[0]!.longitude, radiusKm: 50 } },
  ];
  return mix;
}

/** One round of the mix, CONCURRENCY searches in flight, each timed. */
async function oneRound(backend: SearchBackend, mix: Array<Partial<SearchRequest>>, samples: number[] = []): Promise<number[]> {
  const search = createEventSearch({ backend, pageTokens: createPageTokens(DEV_PAGE_TOKEN_SECRET, "search"), now: () => benchStart });
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < mix.length) {
        const request = mix[next++]!;
        const t0 = performance.now();
        await search.search({ term: "", includePast: false, ...request });
        samples.push(performance.now() - t0);
      }
    }),
  );
  return samples;
}

/** Whole rounds of the mix until the time is up (at least one), so every path sees the same mix. */
async function measure(backend: SearchBackend, mix: Array<Partial<SearchRequest>>): Promise<Summary> {
  const samples: number[] = [];
  const started = performance.now();
  do await oneRound(backend, mix, samples);
  while (performance.now() - started < SECONDS * 1000);
  return summarize(samples, performance.now() - started);
}

function counting(backend: SearchBackend) {
  const counter = { calls: 0 };
  return {
    counter,
    backend: { search: (query) => (counter.calls++, backend.search(query)) } satisfies SearchBackend,
  };
}

async function main() {
  const logger = createLogger("bench", process.env.LOG_LEVEL ?? "warn");
  const suffix = randomBytes(4).toString("hex");
  const alias = `bench-search-${suffix}`;
  const slot = `bench_search_${suffix}`;
  const database = await createTestDatabase({ poolMax: 20 });
  const client = createSearchEngineClient({ url: searchEngineUrl() });
  const redis = createRedisClients([redisLockUrls()[0]!]);
  const registry = new Registry();
  const indexer = createIndexer({
    db: database.db,
    connectionString: database.url,
    client,
    alias,
    slot,
    publication: "boxoffice_search",
    batch: { maxKeys: 500, maxWaitMs: 50 },
    index: { replicas: 0, refreshInterval: REFRESH_INTERVAL },
    metrics: createIndexerMetrics(registry),
    logger,
  });
  try {
    console.log(`search bench: ${EVENTS} events, ${CONCURRENCY} concurrent searches, ${SECONDS} s or one round per path`);
    let t0 = performance.now();
    await seedSearchBench(database.db, EVENTS);
    const tickets = Number((await database.db(TABLES.tickets).count({ count: "*" }))[0]?.count);
    console.log(`  seeded ${EVENTS} events, ${tickets} tickets in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

    t0 = performance.now();
    await indexer.start();
    const buildSeconds = (performance.now() - t0) / 1000;
    console.log(`  index built from a snapshot by the indexer in ${buildSeconds.toFixed(1)} s (${(EVENTS / buildSeconds).toFixed(0)} documents/s)`);

    const mix = queryMix();
    const engine = createOpenSearchEventSearch(client, alias);
    const cacheSettings = { ttlMs: 600_000, degradedTtlMs: 600_000 };
    const redisCache = counting(engine);
    const lruCache = counting(engine);
    const redisCached = createCachedSearchBackend(redisCache.backend, new RedisCache(redis[0]!, `bench-search-${suffix}:`), cacheSettings);
    const lruCached = createCachedSearchBackend(lruCache.backend, new InMemoryCache(), cacheSettings);

    const paths: Array<[string, SearchBackend, () => Promise<void>]> = [
      ["LIKE '%term%' on PostgreSQL (full scan)", createLikeSearch(database.db), async () => undefined],
      ["PostgreSQL full text (tsvector, GIN, trigram)", createPostgresFullTextSearch(database.db), async () => undefined],
      ["OpenSearch", engine, async () => undefined],
      ["cache hit, Redis", redisCached, async () => void (await oneRound(redisCached, mix))],
      ["cache hit, in-process LRU", lruCached, async () => void (await oneRound(lruCached, mix))],
    ];
    const rows: Array<[string, Summary]> = [];
    console.log(`\nquery mix: ${mix.length} searches a round (names, prefixes, typos, cities, types, points, dates)`);
    for (const [name, backend, warmUp] of paths) {
      // One round first: connections, plans and (for the cache paths) every entry in place.
      await createEventSearch({ backend, pageTokens: createPageTokens(DEV_PAGE_TOKEN_SECRET, "search"), now: () => benchStart }).search({ term: "warm up", includePast: false });
      await warmUp();
      const callsBefore = redisCache.counter.calls + lruCache.counter.calls;
      const summary = await measure(backend, mix);
      if (name.startsWith("cache") && redisCache.counter.calls + lruCache.counter.calls !== callsBefore) throw new Error(`${name}: not every search was a cache hit`);
      rows.push([name, summary]);
      console.log(`  ${name}: ${summary.count} searches`);
    }
    printTable("search paths (each search: normalize, backend, page of up to 20 with prices and line-ups)", rows);
    const [baseline] = rows[0]!.slice(1) as [Summary];
    console.log(`\nratios against LIKE '%term%'`);
    console.log(`${"path".padEnd(52)} ${"× ops/s".padStart(10)} ${"p50 ÷".padStart(9)} ${"p99 ÷".padStart(9)}`);
    for (const [name, summary] of rows) {
      console.log(
        `${name.padEnd(52)} ${(summary.perSecond / baseline.perSecond).toFixed(1).padStart(10)} ${(baseline.p50 / summary.p50).toFixed(1).padStart(9)} ${(baseline.p99 / summary.p99).toFixed(1).padStart(9)}`,
      );
    }

    await measureLag(database.db, client, alias, registry);
  } finally {
    await indexer.stop().catch(() => undefined);
    await client.indices.delete({ index: `${alias}-*` }).catch(() => undefined);
    await client.close();
    const keys = await redis[0]!.keys(`bench-search-${suffix}:*`).catch(() => [] as string[]);
    if (keys.length > 0) await redis[0]!.del(...keys);
    await closeRedisClients(redis);
    await sleep(500);
    await database.db.raw("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?", [slot]).catch(() => undefined);
    await database.drop();
  }
}

/** Committed rename → the new name found through the alias, one change at a time. */
async function measureLag(db: Knex, client: Client, alias: string, registry: Registry) {
  const ids: string[] = await db(TABLES.events).orderByRaw("random()").limit(LAG_SAMPLES).pluck("id");
  const samples: number[] = [];
  for (const [n, id] of ids.entries()) {
    // Changes arrive at any moment, not just after a refresh (where the last sample ended).
    await sleep(Math.random() * 1_000);
    const token = `lagcheck${n}${randomBytes(3).toString("hex")}`;
    // As a production server commits (CI's runs with synchronous_commit=off, which leaves the
    // commit in memory for up to wal_writer_delay before the stream can send it).
    await db.transaction(async (trx) => {
      await trx.raw("SET LOCAL synchronous_commit TO on");
      await trx(TABLES.events).where({ id }).update({ name: `Renamed ${token}` });
    });
    const committed = performance.now();
    for (;;) {
      const { body } = await client.count({ index: alias, body: { query: { match: { name: token } } } as never });
      if (body.count === 1) break;
      await sleep(5);
    }
    samples.push(performance.now() - committed);
  }
  const lag = summarize(samples, 1);
  const applied = (await (registry.getSingleMetric("boxoffice_indexer_apply_lag_seconds") as Histogram).get()).values;
  const sum = applied.find((value) => value.metricName?.endsWith("_sum"))?.value ?? 0;
  const count = applied.find((value) => value.metricName?.endsWith("_count"))?.value ?? 1;
  console.log(`\nchange data capture, committed → searchable (refresh_interval ${REFRESH_INTERVAL}), ${samples.length} renames at random moments`);
  console.log(`  p50 ${lag.p50.toFixed(0)} ms, p99 ${lag.p99.toFixed(0)} ms, max ${Math.max(...samples).toFixed(0)} ms`);
  console.log(`  of which commit → written to the engine (indexer metric, mean): ${((sum / count) * 1000).toFixed(0)} ms; the rest is the engine's refresh`);
}

await main();
