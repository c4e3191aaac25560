/**
 * How the chaos run's Redis lock masters keep (or lose) their holds across a restart, the
 * comparison issue 15 asks for (docs/reliability.md, "Redis persistence"):
 *
 * - `aof-always`: `appendonly yes` + `appendfsync always`, restarted at once. Every hold is on
 *   disk before the master answers it, so a killed master comes back with every hold it granted
 *   (its TTL kept: the AOF stores absolute expiry times). What the project ships.
 * - `none-delayed`: nothing on disk, restarted only once a whole hold TTL has passed since it
 *   went down (Redlock's "delayed restart"): by then every hold it forgot has expired anyway.
 * - `none-immediate`: nothing on disk, restarted at once: it has forgotten holds that are still
 *   live on the other masters. Outside Redlock's model; run to see what the checker makes of it.
 */
export type RedisPersistence = "aof-always" | "none-delayed" | "none-immediate";

export const REDIS_PERSISTENCE: RedisPersistence[] = ["aof-always", "none-delayed", "none-immediate"];

export function parseRedisPersistence(value: string): RedisPersistence {
  if ((REDIS_PERSISTENCE as string[]).includes(value)) return value as RedisPersistence;
  throw new Error(`--redis-persistence must be one of ${REDIS_PERSISTENCE.join(", ")}, not ${value}`);
}

/** redis-server's persistence arguments; `dir` is the master's own folder (one AOF each). */
export function persistenceArgs(mode: RedisPersistence, dir: string): string[] {
  const common = ["--save", "", "--dir", dir];
  if (mode === "aof-always") return [...common, "--appendonly", "yes", "--appendfsync", "always"];
  return [...common, "--appendonly", "no"];
}

/** Whether a restarted master still has the holds it granted before it went down. */
export const keepsHolds = (mode: RedisPersistence): boolean => mode === "aof-always";

/** Margin past the hold TTL for the delayed restart: the masters' timers and clock drift. */
const RESTART_DELAY_MARGIN_MS = 1_000;

/**
 * How long a killed master stays down: as planned, or for the delayed restart at least one hold
 * TTL (plus a margin) from the kill.
 */
export function downtimeMs(mode: RedisPersistence, plannedMs: number, holdTtlMs: number): number {
  return mode === "none-delayed" ? Math.max(plannedMs, holdTtlMs + RESTART_DELAY_MARGIN_MS) : plannedMs;
}

/** The fault table's words for a master killed under this mode. */
export function restartLabel(mode: RedisPersistence | undefined): string {
  if (mode === "aof-always") return "Redis master killed, restarted at once from its AOF";
  if (mode === "none-delayed") return "Redis master killed, restarted empty after a hold TTL";
  return "Redis master killed, restarted empty at once";
}
