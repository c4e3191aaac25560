/**
 * The gRPC load of stadium-view.ts, in its own process so decoding is the client's cost, not
 * the server's: calls one catalog method for a number of seconds with a few requests in flight
 * and prints one JSON line with the figures (and the size of one answer, uncompressed).
 */
import { toBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { CatalogService } from "../gen/boxoffice/catalog/v1/catalog_pb.js";
import { summarize } from "./bench-stats.js";

export interface GrpcJob {
  baseUrl: string;
  method: "getEvent" | "getEventLayout" | "getEventAvailability";
  request: Record<string, string>;
  seconds: number;
  minSamples: number;
  concurrency: number;
}

const job = JSON.parse(process.argv[2]!) as GrpcJob;
const client = createClient(CatalogService, createGrpcTransport({ baseUrl: job.baseUrl }));
const call = (): Promise<object> => (client[job.method] as (request: object) => Promise<object>)(job.request);
const schema = CatalogService.method[job.method].output;

// Warm up: the connection, the JIT, the catalog's caches.
for (let i = 0; i < 3; i++) await call();
const bytes = toBinary(schema, (await call()) as never).length;

const samples: number[] = [];
const started = performance.now();
const deadline = started + job.seconds * 1_000;
await Promise.all(
  Array.from({ length: job.concurrency }, async () => {
    while (performance.now() < deadline || samples.length < job.minSamples) {
      const t0 = performance.now();
      await call();
      samples.push(performance.now() - t0);
    }
  }),
);
console.log(JSON.stringify({ ...summarize(samples, performance.now() - started), bytes }));
process.exit(0);
