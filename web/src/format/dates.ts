import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";

const formats = new Map<string, Intl.DateTimeFormat>();

function venueClock(timeZone: string | undefined, locale: string | undefined): Intl.DateTimeFormat {
  const key = `${locale ?? ""}|${timeZone ?? ""}`;
  let format = formats.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions = {
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZoneName: "short",
    };
    try {
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    } catch {
      // A zone this browser's data does not know yet (newer than its ICU): its own clock, named,
      // is still a true time where a blank page would be none.
      format = new Intl.DateTimeFormat(locale, options);
    }
    formats.set(key, format);
  }
  return format;
}

/**
 * A time as people at the venue read it, on its clock and with its zone's abbreviation, as
 * tickets print it: "Sat, Dec 5, 2026, 7:00 PM CST" (in the reader's language). Without a zone,
 * the browser's clock, still named. `locale` is the browser's unless a test pins one.
 */
export function formatVenueTime(timestamp: Timestamp | undefined, timeZone: string | undefined, locale?: string): string {
  if (!timestamp) return "";
  return venueClock(timeZone || undefined, locale).format(timestampDate(timestamp));
}

/** 9:05 for a countdown. */
export function formatRemaining(milliseconds: number): string {
  const seconds = Math.max(0, Math.ceil(milliseconds / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
