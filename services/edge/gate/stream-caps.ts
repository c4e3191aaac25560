export interface StreamCapSettings {
  /** Streams one client address may hold open at once. */
  perIp: number;
  /** Streams one signed-in user may hold open at once, from whatever addresses. */
  perUser: number;
}

export type StreamSlot = { granted: true; release(): void } | { granted: false; who: "address" | "user"; limit: number };

/**
 * Counts the live streams each client address and each signed-in user holds open in this
 * process. A rate limit counts a stream once when it opens, however long it then holds the
 * edge's memory and the fan-out's time; this caps what is held. Per process: a stream lives on
 * one connection to one replica, so the cap a client meets is this one times the replicas it
 * reaches at most.
 */
export function createStreamCaps(settings: StreamCapSettings) {
  const byIp = new Map<string, number>();
  const byUser = new Map<string, number>();
  const take = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const give = (counts: Map<string, number>, key: string) => {
    const left = (counts.get(key) ?? 1) - 1;
    if (left > 0) counts.set(key, left);
    else counts.delete(key);
  };
  return {
    /** A place for one more stream, or which cap refused it; release the place when the stream ends. */
    acquire(ip: string, userId: string | undefined): StreamSlot {
      if ((byIp.get(ip) ?? 0) >= settings.perIp) return { granted: false, who: "address", limit: settings.perIp };
      if (userId !== undefined && (byUser.get(userId) ?? 0) >= settings.perUser) return { granted: false, who: "user", limit: settings.perUser };
      take(byIp, ip);
      if (userId !== undefined) take(byUser, userId);
      let released = false;
      return {
        granted: true,
        release() {
          if (released) return;
          released = true;
          give(byIp, ip);
          if (userId !== undefined) give(byUser, userId);
        },
      };
    },
    /** Streams open now for this address. */
    openFor(ip: string): number {
      return byIp.get(ip) ?? 0;
    },
  };
}

export type StreamCaps = ReturnType<typeof createStreamCaps>;
