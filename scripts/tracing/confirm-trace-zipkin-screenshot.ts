/**
 * Photographs one confirm's trace in a real viewer: Zipkin's own trace page (its Lens UI). Starts
 * catalog, search, booking and the edge exporting to a running Zipkin (npm run tracing:zipkin),
 * drives search → reserve → confirm through the edge, waits until Zipkin has the whole trace and
 * saves Zipkin's page for that trace id with Debian's Chromium.
 *
 *   npm run services:up && source scripts/services/env.sh
 *   npm run tracing:zipkin                         # UI on http://127.0.0.1:9411/zipkin/
 *   node --import tsx scripts/tracing/confirm-trace-zipkin-screenshot.ts [docs/tracing/confirm-trace-zipkin.png]
 *
 *   ZIPKIN_URL (http://127.0.0.1:9411)
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { launchChromium } from "../../test/e2e/web-app-fixture.js";
import { eventually } from "../../test/support/spawned-service.js";
import { withTracedConfirm } from "./traced-confirm.js";

const ZIPKIN = (process.env.ZIPKIN_URL ?? "http://127.0.0.1:9411").replace(/\/$/, "");
const OUT = resolve(process.argv[2] ?? "docs/tracing/confirm-trace-zipkin.png");

/** The part of Zipkin's v2 span (GET /api/v2/trace/<id>) this script reads. */
interface ZipkinSpan {
  localEndpoint?: { serviceName?: string };
}

const tracingEnv = { OTEL_TRACES_EXPORTER: "zipkin", OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${ZIPKIN}/api/v2/spans` };

await withTracedConfirm(tracingEnv, async (traceId) => {
  // Spans arrive from two processes in batches: wait until both have sent and the count stops growing.
  let seen = -1;
  const spans = await eventually(async () => {
    const answer = await fetch(`${ZIPKIN}/api/v2/trace/${traceId}`);
    if (!answer.ok) throw new Error(`Zipkin answered ${answer.status} for the trace`);
    const found = (await answer.json()) as ZipkinSpan[];
    const services = new Set(found.map((span) => span.localEndpoint?.serviceName));
    const settled = found.length === seen;
    seen = found.length;
    if (!services.has("edge") || !services.has("booking") || !settled) throw new Error(`not all spans yet (${seen})`);
    return found;
  }, 30_000, 1_000);
  const page = `${ZIPKIN}/zipkin/traces/${traceId}`;
  console.log(`trace ${traceId}: ${spans.length} spans in Zipkin (${page})`);

  mkdirSync(dirname(OUT), { recursive: true });
  const browser = await launchChromium();
  try {
    // Lens scrolls the span list inside the page, so the viewport is made tall enough for every row.
    const tab = await browser.newPage({ viewport: { width: 1600, height: Math.max(700, 320 + spans.length * 32) }, deviceScaleFactor: 1 });
    await tab.goto(page, { waitUntil: "networkidle" });
    await tab.getByText("POST /booking/confirm", { exact: false }).first().waitFor({ timeout: 15_000 });
    // The side panel shows the selected span's tags: the confirm's own UPDATE shows what a
    // PostgreSQL span carries (the statement, without its parameters).
    await tab.getByText(/pg\.query:update/i).first().click();
    await tab.getByText(/db\.(query\.text|statement)/i).first().waitFor({ timeout: 5_000 });
    await tab.screenshot({ path: OUT });
    console.log(`written ${OUT}`);
  } finally {
    await browser.close();
  }
});
