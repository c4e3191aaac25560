import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { h } from "../dom.js";
import { formatVenueTime } from "../format/dates.js";

/** A <time> showing the instant on the venue's clock, with the instant itself for machines. */
export function venueTime(timestamp: Timestamp | undefined, timeZone: string | undefined): HTMLTimeElement {
  return h("time", { datetime: timestamp ? timestampDate(timestamp).toISOString() : undefined }, formatVenueTime(timestamp, timeZone));
}
