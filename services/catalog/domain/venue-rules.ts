import type { PerformerDraft, Venue, VenueDraft } from "./catalog-types.js";
import { seatMapCapacity, validateSeatMap } from "./seat-map.js";
import { isBlank, Violations } from "./violations.js";

export type VenueFields = Omit<Venue, "id">;
export type PerformerFields = PerformerDraft;

/** IANA zone names as the runtime's time-zone database knows them (the demo and the UI rely on them). */
export function isTimeZone(name: string): boolean {
  // Newer runtimes accept offsets such as "+05:00", which PostgreSQL reads as POSIX zones with the
  // sign inverted (UTC−5): search would then list the venue's events under another day.
  if (/^[+-]/.test(name.trim())) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** CreateVenue / UpdateVenue input → the venue to store; capacity follows from the seat map. */
export function validateVenue(draft: VenueDraft): VenueFields {
  const violations = new Violations();
  violations.check(!isBlank(draft.name), "venue.name", "a venue needs a name");
  violations.check(!isBlank(draft.city), "venue.city", "a venue needs a city");
  violations.check(/^[A-Z]{2}$/.test(draft.country), "venue.country", "country must be an ISO 3166-1 alpha-2 code, e.g. GB");
  violations.check(Math.abs(draft.latitude) <= 90, "venue.location.latitude", "latitude must be between -90 and 90");
  violations.check(Math.abs(draft.longitude) <= 180, "venue.location.longitude", "longitude must be between -180 and 180");
  violations.check(isTimeZone(draft.timezone), "venue.timezone", `"${draft.timezone}" is not an IANA time zone, e.g. Europe/London`);
  const seatMap = validateSeatMap(draft.seatMap.sections, "venue.seat_map", violations);
  violations.throwIfAny();
  return {
    name: draft.name.trim(),
    address: draft.address.trim(),
    city: draft.city.trim(),
    country: draft.country,
    latitude: draft.latitude,
    longitude: draft.longitude,
    timezone: draft.timezone,
    capacity: seatMapCapacity(seatMap),
    seatMap,
  };
}

export function validatePerformer(draft: PerformerDraft): PerformerFields {
  const violations = new Violations();
  violations.check(!isBlank(draft.name), "performer.name", "a performer needs a name");
  violations.throwIfAny();
  return { name: draft.name.trim(), genre: draft.genre.trim(), description: draft.description.trim() };
}
