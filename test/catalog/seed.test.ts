import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../services/catalog/demo/demo-seeder.js";
import { createDemoGenerator } from "../../services/catalog/demo/demo-generator.js";
import { createTestDatabase, postgresAvailable, requireService, type TestDatabase } from "../support/real-services.js";

const ready = requireService("PostgreSQL", await postgresAvailable());

async function fingerprint(database: TestDatabase) {
  const [row] = await database.db.raw(
    `SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM tickets) AS tickets,
            (SELECT md5(string_agg(id::text || section || coalesce(row_label, '') || seat_number || price_minor, ',' ORDER BY id)) FROM tickets) AS digest`,
  ).then((result: { rows: unknown[] }) => result.rows as Array<{ events: number; tickets: number; digest: string }>);
  return row!;
}

describe.skipIf(!ready)("seeding demo data into PostgreSQL", { timeout: 120_000 }, () => {
  const databases: TestDatabase[] = [];
  const fresh = async () => {
    const database = await createTestDatabase();
    databases.push(database);
    return database;
  };

  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });

  it("writes the same rows with two batches in flight as with one", async () => {
    const [serial, parallel] = await Promise.all([fresh(), fresh()]);
    await seedDemoData(serial.db, { events: 90, batchSize: 7, concurrency: 1 });
    const progress: number[] = [];
    await seedDemoData(parallel.db, { events: 90, batchSize: 7, concurrency: 2, onProgress: (done) => progress.push(done) });
    expect(await fingerprint(parallel)).toEqual(await fingerprint(serial));
    expect(progress.at(-1)).toBe(90);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  describe("npm run seed", () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await fresh();
    });

    it("writes the demo with a progress bar and reports what it inserted", async () => {
      // As `npm run seed -- --events 60 --stadium` passes them.
      const run = spawnSeed(database.url, ["--", "--events", "60", "--stadium"]);
      expect(await run.exited).toBe(0);
      const demo = createDemoGenerator({ events: 60, stadium: true, world: true });
      const tickets = [...demo.events()].reduce((sum, event) => sum + demo.ticketCount(event), 0);
      expect(run.output()).toMatch(/seeding \|.*\| 100% \| 60\/60 events/);
      expect(run.output()).toContain(`inserted 60 events, ${tickets} tickets, ${demo.venues.length} venues, ${demo.performers.length} performers`);
      expect(await database.db("venues").countDistinct<Array<{ count: number }>>("city as count")).toEqual([{ count: 52 }]);
      expect(await fingerprint(database)).toMatchObject({ events: 60, tickets });
    });

    it("adds nothing when run again, and only the missing events when asked for more", async () => {
      const before = await fingerprint(database);
      const again = spawnSeed(database.url, ["--", "--events", "60", "--stadium"]);
      expect(await again.exited).toBe(0);
      expect(again.output()).toContain("inserted 0 events, 0 tickets, 0 venues, 0 performers");
      expect(again.output()).toContain("everything was there already");
      expect(await fingerprint(database)).toEqual(before);

      const more = spawnSeed(database.url, ["--events", "65", "--stadium"]);
      expect(await more.exited).toBe(0);
      expect(more.output()).toMatch(/inserted 5 events/);
    });

    it("refuses a malformed option, naming it", async () => {
      const bad = spawnSeed(database.url, ["--events", "many"]);
      expect(await bad.exited).toBe(2);
      expect(bad.output()).toMatch(/events/);
    });
  });
});

/** The seed script as its own process, with only the environment it documents. */
function spawnSeed(databaseUrl: string, args: string[]) {
  const root = resolve(import.meta.dirname, "../..");
  const child = spawn(process.execPath, ["--import", "tsx", resolve(root, "scripts/seed.ts"), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  return { exited: new Promise<number | null>((ok) => child.once("exit", ok)), output: () => output };
}
