import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { check, formatViolation, type CheckInput } from "../../chaos/checker.js";
import { readLines, type Operation } from "../../chaos/history.js";
import type { LoadSettings } from "../../chaos/load-client.js";
import { readSearchEvidence } from "../../chaos/search-evidence.js";
import { readSnapshot, untilSettled } from "../../chaos/snapshot.js";
import { EVENT_NAME, startTopology, type Topology } from "../../chaos/topology.js";
import { postgresAvailable, requireService, searchEngineAvailable, searchEngineUrl } from "../support/real-services.js";
import { toxiproxyAvailable } from "../support/toxiproxy.js";

const root = resolve(import.meta.dirname, "../..");
const ready =
  requireService("PostgreSQL", await postgresAvailable()) &&
  requireService("redis-server (Debian's redis-server package, for the run's own masters)", spawnSync("redis-server", ["--version"]).status === 0) &&
  requireService("search engine", await searchEngineAvailable()) &&
  requireService("Toxiproxy (the run's network, the search engine's link among them)", toxiproxyAvailable(), "build it with `bash scripts/toxiproxy/install.sh`");

const broken = (results: ReturnType<typeof check>) => Object.entries(results).filter(([, violations]) => violations.length > 0).map(([name]) => name).sort();

// The checker's unit tests break hand-made histories; this one shows it failing on a real run.
// A short run (the real topology, the real load client, no nemesis) on a fresh database of the
// shared PostgreSQL passes the checker; then the test plants violations straight into that
// database and the run's index, as a bug would leave them, and the same checker, reading the same
// rows, must fail the run and print the operations around each. Nothing in the platform or the
// chaos tooling has a switch for this: the damage is done here, with SQL and the engine's API.
describe.runIf(ready)("the chaos checker on a live run", () => {
  let topology: Topology | undefined;
  afterAll(async () => {
    await topology?.stop();
  });

  it("fails a run whose database was given a double sale and a captured payment without its booking, and whose index lost an event, printing the history around each", async () => {
    const runDir = join(root, ".services/chaos", `${new Date().toISOString().replace(/[:.]/g, "-")}-live-checker`);
    mkdirSync(runDir, { recursive: true });
    topology = await startTopology({ runDir, tickets: 30, holdTtlSeconds: 10, paymentLatencyMs: 0, recoveryGraceSeconds: 8, ownPostgres: false, redisPersistence: "aof-always", searchEngineUrl: searchEngineUrl() });
    const stack = topology.searchStack!;
    const { db } = topology.database;
    const historyFile = join(runDir, "history.jsonl");
    const load: LoadSettings = {
      edgeUrl: topology.edgeUrl,
      eventId: topology.eventId,
      ticketIds: topology.ticketIds,
      buyers: 4,
      durationMs: 8_000,
      seed: 15,
      historyFile,
      requestTimeoutMs: 8_000,
      search: { eventName: EVENT_NAME, organiserVenueId: topology.organiserVenueId },
    };
    writeFileSync(join(runDir, "load.json"), JSON.stringify(load));
    const client = spawn(process.execPath, ["--import", "tsx", join(root, "chaos/load-client.ts"), join(runDir, "load.json")], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
    expect(await new Promise((ok) => client.once("exit", ok))).toBe(0);
    expect((await untilSettled(db, 40_000)).settled).toBe(true);

    const history = readLines<Operation>(historyFile);
    const judge = async (indexWaitMs: number): Promise<ReturnType<typeof check>> => {
      const input: CheckInput = {
        snapshot: await readSnapshot(db, topology!.eventId),
        history,
        faults: [],
        lockNodes: topology!.redis.length,
        holdTtlMs: 10_000,
        search: await readSearchEvidence(db, stack.client, stack.alias, stack.cacheTtlMs, indexWaitMs),
      };
      return check(input);
    };
    // The run as it was is correct: whatever fails below, the planting did.
    const clean = await judge(30_000);
    expect(broken(clean), Object.values(clean).flat().map(formatViolation).join("\n")).toEqual([]);
    expect(history.filter((op) => op.op === "search" && op.outcome === "ok").length).toBeGreaterThan(0);

    // 1. A second active booking for a ticket already sold. The database's own guard (one active
    //    booking item per ticket) would refuse it, so it goes first: the checker must not lean on it.
    const sold = await db("tickets as t").join("bookings as b", "b.id", "t.booking_id").where("t.status", "booked").orderBy("t.id").first("t.id as ticketId", "b.id as bookingId", "b.event_id as eventId");
    expect(sold).toBeDefined();
    await db.raw("DROP INDEX booking_items_active_ticket_unique");
    const [intruder] = await db("bookings").insert({ user_id: "intruder", event_id: sold.eventId, total_minor: 4_500, currency: "EUR", idempotency_key: "planted" }).returning("id");
    await db("booking_items").insert({ booking_id: intruder.id, ticket_id: sold.ticketId, price_minor: 4_500 });
    // 2. A captured payment whose booking the ledger no longer names.
    const captured = await db("payments").where({ status: "captured" }).whereNot({ booking_id: sold.bookingId }).orderBy("id").first("id", "booking_id", "user_id", "idempotency_key");
    expect(captured).toBeDefined();
    await db("payments").where({ id: captured.id }).update({ booking_id: null });
    // 3. The event on sale gone from the engine's index behind the indexer's back.
    await stack.client.delete({ index: stack.alias, id: topology.eventId, refresh: true });

    const results = await judge(3_000);
    const violations = Object.values(results).flat();
    const printed = violations.map(formatViolation).join("\n");
    console.log(printed);
    // A run fails on any violation (chaos/run-chaos.ts exits 1).
    expect(broken(results)).toEqual(["index-caught-up", "one-owner", "payments-settled", "refused-not-booked"]);

    const doubleSale = results["one-owner"].find((v) => v.message.includes(sold.ticketId))!;
    expect(doubleSale.message).toBe(`ticket ${sold.ticketId} is in 2 active bookings (${[sold.bookingId, intruder.id].join(", ")})`);
    // Printed with the buyer operations on that seat, including the purchase that really sold it.
    const doubleSalePrinted = formatViolation(doubleSale);
    expect(doubleSalePrinted).toMatch(new RegExp(`✗ one-owner: ticket ${sold.ticketId}`));
    expect(doubleSalePrinted).toMatch(new RegExp(`#\\d+ \\S+ buyer-\\d (confirm|buy)[^\\n]*\\[[^\\]]*${sold.ticketId}[^\\n]*→ ok 200 booking=${sold.bookingId}`));
    expect(results["refused-not-booked"].map((v) => v.message)).toEqual([`booking ${intruder.id} (intruder/planted) was never asked for by any client`]);

    const orphan = results["payments-settled"].find((v) => v.message.startsWith(`payment ${captured.id} `))!;
    expect(orphan.message).toBe(`payment ${captured.id} is captured but its booking (none) is missing`);
    expect(formatViolation(orphan)).toMatch(new RegExp(`${captured.user_id} (confirm|buy)[^\\n]* key=${captured.idempotency_key}[^\\n]*→ ok 200 booking=${captured.booking_id}`));
    expect(results["payments-settled"].map((v) => v.message)).toContain(`booking ${captured.booking_id} has 0 captured payments, not one`);

    expect(results["index-caught-up"].map((v) => v.message)).toEqual([
      expect.stringMatching(new RegExp(`^event ${topology.eventId} \\("${EVENT_NAME}"\\) is not in the engine's index`)),
      expect.stringMatching(new RegExp(`^a search of the engine for "${EVENT_NAME}" does not find event ${topology.eventId}`)),
    ]);
    expect(formatViolation(results["index-caught-up"][0]!)).toMatch(new RegExp(`buyer-\\d search \\[\\] "${EVENT_NAME}" looking for ${topology.eventId} → ok 200 from opensearch found=\\[${topology.eventId}\\]`));
  }, 240_000);
});
