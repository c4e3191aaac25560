import type { Client } from "@opensearch-project/opensearch";
import { buildingAlias } from "../../shared/search-index/event-index.js";

/** The concrete indices behind each alias (none for an alias that does not exist). */
export async function indicesBehind(client: Client, ...aliases: string[]): Promise<string[]> {
  const { body } = await client.cat.aliases({ name: aliases, format: "json" });
  const rows = body as unknown as Array<{ alias: string; index: string }>;
  return [...new Set(rows.map((row) => row.index))].sort();
}

/**
 * Where a change must be written: the index searches read, and the one a rebuild is filling.
 * Looked up for every batch: a rebuild adds its index before it takes its snapshot, so every
 * change the snapshot misses is written to the new index too.
 */
export const writeTargets = (client: Client, alias: string) => indicesBehind(client, alias, buildingAlias(alias));

/** In one atomic step, searches move to the new index; the old ones are returned for deletion. */
export async function promoteIndex(client: Client, alias: string, index: string): Promise<string[]> {
  const previous = (await indicesBehind(client, alias)).filter((name) => name !== index);
  await client.indices.updateAliases({
    body: {
      actions: [
        ...previous.map((name) => ({ remove: { index: name, alias } })),
        { add: { index, alias } },
        { remove: { index, alias: buildingAlias(alias) } },
      ],
    },
  });
  return previous;
}
