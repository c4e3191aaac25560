import type { Event, EventDraft, Venue } from "./catalog-types.js";
import { isBlank, Violations } from "./violations.js";

export type EventFields = Omit<Event, "id" | "status">;

export interface EventPlan {
  fields: EventFields;
  /** The price of every section of the venue, in the event's currency. */
  priceBySection: Map<string, number>;
}

export interface EventRuleContext {
  /** The venue the draft names, if it exists. */
  venue: Venue | undefined;
  /** Which of the draft's performer ids exist. */
  knownPerformerIds: ReadonlySet<string>;
  now: Date;
  /** A new event must not be over already; an existing one may be corrected after the fact. */
  creating: boolean;
  /** The stored event's purchase limit, kept when the draft gives none. */
  currentPurchaseLimit?: number | undefined;
}

/** Tickets one account may hold plus have bought of an event unless an admin sets otherwise (the column's default too). */
export const DEFAULT_PURCHASE_LIMIT = 8;
/** The bounds an admin may set it within (the contract's and the column's). */
export const PURCHASE_LIMIT_RANGE = { min: 1, max: 100 } as const;

/** tickets.price_minor is a 32-bit integer. */
export const MAX_PRICE_MINOR = 2_147_483_647;

const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

/** CreateEvent / UpdateEvent input → what to store, with one price per section of the venue. */
export function validateEvent(draft: EventDraft, context: EventRuleContext): EventPlan {
  const violations = new Violations();
  violations.check(!isBlank(draft.name), "event.name", "an event needs a name");
  violations.check(draft.endsAt > draft.startsAt, "event.ends_at", "ends_at must be after starts_at");
  if (context.creating) {
    violations.check(draft.endsAt > context.now, "event.ends_at", "the event would already be over");
  }
  violations.check(
    draft.onSaleAt === null || draft.onSaleAt <= draft.startsAt,
    "event.on_sale_at",
    "on_sale_at must not be after starts_at",
  );
  const purchaseLimit = draft.purchaseLimit ?? context.currentPurchaseLimit ?? DEFAULT_PURCHASE_LIMIT;
  violations.check(
    Number.isInteger(purchaseLimit) && purchaseLimit >= PURCHASE_LIMIT_RANGE.min && purchaseLimit <= PURCHASE_LIMIT_RANGE.max,
    "event.purchase_limit",
    `a purchase limit is a whole number of tickets from ${PURCHASE_LIMIT_RANGE.min} to ${PURCHASE_LIMIT_RANGE.max}`,
  );
  violations.check(new Set(draft.performerIds).size === draft.performerIds.length, "event.performer_ids", "a performer is listed twice");
  const unknownPerformers = draft.performerIds.filter((id) => !context.knownPerformerIds.has(id));
  violations.check(unknownPerformers.length === 0, "event.performer_ids", `no performer ${unknownPerformers.join(", ")}`);

  const currencies = new Set(draft.priceTiers.map((tier) => tier.currency));
  const currency = draft.priceTiers[0]?.currency ?? "";
  violations.check(currencies.size <= 1, "event.price_tiers", `price tiers must share one currency, got ${[...currencies].join(", ")}`);
  violations.check(CURRENCIES.has(currency), "event.price_tiers[0].price.currency", `"${currency}" is not an ISO 4217 currency`);

  const priceBySection = new Map<string, number>();
  const { venue } = context;
  if (!venue) {
    violations.add("event.venue_id", `no venue ${draft.venueId}`);
  } else {
    const codes = new Set(venue.seatMap.sections.map((section) => section.code));
    draft.priceTiers.forEach((tier, index) => {
      const at = `event.price_tiers[${index}]`;
      if (!codes.has(tier.section)) {
        violations.add(`${at}.section`, `venue "${venue.name}" has no section "${tier.section}"`);
      } else if (priceBySection.has(tier.section)) {
        violations.add(`${at}.section`, `section "${tier.section}" is priced twice`);
      }
      violations.check(
        Number.isInteger(tier.priceMinor) && tier.priceMinor >= 0 && tier.priceMinor <= MAX_PRICE_MINOR,
        `${at}.price.amount_minor`,
        `a price must be a whole number of minor units from 0 to ${MAX_PRICE_MINOR}`,
      );
      priceBySection.set(tier.section, tier.priceMinor);
    });
    const unpriced = [...codes].filter((code) => !priceBySection.has(code));
    violations.check(unpriced.length === 0, "event.price_tiers", `every section needs a price; missing: ${unpriced.join(", ")}`);
  }
  violations.throwIfAny();

  return {
    fields: {
      name: draft.name.trim(),
      description: draft.description.trim(),
      type: draft.type,
      venueId: draft.venueId,
      startsAt: draft.startsAt,
      endsAt: draft.endsAt,
      onSaleAt: draft.onSaleAt,
      highDemand: draft.highDemand,
      purchaseLimit,
      currency,
      performerIds: draft.performerIds,
    },
    priceBySection,
  };
}
