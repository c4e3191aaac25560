import type { Knex } from "knex";
import { TABLES, type EventType } from "../../../services/shared/db/tables.js";

// A small, fixed catalogue for the labelled queries: every name, place and date chosen so a
// query has one right answer on any backend. Dates are whole days from today (UTC), 19:00 unless
// said otherwise, so "upcoming" and single-day filters hold whenever the suite runs.

const DAY = 86_400_000;
export const today = () => Math.floor(Date.now() / DAY) * DAY;
export const dayFromToday = (days: number) => new Date(today() + days * DAY).toISOString().slice(0, 10);

const uuid = (kind: number, n: number) => `00000000-0000-4000-8${kind}00-${String(n).padStart(12, "0")}`;

export const VENUES = {
  harbourfront: { name: "Harbourfront Forum", city: "Toronto", country: "CA", latitude: 43.6426, longitude: -79.3871, currency: "CAD" },
  lakeside: { name: "Lakeside Pavilion", city: "Chicago", country: "US", latitude: 41.8917, longitude: -87.6086, currency: "USD" },
  cellar: { name: "The Laughing Cellar", city: "London", country: "GB", latitude: 51.5136, longitude: -0.1318, currency: "GBP" },
  camden: { name: "Camden Electric Ballroom", city: "London", country: "GB", latitude: 51.539, longitude: -0.1426, currency: "GBP" },
  playhouse: { name: "Northern Quarter Playhouse", city: "Manchester", country: "GB", latitude: 53.4839, longitude: -2.236, currency: "GBP" },
  spreeufer: { name: "Spreeufer Halle", city: "Berlin", country: "DE", latitude: 52.5076, longitude: 13.438, currency: "EUR" },
  seafront: { name: "Seafront Arena", city: "Brighton", country: "GB", latitude: 50.8225, longitude: -0.1372, currency: "GBP" },
  lumiere: { name: "Palais Lumiere", city: "Paris", country: "FR", latitude: 48.8566, longitude: 2.3522, currency: "EUR" },
  // Cities spelt with and without their accents, as people type them either way.
  olympia: { name: "Olympia Hall", city: "Montréal", country: "CA", latitude: 45.5163, longitude: -73.5664, currency: "CAD" },
  kongress: { name: "Kongresshaus", city: "Zurich", country: "CH", latitude: 47.3663, longitude: 8.533, currency: "CHF" },
} as const;
export type VenueKey = keyof typeof VENUES;

export const PERFORMERS = [
  "Taylor Quinn", "Ruby Calloway", "Marisol Vega", "The Velvet Hours", "Lena Hartmann", "Kojo Mensah",
  "Elias Brandt Quartet", "Priya Raman", "Dmitri Volkov", "Toronto Blizzard", "Chicago Comets",
  "Oscar Delacroix", "Nadia Petrova", "The Paper Lanterns", "Sienna Okafor", "Gravel & Pine",
] as const;
export type PerformerName = (typeof PERFORMERS)[number];

export interface FixtureEvent {
  name: string;
  type: EventType;
  venue: VenueKey;
  day: number;
  hour?: number;
  performers: PerformerName[];
  description?: string;
  /** Ticket prices in minor units; "booked" marks a sold ticket. */
  tickets?: Array<number | "booked">;
  cancelled?: boolean;
}

