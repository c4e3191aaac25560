// Demo data for a real PostgreSQL (DATABASE_URL) or the embedded PGlite store:
//   npm run seed -- --events 100000 [--seed 1] [--stadium] [--compact] [--concurrency 2] [--batch-size 100]
// Idempotent: ids derive from the seed and the event's index, so a re-run adds only what is
// missing (a larger --events extends the demo; an interrupted run resumes).
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { z } from "zod";
import { seedDemoData } from "../services/catalog/demo/demo-seeder.js";
import { closeDatabase, createDatabase, migrateToLatest } from "../services/shared/db/database.js";

const options = z.object({
  events: z.coerce.number().int().min(0).default(1_000),
  seed: z.coerce.number().int().default(1),
  stadium: z.boolean().default(false),
  compact: z.boolean().default(false),
  batchSize: z.coerce.number().int().min(1).max(10_000).default(100),
  concurrency: z.coerce.number().int().min(1).max(16).optional(),
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional(),
  dataDir: z.string().min(1).default(".data/pglite"),
});

function readOptions() {
  const args = process.argv.slice(2);
  const { values } = parseArgs({
    // `npm run seed -- --events 5` and `node scripts/seed.ts -- --events 5` both pass the "--".
    args: args[0] === "--" ? args.slice(1) : args,
    options: {
      events: { type: "string" },
      seed: { type: "string" },
      stadium: { type: "boolean" },
      compact: { type: "boolean" },
      "batch-size": { type: "string" },
      concurrency: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      [
        "usage: npm run seed -- [--events N] [--seed S] [--stadium] [--concurrency C] [--batch-size B]",
        "  --events       events to have in the database (default 1000; 100000 is ~18.8M tickets)",
        "  --seed         which demo (default 1); different seeds add different events",
        "  --stadium      add a 50,000-seat stadium to the venues",
        "  --compact      only the embedded demo's 8 venues and 60 performers, not 372 venues in 52 cities",
        "  --concurrency  batches in flight (default 2 on PostgreSQL, 1 on PGlite)",
        "  --batch-size   events per transaction (default 100)",
        "Writes to DATABASE_URL if set, else to the embedded store in BOXOFFICE_DATA_DIR (.data/pglite).",
      ].join("\n"),
    );
    process.exit(0);
  }
  const parsed = options.safeParse({
    events: values.events,
    seed: values.seed,
    stadium: values.stadium,
    compact: values.compact,
    batchSize: values["batch-size"],
    concurrency: values.concurrency,
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: process.env.BOXOFFICE_DATA_DIR || undefined,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`seed: ${issue.path.join(".")}: ${issue.message}`);
    process.exit(2);
  }
  return parsed.data;
}

async function main() {
  const config = readOptions();
  const db = config.databaseUrl
    ? createDatabase({ kind: "postgres", url: config.databaseUrl, pool: { min: 0, max: 4 }, sessionTimeouts: "unbounded" })
    : createDatabase({ kind: "pglite", dataDir: config.dataDir });
  const target = config.databaseUrl ? new URL(config.databaseUrl).pathname.slice(1) + " on PostgreSQL" : `PGlite in ${config.dataDir}`;
  const bar = new cliProgress.SingleBar(
    {
      format: "seeding |{bar}| {percentage}% | {value}/{total} events | {tickets} tickets | {rate} tickets/s | ETA {eta_formatted}",
      hideCursor: true,
      etaBuffer: 50,
      // Without a terminal (CI logs), a line every 10 s instead of an animation.
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 10_000,
    },
    cliProgress.Presets.shades_classic,
  );
  try {
    await migrateToLatest(db);
    const extras = [config.compact ? "compact" : "52 cities", config.stadium ? "with the stadium" : ""].filter(Boolean).join(", ");
    console.log(`seeding ${config.events} events (seed ${config.seed}, ${extras}) into ${target}`);
    const started = performance.now();
    const rate = (tickets: number) => Math.round(tickets / Math.max(0.001, (performance.now() - started) / 1000));
    bar.start(config.events, 0, { tickets: 0, rate: 0 });
    const result = await seedDemoData(db, {
      events: config.events,
      seed: config.seed,
      stadium: config.stadium,
      world: !config.compact,
      batchSize: config.batchSize,
      concurrency: config.concurrency ?? (config.databaseUrl ? 2 : 1),
      onProgress: (done, _total, written) => bar.update(done, { tickets: written.tickets, rate: rate(written.tickets) }),
    });
    bar.stop();
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `inserted ${result.events} events, ${result.tickets} tickets, ${result.venues} venues, ${result.performers} performers ` +
        `in ${seconds.toFixed(1)} s (${rate(result.tickets)} tickets/s)` +
        (result.events === 0 ? "; everything was there already" : ""),
    );
  } finally {
    bar.stop();
    await closeDatabase(db);
  }
}

main().catch((error: unknown) => {
  console.error("seed failed:", error);
  process.exit(1);
});
