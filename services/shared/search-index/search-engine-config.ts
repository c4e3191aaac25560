import { z } from "zod";

/** The search-engine fields the search service, the indexer and the reindex tool all read. */
export const searchEngineFields = {
  /** Absent: search runs on PostgreSQL full text alone. */
  SEARCH_URL: z.string().url().optional(),
  // The engine CI runs and the adapter is proven against; Elasticsearch would need its own client.
  SEARCH_ENGINE: z.enum(["opensearch"]).default("opensearch"),
  /** Queries and the indexer go through this alias; the concrete indices behind it are versioned. */
  SEARCH_INDEX_ALIAS: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, "must be a lower-case index name (a-z, 0-9, _ and -)")
    .default("events"),
};