export const EVENTS = {
  E01: { name: "Taylor Quinn: The Midnight Arcs Tour", type: "concert", venue: "lakeside", day: 10, performers: ["Taylor Quinn", "The Paper Lanterns"], description: "Stadium pop with confessional bridges.", tickets: [9500, 15000] },
  E02: { name: "Taylor Quinn: Acoustic Night", type: "concert", venue: "harbourfront", day: 40, performers: ["Taylor Quinn"], tickets: ["booked", "booked"] },
  E03: { name: "Ruby Calloway Live", type: "concert", venue: "camden", day: 12, performers: ["Ruby Calloway"], description: "Soul for Saturday nights." },
  E04: { name: "Sunday Soul Sessions", type: "concert", venue: "playhouse", day: 20, performers: ["Sienna Okafor", "Ruby Calloway"], description: "An evening of soul and r&b." },
  E05: { name: "Marisol Vega: Noches de Verano", type: "concert", venue: "spreeufer", day: 15, performers: ["Marisol Vega"] },
  E06: { name: "The Velvet Hours", type: "concert", venue: "camden", day: 25, performers: ["The Velvet Hours", "Kojo Mensah"] },
  E07: { name: "Lena Hartmann All Night Long", type: "concert", venue: "spreeufer", day: 30, performers: ["Lena Hartmann"] },
  E08: { name: "Warehouse Techno", type: "concert", venue: "spreeufer", day: 31, performers: ["Lena Hartmann"], description: "Modular synth techno until sunrise." },
  E09: { name: "Elias Brandt Quartet plays Coltrane", type: "concert", venue: "lumiere", day: 8, performers: ["Elias Brandt Quartet"], description: "Modern jazz rooted in hard bop." },
  E10: { name: "Jazz on the Riverside", type: "festival", venue: "seafront", day: 50, hour: 12, performers: ["Elias Brandt Quartet", "Sienna Okafor", "Kojo Mensah"] },
  E11: { name: "Priya Raman: Work in Progress", type: "comedy", venue: "cellar", day: 3, performers: ["Priya Raman"] },
  E12: { name: "Dmitri Volkov: No Notes", type: "comedy", venue: "cellar", day: 5, performers: ["Dmitri Volkov"] },
  E13: { name: "Late Again: Comedy Night", type: "comedy", venue: "playhouse", day: 6, performers: ["Priya Raman", "Dmitri Volkov"] },
  E14: { name: "Toronto Blizzard vs Chicago Comets", type: "sports", venue: "harbourfront", day: 9, performers: ["Toronto Blizzard", "Chicago Comets"] },
  E15: { name: "Chicago Comets vs Toronto Blizzard", type: "sports", venue: "lakeside", day: 16, performers: ["Chicago Comets", "Toronto Blizzard"] },
  E16: { name: "Oscar Delacroix: Chopin and Ravel", type: "concert", venue: "lumiere", day: 22, performers: ["Oscar Delacroix"] },
  E17: { name: "Swan Lake", type: "theater", venue: "playhouse", day: 35, performers: [], description: "The classic ballet in four acts." },
  E18: { name: "Hamlet", type: "theater", venue: "lumiere", day: 18, performers: [], description: "Shakespeare's tragedy in a new staging." },
  E19: { name: "Future of Cities Summit", type: "conference", venue: "harbourfront", day: 60, hour: 9, performers: ["Nadia Petrova"] },
  E20: { name: "Dinosaur Discovery", type: "family", venue: "lakeside", day: 7, hour: 11, performers: [], description: "Life-size dinosaurs for all ages." },
  E21: { name: "Kojo Mensah: Highlife Nights", type: "concert", venue: "camden", day: 14, performers: ["Kojo Mensah"] },
  E22: { name: "Sienna Okafor", type: "concert", venue: "seafront", day: 11, performers: ["Sienna Okafor"] },
  E23: { name: "Taylor Quinn: Warm-up Show", type: "concert", venue: "lakeside", day: -5, performers: ["Taylor Quinn"] },
  E24: { name: "Taylor Quinn: Cancelled Matinee", type: "concert", venue: "harbourfront", day: 12, performers: ["Taylor Quinn"], cancelled: true },
  E25: { name: "Gravel & Pine Honky-tonk", type: "concert", venue: "lakeside", day: 27, performers: ["Gravel & Pine"] },
  E26: { name: "Paper Lanterns Summer Show", type: "concert", venue: "harbourfront", day: 33, performers: ["The Paper Lanterns"] },
  E27: { name: "Open Mic Monday", type: "comedy", venue: "cellar", day: 10, hour: 18, performers: [] },
  E28: { name: "Open Mic Tuesday", type: "comedy", venue: "cellar", day: 11, performers: [] },
  E29: { name: "Stand-up Showcase", type: "comedy", venue: "cellar", day: 13, performers: [] },
  E30: { name: "Hartmann & Friends", type: "concert", venue: "spreeufer", day: 45, performers: ["Lena Hartmann", "Kojo Mensah"] },
  E31: { name: "Noël Winter Lights Gala", type: "festival", venue: "olympia", day: 19, performers: [] },
  E32: { name: "Alpine Brass Evening", type: "concert", venue: "kongress", day: 28, performers: [] },
} satisfies Record<string, FixtureEvent>;
export type EventKey = keyof typeof EVENTS;

