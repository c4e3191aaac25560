import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Client } from "@opensearch-project/opensearch";
import type { Knex } from "knex";
import pg from "pg";
import { REPO } from "../bench/support/child-process.js";
import { createSearchEngineClient } from "../services/shared/search-index/search-engine-client.js";
import { freePort } from "../test/support/free-port.js";
import type { FaultEvent } from "./history.js";
import { ManagedProcess } from "./managed-process.js";
import type { ChaosNetwork, Upstream } from "./network.js";

/**
 * The search side of the chaos topology: the shared search engine (OpenSearch on SEARCH_URL,
 * never stopped: other suites use it) behind the "search-engine" link of the run's Toxiproxy
 * (chaos/network.ts), which the nemesis refuses for "search engine down"; an index alias and a
 * replication slot of the run's own, so parallel runs and suites never meet; and the
 * change-data-capture indexer as its own process, which the nemesis may kill -9. The search
 * service and the indexer reach the engine only through its link, and the indexer reaches
 * PostgreSQL through the PostgreSQL link, so the network faults hit its change stream too.
 */
export interface SearchStack {
  /** SEARCH_INDEX_ALIAS of the run: its indices are `<alias>-<timestamp>`. */
  alias: string;
  slot: string;
  /** The engine as the services see it: through its link. */
  url: string;
  /** The engine itself, for the readiness checks and the checker's reads after the run. */
  client: Client;
  indexer: ManagedProcess;
  /** What the search service adds to its environment. */
  searchEnv: Record<string, string>;
  /** The search service's hot-query cache TTL: an answer can be this much older than its backend's state. */
  cacheTtlMs: number;
  /** After every process stopped: removes the run's indices and slot. */
  cleanUp(db: Knex): Promise<void>;
}

/**
 * One second, the least SEARCH_CACHE_TTL_SECONDS takes: with the default 30 s a search repeated
 * through an outage would be answered from the cache, and the fallback never asked.
 */
const CACHE_TTL_SECONDS = 1;
/** Indices of runs that died without cleaning up; no run lasts this long. */
const ABANDONED_AFTER_MS = 3 * 3_600_000;

/** The name of the engine's link in the run's network. */
export const SEARCH_ENGINE_LINK = "search-engine";

/** The engine's link for startNetwork, from SEARCH_URL. */
export function searchEngineUpstream(engineUrl: string): Upstream {
  const engine = new URL(engineUrl);
  return { name: SEARCH_ENGINE_LINK, host: engine.hostname, port: Number(engine.port || 9200) };
}

export async function startSearchStack(settings: {
  runDir: string;
  /** PostgreSQL through its link: the indexer's change stream. */
  databaseUrl: string;
  /** PostgreSQL itself, for the readiness check: a fault on the link must not hold up a restart's check. */
  directDatabaseUrl: string;
  /** The engine itself (SEARCH_URL). */
  engineUrl: string;
  network: ChaosNetwork;
}): Promise<SearchStack> {
  const suffix = randomBytes(4).toString("hex");
  const alias = `chaos-${suffix}`;
  const slot = `chaos_${suffix}`;
  const client = createSearchEngineClient({ url: settings.engineUrl });
  await removeAbandonedIndices(client);
  const url = `http://127.0.0.1:${settings.network.link(SEARCH_ENGINE_LINK).port}`;
  const adminPort = await freePort();
  /** The backend that streamed to the indexer last: after a kill -9 it may not yet have noticed. */
  let walsender: number | undefined;
  const indexer = new ManagedProcess("indexer", process.execPath, ["--import", "tsx", join(REPO, "services/indexer/main.ts")], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH ?? "",
      LOG_LEVEL: "warn",
      DATABASE_URL: settings.databaseUrl,
      SEARCH_URL: url,
      SEARCH_INDEX_ALIAS: alias,
      INDEXER_SLOT: slot,
      INDEXER_ADMIN_PORT: String(adminPort),
    },
    log: join(settings.runDir, "logs", "indexer.log"),
    // Ready once its index exists and it follows the change stream. Its /readyz says the same,
    // but only from its first dependency probe, up to 5 s later.
    ready: async () => {
      walsender = await untilFollowing(settings.directDatabaseUrl, client, slot, alias, walsender, 120_000);
    },
  });
  return {
    alias,
    slot,
    url,
    client,
    indexer,
    searchEnv: { SEARCH_URL: url, SEARCH_INDEX_ALIAS: alias, SEARCH_CACHE_TTL_SECONDS: String(CACHE_TTL_SECONDS) },
    cacheTtlMs: CACHE_TTL_SECONDS * 1_000,
    async cleanUp(db) {
      await client.indices.delete({ index: `${alias}-*`, expand_wildcards: "all" }).catch(() => undefined);
      await client.close();
      await dropSlot(db, slot);
    },
  };
}

