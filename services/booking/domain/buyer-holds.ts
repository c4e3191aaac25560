import { DomainError, notFound } from "../../shared/errors/domain-error.js";
import { holderToken } from "../../shared/holds/holder-token.js";
import { HoldsUnavailableError, type TicketHolds, type UserHold } from "../../shared/holds/ticket-holds.js";
import type { TicketInventory } from "./booking-ports.js";
import { remainingAllowance, type PurchaseCount } from "./purchase-limit.js";

/** How long a buyer's reserve lock lives at most: longer than the lock store's and the database's answers take together. */
export const BUYER_LOCK_TTL_MS = 5_000;
/** How long a reserve waits for the same buyer's other reserves of the event before it gives up. */
export const BUYER_LOCK_WAIT_MS = 3_000;
/** And how many tries at most, whatever the clock says (a test's clock may stand still). */
const BUYER_LOCK_MAX_TRIES = 200;

export interface BuyerLockDeps {
  holds: TicketHolds;
  /** Waits between tries while the lock is busy; setTimeout unless a test gives its own. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  clock?: () => Date;
}

/** The key of a buyer's reserve lock on one event. */
export const buyerLockKey = (eventId: string, userId: string) => `purchase-lock:${eventId}:${holderToken(userId, "").slice(0, -1)}`;

/**
 * Runs `work` while holding the buyer's lock on the event, a Redlock mutex on the lock nodes:
 * one buyer's reserves of one event take turns, so each counts the holds the one before it
 * took and 20 parallel reserves cannot each see room for their seats. Other buyers never wait
 * on it. While another reserve of the buyer has it, this one tries again after a few
 * milliseconds, for up to BUYER_LOCK_WAIT_MS. Undefined when the lock store cannot answer: the
 * caller degrades as for any hold (confirm's transaction still enforces the limit).
 */
export async function withBuyerLock<T>(deps: BuyerLockDeps, eventId: string, userId: string, work: () => Promise<T>): Promise<T | undefined> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = deps.random ?? Math.random;
  const now = () => (deps.clock ?? (() => new Date()))().getTime();
  const key = buyerLockKey(eventId, userId);
  const giveUpAt = now() + BUYER_LOCK_WAIT_MS;
  for (let tries = 1; ; tries += 1) {
    const lock = await deps.holds.lock(key, BUYER_LOCK_TTL_MS);
    if (lock.kind === "unavailable") return undefined;
    if (lock.kind === "locked") {
      try {
        return await work();
      } finally {
        await deps.holds.unlock(key, lock.token);
      }
    }
    if (now() >= giveUpAt || tries >= BUYER_LOCK_MAX_TRIES) {
      throw new DomainError("aborted", "another reservation of yours for this event is still being made; try again in a moment", { reason: "buyer_busy" });
    }
    // Jittered, so that tries that collided on the lock nodes do not collide again.
    await sleep(5 + Math.floor(random() * 20));
  }
}

export interface BuyerHolds {
  count: PurchaseCount;
  /** The buyer's live holds in the event, ticket id → hold. */
  mine: Map<string, UserHold>;
}

/**
 * What the buyer holds and has bought of the event. Holds are read first, then bookings: a
 * confirm that books held seats and then releases them moves each seat from one count to the
 * other, so in this order it is counted once or twice, never missed.
 */
export async function countBuyerHolds(deps: { holds: TicketHolds; inventory: TicketInventory }, userId: string, event: { id: string; purchaseLimit: number }): Promise<BuyerHolds> {
  const mine = await deps.holds.userHolds(event.id, userId);
  const bought = await deps.inventory.countBought(userId, event.id);
  return { count: { limit: event.purchaseLimit, held: mine.size, bought }, mine };
}

export interface PurchaseAllowance extends PurchaseCount {
  remaining: number;
  /** False when the lock store could not say what the buyer holds (held is then 0). */
  holdsKnown: boolean;
}

/** GetPurchaseAllowance: the buyer's limit for an event and what is left of it, for the seat map. */
export function createPurchaseAllowance(deps: { holds: TicketHolds; inventory: TicketInventory }) {
  return async (userId: string, eventId: string): Promise<PurchaseAllowance> => {
    const event = await deps.inventory.findEvent(eventId);
    if (!event) throw notFound(`event ${eventId} does not exist`, { field: "event_id" });
    let holdsKnown = true;
    let count: PurchaseCount;
    try {
      count = (await countBuyerHolds(deps, userId, event)).count;
    } catch (error) {
      if (!(error instanceof HoldsUnavailableError)) throw error;
      holdsKnown = false;
      count = { limit: event.purchaseLimit, held: 0, bought: await deps.inventory.countBought(userId, event.id) };
    }
    return { ...count, remaining: remainingAllowance(count), holdsKnown };
  };
}
