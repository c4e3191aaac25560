/**
 * Our own load harness, in a process of its own: drives Health/Check through one of the two
 * client libraries for a fixed time and prints its figures (and its own CPU per call) as JSON.
 *   node --import tsx bench/support/rpc-load-client.ts ADDRESS grpc-js|connect-node CONCURRENCY SECONDS
 */
import { createClient, type Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health } from "../../gen/health/v1/health_pb.js";
import { createGrpcJsTransport } from "../../services/shared/rpc/grpc-js/grpc-js-transport.js";
import { summarize } from "../bench-stats.js";

const [address, mode, concurrencyArg, secondsArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg ?? 64);
const seconds = Number(secondsArg ?? 5);
const transport: Transport =
  mode === "connect-node" ? createGrpcTransport({ baseUrl: `http://${address}` }) : createGrpcJsTransport({ address: address! });
const health = createClient(Health, transport);
const request = { service: "" };

const samples: number[] = [];
let failures = 0;
const until = performance.now() + seconds * 1000;
const cpuBefore = process.cpuUsage();
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      try {
        await health.check(request);
        samples.push(performance.now() - t0);
      } catch {
        failures++;
      }
    }
  }),
);
const cpu = process.cpuUsage(cpuBefore);
const summary = summarize(samples, performance.now() - started);
console.log(JSON.stringify({ ...summary, failures, clientCpuMsPerCall: (cpu.user + cpu.system) / 1000 / Math.max(1, summary.count) }));
process.exit(0);