/**
 * The nemesis's "search engine down": the engine's link drops every connection and refuses new
 * ones for a while, as a dead engine would, for the search service and the indexer alike; then
 * it forwards again. The engine itself is never touched.
 */
export async function searchEngineDown(downMs: number, network: ChaosNetwork, log: (line: string) => void): Promise<FaultEvent> {
  const startAt = Date.now();
  log(`nemesis: search engine unreachable (${SEARCH_ENGINE_LINK} link refused) for ${downMs} ms`);
  await network.partition(SEARCH_ENGINE_LINK, "refused");
  await new Promise((resolve) => setTimeout(resolve, downMs));
  // The last moment it was certainly unreachable: a search answered by the engine before it is a contradiction.
  const endAt = Date.now();
  await network.heal(SEARCH_ENGINE_LINK);
  log("nemesis: search engine reachable again");
  return { kind: "search-engine-down", target: "search engine", startAt, endAt };
}

/**
 * The alias has an index behind it and a new walsender streams the slot to a client: the indexer
 * follows the changes. Returns that walsender's pid.
 */
async function untilFollowing(databaseUrl: string, client: Client, slot: string, alias: string, previous: number | undefined, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const indexed = await client.indices.existsAlias({ name: alias }).then((response) => response.body === true, () => false);
    const pid = indexed ? await activeWalsender(databaseUrl, slot) : null;
    if (indexed && pid !== null && pid !== previous) return pid;
    if (Date.now() > deadline) throw new Error(`the indexer did not follow slot ${slot} into alias ${alias} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The pid of the backend streaming the slot, on a connection of its own that is closed at once:
 * the run's pool must hold no idle connection that a PostgreSQL crash could break mid-run.
 */
async function activeWalsender(databaseUrl: string, slot: string): Promise<number | null> {
  const connection = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2_000, query_timeout: 2_000 });
  connection.on("error", () => {});
  try {
    await connection.connect();
    const { rows } = await connection.query<{ active_pid: number | null }>("SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1", [slot]);
    return rows[0]?.active_pid ?? null;
  } catch {
    return null;
  } finally {
    await connection.end().catch(() => {});
  }
}

/** Chaos runs killed before they cleaned up leave `chaos-*` indices in the shared engine. */
async function removeAbandonedIndices(client: Client): Promise<void> {
  const { body } = await client.cat.indices({ index: "chaos-*", format: "json", h: "index,creation.date" } as never).catch(() => ({ body: [] }));
  const old = (body as unknown as Array<{ index: string; "creation.date": string }>).filter((row) => Date.now() - Number(row["creation.date"]) > ABANDONED_AFTER_MS).map((row) => row.index);
  if (old.length > 0) await client.indices.delete({ index: old }).catch(() => undefined);
}

/** A logical slot keeps WAL for good and blocks DROP DATABASE; its walsender lets go a moment after the indexer stops. */
async function dropSlot(db: Knex, slot: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const { rows } = await db.raw<{ rows: Array<{ active: boolean }> }>("SELECT active FROM pg_replication_slots WHERE slot_name = ?", [slot]).catch(() => ({ rows: [] }));
    if (rows.length === 0) return;
    if (!rows[0]!.active) await db.raw("SELECT pg_drop_replication_slot(?)", [slot]).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The venue the run's organiser puts its events on: a small one, so creating an event writes a few tickets, not thousands. */
export async function seedOrganiserVenue(db: Knex): Promise<string> {
  const [venue] = await db("venues")
    .insert({
      name: "Chaos Club",
      city: "Porto",
      country: "PT",
      latitude: 41.15,
      longitude: -8.61,
      timezone: "Europe/Lisbon",
      capacity: 20,
      seat_map: JSON.stringify({ sections: [{ code: "GA", name: "Standing", kind: "general_admission", capacity: 20 }] }),
    })
    .returning("id");
  return venue.id as string;
}
