/** What one change stream row says changed, in the keys the search documents depend on. */
export interface RowChange {
  table: string;
  /** The published columns: new values for inserts and updates, the key for deletes. */
  row: Record<string, unknown>;
}

/**
 * The events whose search documents may be stale, directly or through a venue or performer
 * they show. Changes to the same keys collapse, so a burst of bookings for one event costs one
 * document write per batch.
 */
export interface ChangedKeys {
  events: Set<string>;
  venues: Set<string>;
  performers: Set<string>;
  /** A TRUNCATE of a followed table: every document must be checked. */
  everything: boolean;
}

export const noChangedKeys = (): ChangedKeys => ({ events: new Set(), venues: new Set(), performers: new Set(), everything: false });

export function changedKeyCount(keys: ChangedKeys): number {
  return keys.events.size + keys.venues.size + keys.performers.size;
}

export function mergeChangedKeys(into: ChangedKeys, from: ChangedKeys): void {
  for (const id of from.events) into.events.add(id);
  for (const id of from.venues) into.venues.add(id);
  for (const id of from.performers) into.performers.add(id);
  into.everything ||= from.everything;
}

const asId = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : undefined);

/**
 * Records one row change; false when it cannot be tied to an event. That is a deleted ticket:
 * its key is only its own id. The catalog deletes tickets only with their event, or when it
 * regenerates them in a transaction that also updates the event row, which covers it.
 */
export function recordRowChange(keys: ChangedKeys, change: RowChange): boolean {
  const { row } = change;
  let id: string | undefined;
  switch (change.table) {
    case "events":
      id = asId(row.id);
      if (id) keys.events.add(id);
      break;
    case "event_performers":
    case "tickets":
      id = asId(row.event_id);
      if (id) keys.events.add(id);
      break;
    case "venues":
      id = asId(row.id);
      if (id) keys.venues.add(id);
      break;
    case "performers":
      id = asId(row.id);
      if (id) keys.performers.add(id);
      break;
  }
  return id !== undefined;
}
