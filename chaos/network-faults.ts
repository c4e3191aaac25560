import type { FaultEvent, FaultKind, NetworkFaultKind } from "./history.js";
import type { ChaosNetwork, PartitionStyle } from "./network.js";
import { pick } from "../services/catalog/demo/seeded-random.js";

/**
 * The nemesis's network faults, through the run's Toxiproxy (chaos/network.ts): latency on one
 * Redis master's link or PostgreSQL's, or a partition of one of them (nothing gets through and
 * connections hang, as when packets are lost; healed with every connection through the link
 * reset, docs/reliability.md says why).
 */
export const NETWORK_FAULTS: NetworkFaultKind[] = ["redis-latency", "redis-partition", "postgres-latency", "postgres-partition"];

export const isNetworkFault = (kind: FaultKind): kind is NetworkFaultKind => (NETWORK_FAULTS as FaultKind[]).includes(kind);

/** Redis: every answer from one master 300 ms ± 100 ms late (the lock nodes answer in well under 1 ms here). */
export const REDIS_LATENCY = { latencyMs: 300, jitterMs: 100 };
/** PostgreSQL: every answer 150 ms ± 50 ms late; a confirm makes a dozen round trips. */
export const POSTGRES_LATENCY = { latencyMs: 150, jitterMs: 50 };

export const NETWORK_LABELS: Record<NetworkFaultKind, string> = {
  "redis-latency": `latency on one Redis master's link (${REDIS_LATENCY.latencyMs} ± ${REDIS_LATENCY.jitterMs} ms)`,
  "redis-partition": "one Redis master's link partitioned",
  "postgres-latency": `latency on PostgreSQL's link (${POSTGRES_LATENCY.latencyMs} ± ${POSTGRES_LATENCY.jitterMs} ms)`,
  "postgres-partition": "PostgreSQL's link partitioned (short)",
};

/** How many targets a kind picks from: the Redis masters, or the one PostgreSQL. */
export const networkTargets = (kind: NetworkFaultKind, redisMasters: number): number => (kind.startsWith("redis") ? redisMasters : 1);

const PARTITION_STYLES: PartitionStyle[] = ["held", "cut", "refused"];

const STYLE_WORDS: Record<PartitionStyle, string> = {
  held: "what was sent meanwhile delivered on healing",
  cut: "dropped, connections reset on healing",
  refused: "connections reset and refused",
};

/** How long each kind lasts, and how a partition behaves, drawn from the seed. */
export function planNetworkFault(kind: NetworkFaultKind, random: () => number): { downMs: number; partition?: PartitionStyle } {
  if (kind === "postgres-partition") return { downMs: pick(random, [1_500, 2_500]), partition: pick(random, PARTITION_STYLES) };
  if (kind === "redis-partition") return { downMs: pick(random, [2_000, 3_000, 4_000]), partition: pick(random, PARTITION_STYLES) };
  return { downMs: pick(random, [4_000, 6_000]) };
}

const linkOf = (kind: NetworkFaultKind, target: number) => (kind.startsWith("redis") ? `redis-${target}` : "postgres");

/** Breaks one link for `downMs`, then heals it; the event spans from the break to the heal. */
export async function runNetworkFault(
  fault: { kind: NetworkFaultKind; target: number; downMs: number; partition?: PartitionStyle },
  network: ChaosNetwork,
  log: (line: string) => void,
): Promise<FaultEvent> {
  const name = linkOf(fault.kind, fault.target);
  const latency = fault.kind === "redis-latency" ? REDIS_LATENCY : fault.kind === "postgres-latency" ? POSTGRES_LATENCY : undefined;
  const style = fault.partition ?? "held";
  const detail = latency
    ? `${latency.latencyMs} ± ${latency.jitterMs} ms for ${fault.downMs} ms`
    : `partitioned for ${fault.downMs} ms (${STYLE_WORDS[style]})`;
  const startAt = Date.now();
  log(`nemesis: ${name} link ${detail}`);
  if (latency) await network.slow(name, latency.latencyMs, latency.jitterMs);
  else await network.partition(name, style);
  await new Promise((resolve) => setTimeout(resolve, fault.downMs));
  await network.heal(name, { resetConnections: !latency && style === "cut" });
  log(`nemesis: ${name} link healed`);
  return { kind: fault.kind, target: `${name} link`, startAt, endAt: Date.now(), detail };
}
