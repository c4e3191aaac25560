import { execFileSync } from "node:child_process";
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { ManagedProcess } from "./managed-process.js";

/**
 * A throwaway PostgreSQL cluster of the run's own (Debian's binaries), so the nemesis can crash
 * and restart it: the shared server on 5432 belongs to everyone else and is never touched.
 * PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user.
 */
export interface OwnPostgres {
  url: string;
  server: ManagedProcess;
  destroy(): Promise<void>;
}

function binDir(): string {
  const versions = execFileSync("ls", ["/usr/lib/postgresql"], { encoding: "utf8" }).split("\n").filter(Boolean).sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql (Debian's postgresql package)");
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

function runAs(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

export async function startOwnPostgres(port: number, logDir: string): Promise<OwnPostgres> {
  const bin = binDir();
  const user = runAs();
  const dataDir = mkdtempSync(join(tmpdir(), "boxoffice-chaos-pg-"));
  if (user) chownSync(dataDir, user.uid, user.gid);
  execFileSync(join(bin, "initdb"), ["-D", dataDir, "-U", "boxoffice", "--auth=trust", "-E", "UTF8", "--no-sync"], { stdio: "ignore", ...(user ?? {}) });
  const url = `postgres://boxoffice@127.0.0.1:${port}/boxoffice`;
  const server = new ManagedProcess(
    "postgres",
    join(bin, "postgres"),
    // fsync stays on: a crash must lose nothing a commit acknowledged, which is what is checked.
    // wal_level=logical: the indexer follows the catalogue through a logical replication slot.
    ["-D", dataDir, "-p", String(port), "-h", "127.0.0.1", "-k", dataDir, "-c", "max_connections=100", "-c", "shared_buffers=32MB", "-c", "wal_level=logical"],
    { cwd: dataDir, env: { PATH: process.env.PATH ?? "" }, log: join(logDir, "postgres.log"), ready: () => untilAccepting(`postgres://boxoffice@127.0.0.1:${port}/postgres`), ...(user ? { user } : {}) },
  );
  await server.start();
  await query(`postgres://boxoffice@127.0.0.1:${port}/postgres`, "CREATE DATABASE boxoffice");
  return {
    url,
    server,
    async destroy() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function query(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => {});
  }
}

async function untilAccepting(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await query(url, "SELECT 1");
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL at ${url} did not accept connections within ${timeoutMs} ms: ${error}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
