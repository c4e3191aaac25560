import type { Client } from "@opensearch-project/opensearch";

/** Every document id in these indices, in id order (search_after paging, no scroll context to leak). */
export async function indexedIds(client: Client, indices: readonly string[], pageSize = 5_000): Promise<Set<string>> {
  const ids = new Set<string>();
  let after: unknown[] | undefined;
  for (;;) {
    const { body } = await client.search({
      index: [...indices],
      body: { size: pageSize, _source: false, sort: [{ id: "asc" }], query: { match_all: {} }, ...(after ? { search_after: after } : {}) } as never,
    });
    const hits = body.hits.hits;
    for (const hit of hits) if (hit._id) ids.add(hit._id);
    if (hits.length < pageSize) return ids;
    after = hits[hits.length - 1]!.sort as unknown[];
  }
}
