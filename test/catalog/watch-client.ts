import type { Client } from "@connectrpc/connect";
import { expect } from "vitest";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { eventually } from "../support/spawned-service.js";
import { statusName } from "./catalog-fixture.js";

/** A watcher as a browser keeps one: the state it has built from the stream so far. */
export function watch(client: Client<typeof CatalogService>, eventId: string) {
  const controller = new AbortController();
  const state = new Map<string, string>();
  // When each ticket's current status arrived (performance.now()), to measure how late it was.
  const arrivedAt = new Map<string, number>();
  const received: Array<{ snapshot: boolean; changes: number; holdsUnknown: boolean; at: number }> = [];
  let failure: unknown;
  const done = (async () => {
    try {
      for await (const message of client.watchEventTickets({ eventId }, { signal: controller.signal })) {
        const at = performance.now();
        if (message.snapshot) state.clear();
        for (const change of message.changes) {
          state.set(change.ticketId, statusName(change.status));
          arrivedAt.set(change.ticketId, at);
        }
        received.push({ snapshot: message.snapshot, changes: message.changes.length, holdsUnknown: message.holdsUnknown, at });
      }
    } catch (error) {
      if (!controller.signal.aborted) failure = error;
    }
  })();
  return {
    state,
    received,
    failure: () => failure,
    /** What the latest message said about the lock store. */
    holdsUnknown: () => received.at(-1)?.holdsUnknown,
    /** Waits until the stream has told this ticket's status; returns when that message arrived (performance.now()). */
    async until(ticketId: string, status: string, timeoutMs = 10_000): Promise<number> {
      await eventually(async () => {
        if (failure) throw failure;
        expect(state.get(ticketId)).toBe(status);
      }, timeoutMs, 10);
      return arrivedAt.get(ticketId)!;
    },
    async stop() {
      controller.abort();
      await done;
    },
  };
}
