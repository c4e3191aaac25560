import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";

/** An event's start as people at the venue read it (its time zone), or the browser's when unknown. */
export function formatEventTime(timestamp: Timestamp | undefined, timeZone?: string): string {
  if (!timestamp) return "";
  return new Intl.DateTimeFormat(undefined, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: timeZone || undefined,
    timeZoneName: "short",
  }).format(timestampDate(timestamp));
}

/** 9:05 for a countdown. */
export function formatRemaining(milliseconds: number): string {
  const seconds = Math.max(0, Math.ceil(milliseconds / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
