/**
 * Photographs one confirm's trace as Jaeger stored it: starts catalog, search, booking and the
 * edge against the real PostgreSQL and Redis (a database of its own), exporting to a running
 * Jaeger (npm run tracing:jaeger), drives search → reserve → confirm through the edge with a
 * browser's traceparent, reads the trace back from Jaeger's query API and saves a picture of it.
 * Where Jaeger serves its real web UI, its trace page is saved too (…-jaeger-ui.png). For a real
 * viewer's page of the same kind of trace: confirm-trace-zipkin-screenshot.ts.
 *
 *   npm run services:up && source scripts/services/env.sh
 *   npm run tracing:jaeger &                       # OTLP on 4318, API on 16686
 *   node --import tsx scripts/tracing/confirm-trace-screenshot.ts [docs/tracing/confirm-trace.png]
 *
 *   JAEGER_URL (http://127.0.0.1:16686), OTEL_EXPORTER_OTLP_ENDPOINT (http://127.0.0.1:4318)
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { launchChromium } from "../../test/e2e/web-app-fixture.js";
import { eventually } from "../../test/support/spawned-service.js";
import { traceWaterfallHtml, type JaegerTrace } from "./trace-waterfall.js";
import { withTracedConfirm } from "./traced-confirm.js";

const JAEGER = process.env.JAEGER_URL ?? "http://127.0.0.1:16686";
const OTLP = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "http://127.0.0.1:4318";
const OUT = resolve(process.argv[2] ?? "docs/tracing/confirm-trace.png");

await withTracedConfirm({ OTEL_EXPORTER_OTLP_ENDPOINT: OTLP }, async (traceId) => {
  // Spans arrive from two processes in batches: wait until the count stops growing.
  let seen = -1;
  const trace = await eventually(async () => {
    const answer = await fetch(`${JAEGER}/api/traces/${traceId}`);
    if (!answer.ok) throw new Error(`Jaeger answered ${answer.status} for the trace`);
    const [found] = ((await answer.json()) as { data: JaegerTrace[] }).data;
    const services = new Set(Object.values(found!.processes).map((process) => process.serviceName));
    const settled = found!.spans.length === seen;
    seen = found!.spans.length;
    if (!services.has("edge") || !services.has("booking") || !settled) throw new Error(`not all spans yet (${seen})`);
    return found!;
  }, 30_000, 1_000);
  console.log(`trace ${traceId}: ${trace.spans.length} spans in Jaeger (${JAEGER}/trace/${traceId})`);

  mkdirSync(dirname(OUT), { recursive: true });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 400 }, deviceScaleFactor: 1 });
    await page.setContent(traceWaterfallHtml(trace, "POST /booking/confirm — one confirm, edge → booking → PostgreSQL, Redis, payments"));
    await page.screenshot({ path: OUT, fullPage: true });
    console.log(`written ${OUT}`);
    const home = await (await fetch(JAEGER)).text();
    if (!/placeholder/i.test(home)) {
      await page.goto(`${JAEGER}/trace/${traceId}`, { waitUntil: "networkidle" });
      const uiShot = OUT.replace(/\.png$/, "-jaeger-ui.png");
      await page.screenshot({ path: uiShot, fullPage: true });
      console.log(`written ${uiShot}`);
    }
  } finally {
    await browser.close();
  }
});
