import { createClient, type Client, type Transport } from "@connectrpc/connect";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { SearchService } from "../../gen/boxoffice/search/v1/search_pb.js";
import { BookingService } from "../../gen/boxoffice/booking/v1/booking_pb.js";
import { QueueService } from "../../gen/boxoffice/queue/v1/queue_pb.js";
import { PaymentEventsService } from "../../gen/boxoffice/booking/internal/v1/payment_events_pb.js";
import { retryReadsOnce } from "./retry-reads.js";
import { createGrpcJsTransport } from "../shared/rpc/grpc-js/grpc-js-transport.js";
import type { ServiceTarget } from "../shared/config/env-fields.js";

export interface InternalTransports {
  catalog: Transport;
  search: Transport;
  booking: Transport;
  queue: Transport;
}

export interface InternalClients {
  catalog: Client<typeof CatalogService>;
  search: Client<typeof SearchService>;
  booking: Client<typeof BookingService>;
  queue: Client<typeof QueueService>;
  /** Booking's internal provider-event intake, which the webhook endpoint relays to. */
  paymentEvents: Client<typeof PaymentEventsService>;
}

/**
 * gRPC over HTTP/2 to each internal service, one multiplexed grpc-js channel per service (over
 * every replica of a balanced target)
 * (cheaper per call than connect-node's client: docs/performance.md).
 */
export function grpcTransports(addresses: { catalog: string; search: string; booking: string | ServiceTarget; queue: string }): InternalTransports {
  const transport = (to: string | ServiceTarget) => {
    const { target, balanced } = typeof to === "string" ? { target: to, balanced: false } : to;
    return createGrpcJsTransport({ address: target, roundRobin: balanced, interceptors: [retryReadsOnce()] });
  };
  return { catalog: transport(addresses.catalog), search: transport(addresses.search), booking: transport(addresses.booking), queue: transport(addresses.queue) };
}

export function internalClients(transports: InternalTransports): InternalClients {
  return {
    catalog: createClient(CatalogService, transports.catalog),
    search: createClient(SearchService, transports.search),
    booking: createClient(BookingService, transports.booking),
    queue: createClient(QueueService, transports.queue),
    paymentEvents: createClient(PaymentEventsService, transports.booking),
  };
}
