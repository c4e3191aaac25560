import type { Client } from "@opensearch-project/opensearch";
import type { EventHit, SearchBackend } from "../../domain/event-search.js";
import { greatCircleKm } from "../../domain/great-circle.js";
import type { EventDocument } from "../../../shared/search-index/event-document.js";
import { eventSearchBody } from "./event-query.js";

/** Search through the alias, so a rebuild swaps the index underneath without anyone noticing. */
export function createOpenSearchEventSearch(client: Client, alias: string): SearchBackend {
  return {
    async search(query) {
      const response = await client.search({ index: alias, body: eventSearchBody(query) as never });
      const hits = response.body.hits.hits.map((hit): EventHit => {
        const doc = hit._source as unknown as Omit<EventDocument, "description">;
        const found: EventHit = {
          id: doc.id,
          name: doc.name,
          type: doc.type,
          startsAt: new Date(doc.starts_at),
          venueName: doc.venue_name,
          venueTimeZone: doc.venue_timezone,
          city: doc.city,
          latitude: doc.location.lat,
          longitude: doc.location.lon,
          performers: doc.performers,
          lowestPriceMinor: doc.lowest_price_minor,
          currency: doc.currency,
          ticketsAvailable: doc.tickets_available,
        };
        if (query.near) found.distanceKm = greatCircleKm(query.near, { latitude: doc.location.lat, longitude: doc.location.lon });
        return found;
      });
      return { hits, backend: "opensearch", degraded: false };
    },
  };
}
