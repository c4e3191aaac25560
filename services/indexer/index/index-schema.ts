import type { Client } from "@opensearch-project/opensearch";
import { EVENT_INDEX_SCHEMA_VERSION } from "../../shared/search-index/event-index.js";

/** Those of these indices whose mapping is not of this indexer's schema version. */
export async function outdatedIndices(client: Client, indices: readonly string[]): Promise<string[]> {
  if (indices.length === 0) return [];
  const { body } = await client.indices.getMapping({ index: [...indices] });
  const mappings = body as unknown as Record<string, { mappings?: { _meta?: { schema_version?: unknown } } }>;
  return indices.filter((index) => mappings[index]?.mappings?._meta?.schema_version !== EVENT_INDEX_SCHEMA_VERSION);
}
