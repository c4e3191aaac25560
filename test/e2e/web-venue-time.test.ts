import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { EventSchema } from "../../gen/boxoffice/common/v1/event_pb.js";
import { formatVenueTime } from "../../web/src/format/dates.js";
import { saleStateOf } from "../../web/src/format/sale-state.js";

const at = (iso: string) => timestampFromDate(new Date(iso));
/** In American English, as the browser suites run; the reader's own language decides in the app. */
const shown = (iso: string, timeZone: string | undefined) => formatVenueTime(at(iso), timeZone, "en-US");

describe("the web app shows a time on the venue's clock with its zone", () => {
  it.each([
    // The shows: a UTC day later than on their venue's clock.
    ["a 7 pm Chicago show on 5 December", "2026-12-06T01:00:00Z", "America/Chicago", "Sat, Dec 5, 2026, 7:00 PM CST"],
    ["a 7:30 pm New York show", "2027-01-17T00:30:00Z", "America/New_York", "Sat, Jan 16, 2027, 7:30 PM EST"],
    // Across the date line: the same evening in UTC is the next day in Auckland (summer time).
    ["half past midnight in Auckland", "2027-01-16T11:30:00Z", "Pacific/Auckland", "Sun, Jan 17, 2027, 12:30 AM GMT+13"],
    // The US springs forward at 2:00 on 14 March 2027: an hour apart in UTC, two on the clock.
    ["Chicago before its clock jumps", "2027-03-14T07:30:00Z", "America/Chicago", "Sun, Mar 14, 2027, 1:30 AM CST"],
    ["Chicago after its clock jumps", "2027-03-14T08:30:00Z", "America/Chicago", "Sun, Mar 14, 2027, 3:30 AM CDT"],
    ["London on the evening summer time begins", "2027-03-28T22:30:00Z", "Europe/London", "Sun, Mar 28, 2027, 11:30 PM GMT+1"],
    ["the first clock to reach a day", "2027-03-27T10:00:00Z", "Pacific/Kiritimati", "Sun, Mar 28, 2027, 12:00 AM GMT+14"],
  ])("%s", (_case, instant, timeZone, text) => {
    expect(shown(instant, timeZone)).toBe(text);
  });

  it("uses the reader's language, zone names included", () => {
    expect(formatVenueTime(at("2027-03-28T22:30:00Z"), "Europe/London", "en-GB")).toBe("Sun, 28 Mar 2027, 23:30 BST");
  });

  it("shows a zone its data does not know on the browser's clock, named, rather than failing", () => {
    expect(shown("2026-12-06T01:00:00Z", "Atlantis/Poseidonia")).toBe(shown("2026-12-06T01:00:00Z", undefined));
    expect(shown("2026-12-06T01:00:00Z", "Atlantis/Poseidonia")).toMatch(/\d:00 (AM|PM) \S+$/);
  });

  it("says when tickets go on sale on the venue's clock", () => {
    const event = create(EventSchema, { onSaleAt: at("2027-03-14T15:00:00Z"), startsAt: at("2027-04-01T00:00:00Z") });
    const state = saleStateOf(event, "America/Chicago", new Date("2027-03-01T00:00:00Z"));
    expect(state).toMatchObject({ open: false, message: expect.stringMatching(/^Tickets go on sale on Sun, Mar 14, 2027, 10:00\sAM CDT\.$/) });
  });
});