export const fixtureEventId = (key: EventKey) => uuid(1, Number(key.slice(1)));
const venueId = (key: VenueKey) => uuid(2, Object.keys(VENUES).indexOf(key) + 1);
const performerId = (name: PerformerName) => uuid(3, PERFORMERS.indexOf(name) + 1);

export const eventKeyOf = (id: string): EventKey => {
  const key = (Object.keys(EVENTS) as EventKey[]).find((candidate) => fixtureEventId(candidate) === id);
  if (!key) throw new Error(`not a fixture event: ${id}`);
  return key;
};

/** Writes the catalogue into an empty, migrated database. */
export async function loadSearchFixture(db: Knex): Promise<void> {
  await db(TABLES.venues).insert(
    (Object.entries(VENUES) as Array<[VenueKey, (typeof VENUES)[VenueKey]]>).map(([key, venue]) => ({
      id: venueId(key),
      name: venue.name,
      city: venue.city,
      country: venue.country,
      latitude: venue.latitude,
      longitude: venue.longitude,
      timezone: "UTC",
      capacity: 2,
      seat_map: JSON.stringify({ sections: [{ code: "GA", name: "Floor", kind: "general_admission", capacity: 2 }] }),
    })),
  );
  await db(TABLES.performers).insert(PERFORMERS.map((name) => ({ id: performerId(name), name })));
  for (const [key, event] of Object.entries(EVENTS) as Array<[EventKey, FixtureEvent]>) {
    const id = fixtureEventId(key);
    const startsAt = new Date(today() + event.day * DAY + (event.hour ?? 19) * 3_600_000);
    const currency = VENUES[event.venue].currency;
    await db(TABLES.events).insert({
      id,
      name: event.name,
      description: event.description ?? "",
      type: event.type,
      venue_id: venueId(event.venue),
      starts_at: startsAt,
      ends_at: new Date(startsAt.getTime() + 3 * 3_600_000),
      status: event.cancelled ? "cancelled" : "scheduled",
      currency,
    });
    if (event.performers.length > 0) {
      await db(TABLES.eventPerformers).insert(event.performers.map((name, order) => ({ event_id: id, performer_id: performerId(name), billing_order: order })));
    }
    const tickets = event.tickets ?? [4500, 6000];
    const booked = tickets.filter((ticket) => ticket === "booked").length;
    const bookingId = booked > 0 ? uuid(4, Number(key.slice(1))) : null;
    if (bookingId) {
      await db(TABLES.bookings).insert({ id: bookingId, user_id: "fixture", event_id: id, total_minor: 7000 * booked, currency, idempotency_key: `fixture-${key}` });
    }
    await db(TABLES.tickets).insert(
      tickets.map((ticket, n) => ({
        event_id: id,
        section: "GA",
        seat_number: n + 1,
        price_minor: ticket === "booked" ? 7000 : ticket,
        currency,
        status: ticket === "booked" ? "booked" : "available",
        booking_id: ticket === "booked" ? bookingId : null,
      })),
    );
  }
}
