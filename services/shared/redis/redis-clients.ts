import { Redis } from "ioredis";

/**
 * One client per independent Redis master. Commands fail fast while a node is down instead of
 * queueing: a hold must be answered now, and quorum logic copes with a missing node.
 */
export function createRedisClients(urls: readonly string[]): Redis[] {
  return urls.map((url) => {
    const client = new Redis(url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 1_000,
        commandTimeout: 1_000,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
        lazyConnect: false,
      });
    // Connection errors surface on the commands that need the node; quorum logic copes. Without
    // a listener ioredis would print every failed reconnect as unhandled.
    client.on("error", () => undefined);
    return client;
  });
}

export async function closeRedisClients(clients: readonly Redis[]): Promise<void> {
  await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
}
