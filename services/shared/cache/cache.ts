/**
 * A read-through cache for data that tolerates a little staleness (search results, an
 * event's static part). Values are JSON so Redis and the in-process store agree on them.
 */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  delete(...keys: string[]): Promise<void>;
}

/** Returns the cached value or computes, stores and returns it. A cache failure never fails the read. */
export async function cached<T>(cache: Cache, key: string, ttlMs: number, compute: () => Promise<T>): Promise<T> {
  const hit = await cache.get<T>(key).catch(() => undefined);
  if (hit !== undefined) return hit;
  const value = await compute();
  await cache.set(key, value, ttlMs).catch(() => undefined);
  return value;
}
