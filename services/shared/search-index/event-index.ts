/** Where a rebuild writes while it runs, so the indexer's changes reach it before the swap. */
export const buildingAlias = (alias: string) => `${alias}-building`;

/** A fresh concrete index behind the alias, e.g. events-20261129t051530123z. */
export function versionedIndexName(alias: string, at: Date = new Date()): string {
  return `${alias}-${at.toISOString().replace(/[-:.]/g, "").toLowerCase()}`;
}

// Full words with up to one typo match the plain text; type-ahead matches the edge n-grams, which
// are cut at index time only (the query side keeps the typed word whole).
const textWithPrefixes = {
  type: "text",
  analyzer: "folded",
  fields: { prefix: { type: "text", analyzer: "prefixes", search_analyzer: "folded" } },
} as const;

/**
 * The shape of the documents and mappings below. Bump it with any change to them: the indexer
 * rebuilds an index of another version on start (a strict mapping refuses new fields, and old
 * documents lack them). 2: the venue's time zone and local start date.
 */
export const EVENT_INDEX_SCHEMA_VERSION = 2;

/** Settings and explicit mappings of a new events index; replicas and refresh are deployment choices. */
export function eventIndexDefinition(options: { replicas: number; refreshInterval: string }) {
  return {
    settings: {
      number_of_shards: 1,
      number_of_replicas: options.replicas,
      refresh_interval: options.refreshInterval,
      // The deepest page a page token can ask for (offset 10,000 plus a page of 100 and one more).
      max_result_window: 10_101,
      analysis: {
        filter: { prefix_grams: { type: "edge_ngram", min_gram: 1, max_gram: 20 } },
        normalizer: { folded_keyword: { type: "custom", filter: ["lowercase", "asciifolding"] } },
        analyzer: {
          folded: { type: "custom", tokenizer: "standard", filter: ["lowercase", "asciifolding"] },
          prefixes: { type: "custom", tokenizer: "standard", filter: ["lowercase", "asciifolding", "prefix_grams"] },
        },
      },
    },
    mappings: {
      dynamic: "strict",
      _meta: { schema_version: EVENT_INDEX_SCHEMA_VERSION },
      properties: {
        id: { type: "keyword" },
        name: textWithPrefixes,
        description: { type: "text", analyzer: "folded" },
        performers: textWithPrefixes,
        venue_name: textWithPrefixes,
        city: { ...textWithPrefixes, fields: { ...textWithPrefixes.fields, keyword: { type: "keyword", normalizer: "folded_keyword" } } },
        location: { type: "geo_point" },
        type: { type: "keyword" },
        status: { type: "keyword" },
        starts_at: { type: "date" },
        venue_local_date: { type: "keyword" },
        venue_timezone: { type: "keyword", index: false },
        lowest_price_minor: { type: "long" },
        currency: { type: "keyword", index: false },
        tickets_available: { type: "boolean" },
      },
    },
  };
}
