import type { Knex } from "knex";

/**
 * A scheduled show at a venue of its own in `timezone`, written straight into the catalogue.
 * `startsAt` carries the venue clock's offset (e.g. 2027-12-05T19:00:00-06:00), so what a test
 * expects follows from the calendar, not from the time zone code under test.
 */
export async function addZonedShow(db: Knex, name: string, timezone: string, startsAt: string): Promise<{ id: string; name: string; venueId: string }> {
  const [venue] = await db("venues")
    .insert({ name: `${name} Arena`, city: "Chicago", country: "US", latitude: 41.88, longitude: -87.63, timezone, capacity: 0, seat_map: JSON.stringify({ sections: [] }) })
    .returning("id");
  const start = new Date(startsAt);
  const [event] = await db("events")
    .insert({ name, type: "sports", venue_id: venue.id, starts_at: start, ends_at: new Date(start.getTime() + 3 * 3_600_000), currency: "USD" })
    .returning("id");
  return { id: event.id as string, name, venueId: venue.id as string };
}
