import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import type { Knex } from 'knex';
import pg from 'pg';
import { closeDatabase, createDatabase, migrateToLatest } from '../../services/shared/db/database.js';

// Integration suites decide at collect time whether their real service is there. Locally a
// missing service skips the suite with one line saying so; under CI it is a failure, because a
// CI run that silently skipped its real-server tests would prove nothing.

export const DEFAULT_TEST_DATABASE_URL = 'postgres://boxoffice:boxoffice@127.0.0.1:5432/boxoffice_test';
const DEFAULT_REDIS_LOCK_URLS = 'redis://127.0.0.1:6379,redis://127.0.0.1:6380,redis://127.0.0.1:6381';
const PROBE_TIMEOUT_MS = 2_000;

export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
}

export async function postgresAvailable(url: string = testDatabaseUrl()): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  // A refused connection can also surface as an 'error' event; never let it go unhandled.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export function redisLockUrls(): string[] {
  return (process.env.REDIS_LOCK_URLS ?? DEFAULT_REDIS_LOCK_URLS)
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url.length > 0);
}

function redisPing(url: string): Promise<boolean> {
  const { hostname, port, username, password } = new URL(url);
  const commands = password
    ? [`AUTH ${username ? `${decodeURIComponent(username)} ` : ''}${decodeURIComponent(password)}`, 'PING']
    : ['PING'];
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    socket.once('error', () => done(false));
    let reply = '';
    socket.on('data', (data) => {
      reply += data.toString('utf8');
      const lines = reply.split('\r\n').filter((line) => line.length > 0);
      if (lines.length >= commands.length) done(lines.includes('+PONG'));
    });
    socket.connect(Number(port || 6379), hostname.replace(/^\[|\]$/g, ''), () => {
      socket.write(commands.map((command) => `${command}\r\n`).join(''));
    });
  });
}

// True when every lock node answers PING; Redlock suites need all of them.
export async function redisAvailable(urls: readonly string[] = redisLockUrls()): Promise<boolean> {
  const answers = await Promise.all(urls.map(redisPing));
  return urls.length > 0 && answers.every(Boolean);
}

/** `how` says how to get what is missing (default: the backing services of services:up). */
export function requireService(name: string, available: boolean, how = 'start it with `npm run services:up`'): boolean {
  if (available) return true;
  if (process.env.CI === 'true') {
    throw new Error(`${name} is required in CI but is not reachable (${how}).`);
  }
  console.warn(`[skip] ${name} is not reachable: skipping this suite (${how}).`);
  return false;
}

export interface TestDatabase {
  url: string;
  db: Knex;
  drop(): Promise<void>;
}

function databaseUrl(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl(), connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * DROP DATABASE … WITH (FORCE) ends our own sessions, but not an autovacuum worker that
 * happens to be in the database (a superuser's process): that refusal passes within moments.
 */
async function dropWhenFree(name: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return;
    } catch (error) {
      const insufficientPrivilege = (error as { code?: string }).code === '42501';
      if (!insufficientPrivilege || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

// A fresh database per suite, so suites running in parallel never see each other's rows.
// migrate: false leaves it empty, for suites that test the migrations themselves.
export async function createTestDatabase(options: { migrate?: boolean; poolMax?: number } = {}): Promise<TestDatabase> {
  const name = `boxoffice_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = databaseUrl(testDatabaseUrl(), name);
  const db = createDatabase({ kind: 'postgres', url, pool: { min: 0, max: options.poolMax ?? 10 }, sessionTimeouts: 'unbounded' });
  try {
    if (options.migrate ?? true) await migrateToLatest(db);
  } catch (error) {
    await closeDatabase(db);
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    throw error;
  }
  let dropped = false;
  return {
    url,
    db,
    async drop() {
      if (dropped) return;
      dropped = true;
      await closeDatabase(db);
      await dropWhenFree(name);
    },
  };
}

export function searchEngineUrl(): string {
  return process.env.SEARCH_URL ?? 'http://127.0.0.1:9200';
}

// True when the search engine answers its root endpoint (OpenSearch or Elasticsearch).
export async function searchEngineAvailable(url: string = searchEngineUrl()): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return response.ok;
  } catch {
    return false;
  }
}
