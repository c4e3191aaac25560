import type { Knex } from "knex";
import { TABLES } from "../../../services/shared/db/tables.js";

// Venues on clocks from UTC−12 to UTC+14 and events near their local midnight or on a day their
// clock changes. Every start is written with the offset the venue's clock shows then, so the
// expected local days below do not depend on any time zone code: the backends must agree with
// the calendar, not with each other.

const uuid = (kind: number, n: number) => `00000000-0000-4000-8${kind}00-${String(n).padStart(12, "0")}`;

export const ZONED_VENUES = {
  chicago: { name: "Lakeside Pavilion", city: "Chicago", country: "US", timezone: "America/Chicago", latitude: 41.89, longitude: -87.61 },
  newYork: { name: "Hudson Hall", city: "New York", country: "US", timezone: "America/New_York", latitude: 40.75, longitude: -73.99 },
  auckland: { name: "Harbour Bridge Arena", city: "Auckland", country: "NZ", timezone: "Pacific/Auckland", latitude: -36.85, longitude: 174.76 },
  london: { name: "Camden Electric Ballroom", city: "London", country: "GB", timezone: "Europe/London", latitude: 51.54, longitude: -0.14 },
  kiritimati: { name: "Christmas Island Lagoon Stage", city: "Kiritimati", country: "KI", timezone: "Pacific/Kiritimati", latitude: 1.87, longitude: -157.4 },
  // The last clock on Earth (no one lives there, but the zone is IANA's): the day ends here last.
  westmost: { name: "Baker Island Outpost", city: "Baker Island", country: "UM", timezone: "Etc/GMT+12", latitude: 0.19, longitude: -176.48 },
} as const;
export type ZonedVenueKey = keyof typeof ZONED_VENUES;

interface ZonedEvent {
  name: string;
  venue: ZonedVenueKey;
  /** The start as the venue's clock showed it, with that clock's offset. */
  startsAt: string;
}

export const ZONED_EVENTS = {
  // The two shows: a UTC day later than on their venue's clock.
  Z01: { name: "Chicago Comets Winter Classic", venue: "chicago", startsAt: "2026-12-05T19:00:00-06:00" },
  Z02: { name: "Broadway Lights Gala", venue: "newYork", startsAt: "2027-01-16T19:30:00-05:00" },
  // Across the date line from New York: half an hour into the next day there, a UTC day earlier.
  Z03: { name: "Auckland Midnight Fireworks", venue: "auckland", startsAt: "2027-01-17T00:30:00+13:00" },
  // The US springs forward at 2:00 on 2027-03-14: either side of the jump, and the evening before.
  Z04: { name: "Late Night Blues the Night Before", venue: "chicago", startsAt: "2027-03-13T23:30:00-06:00" },
  Z05: { name: "Blues Before the Clock Jumps", venue: "chicago", startsAt: "2027-03-14T01:30:00-06:00" },
  Z06: { name: "Blues After the Clock Jumps", venue: "chicago", startsAt: "2027-03-14T03:30:00-05:00" },
  // Europe springs forward at 1:00 UTC on 2027-03-28: both ends of that day in London.
  Z07: { name: "London Last Orders", venue: "london", startsAt: "2027-03-27T23:30:00+00:00" },
  Z08: { name: "London First Light Rave", venue: "london", startsAt: "2027-03-28T00:30:00+00:00" },
  Z09: { name: "London Summer Time Opener", venue: "london", startsAt: "2027-03-28T23:30:00+01:00" },
  // The first and last minute of 2027-03-28 anywhere: 34 hours apart in UTC.
  Z10: { name: "Kiritimati New Day Dawn Chorus", venue: "kiritimati", startsAt: "2027-03-28T00:00:00+14:00" },
  Z11: { name: "Baker Island Last Minute", venue: "westmost", startsAt: "2027-03-28T23:59:00-12:00" },
} satisfies Record<string, ZonedEvent>;
export type ZonedEventKey = keyof typeof ZONED_EVENTS;

/** The days people search for, and what each venue's clock lists under them, earliest first. */
export const LOCAL_DAYS: Array<{ date: string; events: ZonedEventKey[] }> = [
  { date: "2026-12-05", events: ["Z01"] },
  { date: "2026-12-06", events: [] },
  { date: "2027-01-16", events: ["Z02"] },
  { date: "2027-01-17", events: ["Z03"] },
  { date: "2027-03-13", events: ["Z04"] },
  { date: "2027-03-14", events: ["Z05", "Z06"] },
  { date: "2027-03-27", events: ["Z07"] },
  { date: "2027-03-28", events: ["Z10", "Z08", "Z09", "Z11"] },
  { date: "2027-03-29", events: [] },
];

export const zonedEventId = (key: ZonedEventKey) => uuid(5, Number(key.slice(1)));
const zonedVenueId = (key: ZonedVenueKey) => uuid(6, Object.keys(ZONED_VENUES).indexOf(key) + 1);

export const zonedEventKeyOf = (id: string): ZonedEventKey => {
  const key = (Object.keys(ZONED_EVENTS) as ZonedEventKey[]).find((candidate) => zonedEventId(candidate) === id);
  if (!key) throw new Error(`not a zoned fixture event: ${id}`);
  return key;
};

/** Writes the zoned catalogue into an empty, migrated database (no tickets: search needs none). */
export async function loadZonedCatalogue(db: Knex): Promise<void> {
  await db(TABLES.venues).insert(
    (Object.entries(ZONED_VENUES) as Array<[ZonedVenueKey, (typeof ZONED_VENUES)[ZonedVenueKey]]>).map(([key, venue]) => ({
      id: zonedVenueId(key),
      ...venue,
      capacity: 0,
      seat_map: JSON.stringify({ sections: [] }),
    })),
  );
  await db(TABLES.events).insert(
    (Object.entries(ZONED_EVENTS) as Array<[ZonedEventKey, ZonedEvent]>).map(([key, event]) => {
      const startsAt = new Date(event.startsAt);
      return {
        id: zonedEventId(key),
        name: event.name,
        type: "concert",
        venue_id: zonedVenueId(event.venue),
        starts_at: startsAt,
        ends_at: new Date(startsAt.getTime() + 3 * 3_600_000),
        currency: "USD",
      };
    }),
  );
}
