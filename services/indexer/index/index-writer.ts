import type { Client } from "@opensearch-project/opensearch";
import type { EventDocument } from "../../shared/search-index/event-document.js";

export interface WriteOutcome {
  indexed: number;
  deleted: number;
  /** Refused because the index already holds a newer version: a replay or an overtaken write. */
  stale: number;
}

const MAX_ACTIONS_PER_REQUEST = 1_000;

/**
 * Writes documents and deletions with an external version: the engine keeps whichever write
 * carries the highest version, so replays, duplicates and a rebuild racing the change stream
 * all end in the newest state. Versions come from WAL positions.
 */
export async function writeVersioned(
  client: Client,
  indices: readonly string[],
  changes: { documents: readonly EventDocument[]; deletedIds: readonly string[] },
  version: number,
): Promise<WriteOutcome> {
  const actions: object[][] = [];
  for (const index of indices) {
    for (const document of changes.documents) {
      actions.push([{ index: { _index: index, _id: document.id, version, version_type: "external" } }, document]);
    }
    for (const id of changes.deletedIds) {
      actions.push([{ delete: { _index: index, _id: id, version, version_type: "external" } }]);
    }
  }
  const outcome: WriteOutcome = { indexed: 0, deleted: 0, stale: 0 };
  for (let i = 0; i < actions.length; i += MAX_ACTIONS_PER_REQUEST) {
    const { body } = await client.bulk({ body: actions.slice(i, i + MAX_ACTIONS_PER_REQUEST).flat() });
    for (const item of body.items) {
      const [kind, result] = Object.entries(item)[0] as [string, { status: number; error?: { type: string; reason?: string } }];
      if (result.status === 409) outcome.stale++;
      else if (kind === "delete" && (result.status === 200 || result.status === 404)) outcome.deleted++;
      else if (result.status === 200 || result.status === 201) outcome.indexed++;
      else throw new Error(`search engine refused a ${kind}: ${result.error?.type ?? result.status} ${result.error?.reason ?? ""}`.trim());
    }
  }
  return outcome;
}
