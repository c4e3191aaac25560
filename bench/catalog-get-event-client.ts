/**
 * The load generator of catalog-get-event.ts, in its own process: decoding 5 MB responses is
 * the client's work and must not be counted as the server's. Reports its summary over IPC.
 */
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { CatalogService } from "../gen/boxoffice/catalog/v1/catalog_pb.js";
import { timedPool } from "./bench-stats.js";

export interface ClientJob {
  baseUrl: string;
  eventId: string;
  requests: number;
  concurrency: number;
}

const job = JSON.parse(process.argv[2]!) as ClientJob;
const client = createClient(CatalogService, createGrpcTransport({ baseUrl: job.baseUrl }));
// Warm up: connection, JIT, and the cache of the modes that have one.
for (let i = 0; i < 3; i++) await client.getEvent({ eventId: job.eventId });
const summary = await timedPool(Array.from({ length: job.requests }), job.concurrency, async () => {
  const response = await client.getEvent({ eventId: job.eventId });
  if (response.tickets.length === 0) throw new Error("no tickets");
});
process.send!(summary);
