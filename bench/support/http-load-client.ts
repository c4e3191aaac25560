/**
 * HTTP load from a process of its own, with autocannon: POSTs (or GETs) to one URL for a fixed
 * time, each request taking the next body of a JSON array file (round robin), and prints
 * autocannon's figures as one JSON line.
 *   node --import tsx bench/support/http-load-client.ts JOB.json
 * JOB: { url, method, bodiesFile?, headers, connections, seconds }
 */
import { readFileSync } from "node:fs";
import autocannon from "autocannon";

interface Job {
  url: string;
  method: "GET" | "POST";
  bodiesFile?: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
}

const job = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Job;
const bodies = job.bodiesFile ? (JSON.parse(readFileSync(job.bodiesFile, "utf8")) as unknown[]).map((body) => JSON.stringify(body)) : [];
let next = 0;

const result = await autocannon({
  url: job.url,
  connections: job.connections,
  // One request in flight per connection, as browsers on HTTP/1.1 send them.
  pipelining: 1,
  duration: job.seconds,
  headers: job.headers,
  requests: [
    {
      method: job.method,
      setupRequest: (request) => (bodies.length === 0 ? request : { ...request, body: bodies[next++ % bodies.length]! }),
    },
  ],
});

const statuses: Record<string, number> = {};
for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = (stats as { count: number }).count;
if (result.errors > 0) statuses.errors = result.errors;
if (result.timeouts > 0) statuses.timeouts = result.timeouts;
console.log(
  JSON.stringify({
    count: result.requests.total,
    perSecond: result.requests.total / job.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statuses,
  }),
);
