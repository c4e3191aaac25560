import type { Client } from "@connectrpc/connect";
import { expect } from "vitest";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { eventually } from "../support/spawned-service.js";
import { statusName } from "./catalog-fixture.js";

/** A watcher as a browser keeps one: the state it has built from the stream so far. */
export function watch(client: Client<typeof CatalogService>, eventId: string) {
  const controller = new AbortController();
  const state = new Map<string, string>();
  const received: Array<{ snapshot: boolean; changes: number; at: number }> = [];
  let failure: unknown;
  const done = (async () => {
    try {
      for await (const message of client.watchEventTickets({ eventId }, { signal: controller.signal })) {
        if (message.snapshot) state.clear();
        for (const change of message.changes) state.set(change.ticketId, statusName(change.status));
        received.push({ snapshot: message.snapshot, changes: message.changes.length, at: performance.now() });
      }
    } catch (error) {
      if (!controller.signal.aborted) failure = error;
    }
  })();
  return {
    state,
    received,
    failure: () => failure,
    /** Waits until the stream has told this ticket's status; returns when (performance.now()). */
    async until(ticketId: string, status: string, timeoutMs = 10_000): Promise<number> {
      await eventually(async () => {
        if (failure) throw failure;
        expect(state.get(ticketId)).toBe(status);
      }, timeoutMs, 10);
      return received.at(-1)!.at;
    },
    async stop() {
      controller.abort();
      await done;
    },
  };
}
