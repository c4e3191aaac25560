import { create } from "@bufbuild/protobuf";
import { WatchEventTicketsResponseSchema, type WatchEventTicketsResponse } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { TicketStatus } from "../../../gen/boxoffice/common/v1/event_pb.js";
import type { TicketStatus as SeatStatus } from "../../catalog/domain/catalog-types.js";
// The availability bits are the contract's format (catalog.proto), owned by the catalog.
import { setSeatState } from "../../catalog/domain/seat-availability.js";

/**
 * An event's watch state as the catalog's stream told it, kept at the edge so a browser that
 * joins later gets a snapshot from here instead of a stream of its own to the catalog.
 */
export interface WatchReplica {
  apply(message: WatchEventTicketsResponse): void;
  /** The state now, as the snapshot message the catalog would send. */
  snapshot(): WatchEventTicketsResponse;
}

/** The per-ticket form: every ticket's status, in the catalog's order. */
export function ticketReplica(): WatchReplica {
  let statuses = new Map<string, TicketStatus>();
  let holdsUnknown = false;
  return {
    apply(message) {
      if (message.snapshot) statuses = new Map();
      for (const { ticketId, status } of message.changes) statuses.set(ticketId, status);
      holdsUnknown = message.holdsUnknown;
    },
    snapshot() {
      const changes = [...statuses].map(([ticketId, status]) => ({ ticketId, status }));
      return create(WatchEventTicketsResponseSchema, { snapshot: true, changes, holdsUnknown });
    },
  };
}

const SEAT_STATUS: Partial<Record<TicketStatus, SeatStatus>> = {
  [TicketStatus.AVAILABLE]: "available",
  [TicketStatus.RESERVED]: "reserved",
  [TicketStatus.BOOKED]: "booked",
};

/** The compact form: the availability bits with their layout and version. */
export function availabilityReplica(): WatchReplica {
  let layoutVersion = "";
  let bits = new Uint8Array(0);
  let availabilityVersion = "";
  let holdsUnknown = false;
  return {
    apply(message) {
      if (message.snapshot) {
        layoutVersion = message.layoutVersion;
        bits = message.availability.slice();
      }
      for (const { position, status } of message.seatChanges) {
        const seat = SEAT_STATUS[status];
        if (seat && position >= 0 && position < bits.length * 4) setSeatState(bits, position, seat);
      }
      availabilityVersion = message.availabilityVersion;
      holdsUnknown = message.holdsUnknown;
    },
    snapshot() {
      return create(WatchEventTicketsResponseSchema, { snapshot: true, layoutVersion, availability: bits.slice(), availabilityVersion, holdsUnknown });
    },
  };
}
