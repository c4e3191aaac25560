/** A signed admission to one event, as the queue handed it out. */
export interface Admission {
  token: string;
  expiresAt: Date;
}

export interface AdmissionStore {
  /** The admission to this event, unless it has run out. */
  get(eventId: string, now?: Date): Admission | undefined;
  set(eventId: string, admission: Admission): void;
  forget(eventId: string): void;
}

/** The part of Web Storage used here (sessionStorage in the app; a stand-in in Node's tests). */
export interface TabStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const KEY_PREFIX = "boxoffice.admission.";

/**
 * Admissions per event in sessionStorage: a refresh keeps the buyer at the seat map instead of
 * sending them through the queue page again, while a new tab or a closed browser starts from
 * the queue, which answers the same place anyway. Tokens belong to the user who was admitted,
 * so signing out forgets them all (the caller does that).
 */
export function createAdmissionStore(storage: TabStorage): AdmissionStore {
  return {
    get(eventId, now = new Date()) {
      try {
        const stored = JSON.parse(storage.getItem(KEY_PREFIX + eventId) ?? "null") as { token?: unknown; expiresAt?: unknown } | null;
        if (!stored || typeof stored.token !== "string" || typeof stored.expiresAt !== "string") return undefined;
        const expiresAt = new Date(stored.expiresAt);
        return expiresAt.getTime() > now.getTime() ? { token: stored.token, expiresAt } : undefined;
      } catch {
        return undefined;
      }
    },
    set(eventId, admission) {
      storage.setItem(KEY_PREFIX + eventId, JSON.stringify({ token: admission.token, expiresAt: admission.expiresAt.toISOString() }));
    },
    forget(eventId) {
      storage.removeItem(KEY_PREFIX + eventId);
    },
  };
}

/** Drops every stored admission: they were signed for the user who just signed out. */
export function forgetAllAdmissions(storage: TabStorage): void {
  const keys: string[] = [];
  for (let index = 0; index < storage.length; index += 1) {
    const key = storage.key(index);
    if (key?.startsWith(KEY_PREFIX)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
}
