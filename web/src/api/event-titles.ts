import type { Api } from "./clients.js";
import type { Event } from "../../../gen/boxoffice/common/v1/event_pb.js";

export interface EventTitle {
  event: Event;
  timeZone: string;
  venueName: string;
  /** Section codes (as on tickets) to the names people know them by. */
  sectionNames: Map<string, string>;
}

/** The events a list of bookings refers to, fetched once each; unknown ones are left out. */
export async function eventTitles(api: Api, eventIds: Iterable<string>, signal?: AbortSignal): Promise<Map<string, EventTitle>> {
  const unique = [...new Set(eventIds)];
  const answers = await Promise.allSettled(unique.map((eventId) => api.catalog.getEvent({ eventId }, { signal })));
  const titles = new Map<string, EventTitle>();
  answers.forEach((answer, index) => {
    if (answer.status === "fulfilled" && answer.value.event) {
      const { event, venue } = answer.value;
      titles.set(unique[index]!, {
        event,
        timeZone: venue?.timezone ?? "",
        venueName: venue?.name ?? "",
        sectionNames: new Map((venue?.seatMap?.sections ?? []).map((section) => [section.code, section.name || section.code])),
      });
    }
  });
  return titles;
}
