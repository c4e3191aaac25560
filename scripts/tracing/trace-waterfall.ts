/**
 * A trace as Jaeger's query API returns it (GET /api/traces/<id>), drawn as a waterfall page:
 * one row per span in call order, indented under its parent, its bar placed on the trace's
 * timeline and coloured by service. For a picture of a trace where the Jaeger binary carries
 * no web UI (scripts/tracing/jaeger.sh says why).
 */
export interface JaegerTrace {
  traceID: string;
  spans: Array<{
    spanID: string;
    operationName: string;
    references: Array<{ refType: string; spanID: string }>;
    startTime: number;
    duration: number;
    processID: string;
    tags: Array<{ key: string; value: unknown }>;
  }>;
  processes: Record<string, { serviceName: string }>;
}

const COLOURS = ["#3b82f6", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#14b8a6"];

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** The detail worth a glance beside a span's name: the statement, the Redis command, the status. */
function detail(tags: JaegerTrace["spans"][number]["tags"]): string {
  const tag = (key: string) => tags.find((t) => t.key === key)?.value;
  const statement = tag("db.query.text") ?? tag("db.statement");
  if (typeof statement === "string") return statement.replace(/\s+/g, " ").slice(0, 70);
  const status = tag("rpc.grpc.status_code") ?? tag("http.response.status_code") ?? tag("http.status_code");
  return status === undefined ? "" : `status ${String(status)}`;
}

export function traceWaterfallHtml(trace: JaegerTrace, title: string): string {
  const spans = [...trace.spans].sort((a, b) => a.startTime - b.startTime);
  const ids = new Set(spans.map((span) => span.spanID));
  const parentOf = (span: (typeof spans)[number]) => span.references.find((ref) => ref.refType === "CHILD_OF" && ids.has(ref.spanID))?.spanID;
  const start = Math.min(...spans.map((span) => span.startTime));
  const end = Math.max(...spans.map((span) => span.startTime + span.duration));
  const total = Math.max(1, end - start);
  const services = [...new Set(spans.map((span) => trace.processes[span.processID]!.serviceName))];
  const colour = (service: string) => COLOURS[services.indexOf(service) % COLOURS.length]!;

  const rows: string[] = [];
  const visit = (parent: string | undefined, depth: number) => {
    for (const span of spans.filter((candidate) => parentOf(candidate) === parent)) {
      const service = trace.processes[span.processID]!.serviceName;
      const left = ((span.startTime - start) / total) * 100;
      const width = Math.max(0.3, (span.duration / total) * 100);
      // The duration beside its bar: after it, or before it where the bar reaches the right edge.
      const label = left + width > 85 ? `right:calc(${100 - left}% + 4px)` : `left:calc(${left + width}% + 4px)`;
      rows.push(`<div class="row">
  <div class="name" style="padding-left:${depth * 14 + 6}px"><span class="svc" style="background:${colour(service)}">${escape(service)}</span>${escape(span.operationName)}<span class="detail">${escape(detail(span.tags))}</span></div>
  <div class="lane"><div class="bar" style="left:${left}%;width:${width}%;background:${colour(service)}"></div><span class="ms" style="${label}">${(span.duration / 1000).toFixed(2)} ms</span></div>
</div>`);
      visit(span.spanID, depth + 1);
    }
  };
  visit(undefined, 0);

  const ticks = [0, 0.25, 0.5, 0.75, 1].map((at) => `<span style="left:${at * 100}%">${((total * at) / 1000).toFixed(1)} ms</span>`).join("");
  return `<!doctype html><html><head><meta charset="utf-8"><style>
body{font:13px/1.35 system-ui,sans-serif;margin:0;color:#111;background:#fff}
header{padding:14px 18px;border-bottom:1px solid #ddd;background:#f7f7f8}
h1{font-size:17px;margin:0 0 4px}
.meta{color:#555}
.legend span{display:inline-block;margin-right:12px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.row,.axis{display:grid;grid-template-columns:560px 1fr;border-bottom:1px solid #eee}
.name{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding:4px 6px}
.svc{color:#fff;border-radius:3px;padding:0 5px;margin-right:6px;font-size:11px}
.detail{color:#777;margin-left:8px;font-family:ui-monospace,monospace;font-size:11px}
.lane{position:relative;border-left:1px solid #ddd;margin-right:70px}
.bar{position:absolute;top:6px;height:12px;border-radius:2px}
.ms{position:absolute;top:4px;font-size:11px;color:#444;white-space:nowrap}
.axis .lane{height:20px}.axis span{position:absolute;transform:translateX(-50%);font-size:11px;color:#666;top:3px;white-space:nowrap}
footer{padding:10px 18px;color:#666;font-size:12px}
</style></head><body>
<header><h1>${escape(title)}</h1>
<div class="meta">trace ${trace.traceID} · ${spans.length} spans · ${services.length} services · ${(total / 1000).toFixed(2)} ms</div>
<div class="legend">${services.map((s) => `<span><i style="background:${colour(s)}"></i>${escape(s)}</span>`).join("")}</div></header>
<div class="axis"><div class="name"></div><div class="lane">${ticks}</div></div>
${rows.join("\n")}
<footer>Drawn from Jaeger v1.75.0's query API (/api/traces/${trace.traceID}) by scripts/tracing/trace-waterfall.ts.</footer>
</body></html>`;
}
