import { withSpans } from "../tracing/traced-methods.js";
import type { HoldReader, TicketHolds } from "./ticket-holds.js";

// ioredis names each node's call by its command (evalsha, hmget): a span per operation says
// which Redlock step the quorum of those calls was.
const attributes = (lockNodes: number) => ({ "db.system.name": "redis", "boxoffice.lock_nodes": lockNodes });

export function tracedTicketHolds(holds: TicketHolds, lockNodes: number): TicketHolds {
  return withSpans(holds, "redlock", ["hold", "release", "claim", "readRecord", "holders", "eventHolds", "userHolds", "lock", "unlock"], attributes(lockNodes));
}

export function tracedHoldReader(reader: HoldReader, lockNodes: number): HoldReader {
  return withSpans(reader, "redlock", ["holders", "eventHolds"], attributes(lockNodes));
}
