/**
 * The Redis persistence comparison of issue 15, as one scripted scenario per setting rather
 * than left to the chaos run's dice (docs/reliability.md, "Redis persistence"):
 *
 *   1. redis-0's link is partitioned (connections refused, so nothing reaches it later either):
 *      buyer A holds some seats, on redis-1 and redis-2 only.
 *   2. The link heals; redis-1 is killed -9 and started again, as the setting says.
 *   3. Buyer B asks for the same seats, while redis-1 is down and once it is back.
 *
 * The holds go through the booking service's own lock store (RedisTicketHolds over three real
 * redis-server masters, each behind Toxiproxy), and the verdict is the chaos checker's
 * hold-interval invariant over what A and B were told. Without persistence and restarted at once,
 * redis-1 has forgotten A's holds and redis-0 never had them, so B gets a majority for seats A
 * still holds: the checker names each. Delayed past the hold TTL, or from an append-only file
 * fsynced before every answer, B is refused until A's holds end.
 *   node --import tsx chaos/redis-persistence-experiment.ts [--hold-ttl 6] [--seats 20]
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { RedisTicketHolds } from "../services/shared/holds/redis-ticket-holds.js";
import { closeRedisClients, createRedisClients } from "../services/shared/redis/redis-clients.js";
import { freePort } from "../test/support/free-port.js";
import { check, type Violation } from "./checker.js";
import type { FaultEvent, Operation } from "./history.js";
import { startNetwork } from "./network.js";
import { redisNodes } from "./redis-nodes.js";
import { downtimeMs, REDIS_PERSISTENCE, type RedisPersistence } from "./redis-persistence.js";

export interface ExperimentResult {
  persistence: RedisPersistence;
  seats: number;
  /** A's holds, taken while redis-0 was cut off. */
  heldByA: number;
  /** B's holds granted on seats A still held (the checker's violations). */
  violations: Violation[];
  /** What B was told, by answer: held, taken (refused), unavailable (no quorum answered). */
  bAnswers: Record<string, number>;
  history: Operation[];
  faults: FaultEvent[];
}

const EMPTY_SNAPSHOT = { tickets: [], bookings: [], items: [], payments: [], provider: [] };

export async function runPersistenceExperiment(persistence: RedisPersistence, options: { holdTtlMs: number; seats: number; dir?: string }): Promise<ExperimentResult> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), `boxoffice-redis-${persistence}-`));
  mkdirSync(join(dir, "logs"), { recursive: true });
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  const masters = redisNodes(ports, dir, persistence);
  await Promise.all(masters.map((master) => master.start()));
  const network = await startNetwork(dir, ports.map((port, index) => ({ name: `redis-${index}`, port })));
  const clients = createRedisClients(ports.map((_, index) => `redis://127.0.0.1:${network.link(`redis-${index}`).port}`));
  const holds = new RedisTicketHolds(clients);
  const history: Operation[] = [];
  const faults: FaultEvent[] = [];
  const eventId = `experiment-${persistence}`;
  const seats = Array.from({ length: options.seats }, (_, index) => `seat-${index + 1}`);
  let nextId = 1;

  async function reserve(user: string, seat: string): Promise<string> {
    const invokeAt = Date.now();
    const outcome = await holds.hold({ eventId, ticketIds: [seat], ttlMs: options.holdTtlMs, userId: user }).catch((error: Error) => ({ kind: "error" as const, reason: error.message }));
    const held = outcome.kind === "held";
    history.push({
      id: nextId++,
      client: user,
      user,
      op: "reserve",
      invokeAt,
      completeAt: Date.now(),
      outcome: outcome.kind === "held" || outcome.kind === "unavailable" ? "ok" : outcome.kind === "taken" ? "fail" : "unknown",
      status: outcome.kind === "held" || outcome.kind === "unavailable" ? 200 : outcome.kind === "taken" ? 409 : 0,
      ticketIds: [seat],
      reservationId: `${user}-${seat}-${invokeAt}`,
      held,
      ...(outcome.kind === "held" ? { expiresAt: outcome.expiresAt.getTime() } : {}),
    });
    return outcome.kind;
  }
  const untilReady = async () => {
    for (const client of clients) {
      const deadline = Date.now() + 10_000;
      while ((await client.ping().catch(() => "")) !== "PONG") {
        if (Date.now() > deadline) throw new Error("a lock master did not answer through its link");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };

  try {
    await untilReady();
    // 1. redis-0 cut off: A's holds land on redis-1 and redis-2 alone.
    const cutAt = Date.now();
    await network.partition("redis-0", "refused");
    let heldByA = 0;
    for (const seat of seats) if ((await reserve("alice", seat)) === "held") heldByA += 1;
    await network.heal("redis-0", { resetConnections: true });
    faults.push({ kind: "redis-partition", target: "redis-0 link", startAt: cutAt, endAt: Date.now(), detail: "refused" });
    await untilReady();

    // 2. redis-1 killed -9, down as the setting says, started again.
    const killedAt = Date.now();
    await masters[1]!.crash("SIGKILL");
    const down = downtimeMs(persistence, 300, options.holdTtlMs);
    // 3a. B tries while it is down (the delayed restart's window).
    const bAnswers: Record<string, number> = {};
    const tryB = async () => {
      for (const seat of seats) {
        const answer = await reserve("bob", seat);
        bAnswers[answer] = (bAnswers[answer] ?? 0) + 1;
      }
    };
    if (down > 1_000) await tryB();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, killedAt + down - Date.now())));
    await masters[1]!.start();
    faults.push({ kind: "restart-redis", target: "redis-1", startAt: killedAt, endAt: Date.now(), persistence });
    await untilReady();
    // 3b. B tries again once it is back.
    await tryB();

    const results = check({ snapshot: EMPTY_SNAPSHOT, history, faults, lockNodes: 3, holdTtlMs: options.holdTtlMs });
    return { persistence, seats: seats.length, heldByA, violations: results["exclusive-holds"], bAnswers, history, faults };
  } finally {
    await closeRedisClients(clients);
    await network.stop();
    await Promise.all(masters.map((master) => master.stop()));
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { "hold-ttl": { type: "string", default: "6" }, seats: { type: "string", default: "20" } } });
  const holdTtlMs = Number(values["hold-ttl"]) * 1_000;
  console.log(`Redis persistence, scripted: redis-0's link cut while A holds ${values.seats} seats (hold TTL ${holdTtlMs / 1_000} s), then redis-1 killed -9 and restarted, then B asks for the same seats.\n`);
  console.log("| Redis masters | restart | A held | B's answers | exclusive-holds (checker) |");
  console.log("|---|---|---:|---|---|");
  for (const persistence of REDIS_PERSISTENCE) {
    const result = await runPersistenceExperiment(persistence, { holdTtlMs, seats: Number(values.seats) });
    const restart = persistence === "none-delayed" ? `after ${downtimeMs(persistence, 300, holdTtlMs) / 1_000} s (TTL + 1 s)` : "at once";
    const answers = Object.entries(result.bAnswers).map(([answer, count]) => `${count} ${answer}`).join(", ");
    const verdict = result.violations.length === 0 ? "holds" : `**${result.violations.length} seats held by A and B at once**`;
    console.log(`| ${persistence === "aof-always" ? "appendonly yes, appendfsync always" : "no persistence"} | ${restart} | ${result.heldByA} | ${answers} | ${verdict} |`);
  }
}
