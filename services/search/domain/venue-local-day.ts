const HOUR_MS = 3_600_000;
// The zone offsets in use run from UTC−12 (Baker Island) to UTC+14 (Kiritimati).
const WESTMOST_OFFSET_MS = -12 * HOUR_MS;
const EASTMOST_OFFSET_MS = 14 * HOUR_MS;

/** A day such as 2026-12-05 as midnight UTC, or undefined when it is no calendar day. */
export function calendarDay(day: string): Date | undefined {
  const midnight = new Date(`${day}T00:00:00.000Z`);
  // Date parsing rolls 2027-02-30 over into March; a day that does not print back is not one.
  if (Number.isNaN(midnight.getTime()) || midnight.toISOString().slice(0, 10) !== day) return undefined;
  return midnight;
}

/**
 * Every instant that is on this day on some clock on Earth: from when the day begins at UTC+14
 * until it ends at UTC−12. Backends filter on the start-time index with this span, then keep
 * the events whose venue's own clock shows the day.
 */
export function spanOfDayOnAnyClock(midnightUtc: Date): { startsAfter: Date; startsBefore: Date } {
  return {
    startsAfter: new Date(midnightUtc.getTime() - EASTMOST_OFFSET_MS),
    startsBefore: new Date(midnightUtc.getTime() + 24 * HOUR_MS - WESTMOST_OFFSET_MS),
  };
}
