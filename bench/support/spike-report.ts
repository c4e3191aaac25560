/**
 * The spike's figures as markdown tables (printed, and written to docs/ for the published run),
 * its plot (vega-lite, rendered to SVG as bench/performance-report.ts does), and the invariants
 * whose breach fails the bench.
 */
import * as vega from "vega";
import * as vegaLite from "vega-lite";
import type { ScenarioResult } from "./spike-scenario.js";
import type { SpikeOptions } from "./spike-options.js";
import { SPIKE_CALLS, type Outcome } from "./spike-recorder.js";

const LABEL = { queue: "with the waiting room", direct: "without (every buyer reserves at once)" } as const;
const OUTCOMES: Outcome[] = ["bought", "declined", "abandoned", "sold_out", "gave_up", "confirm_failed", "refused", "timed_out"];

const int = (n: number) => Math.round(n).toLocaleString("en");
const ms = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(1) : int(n)) : "–");
const seconds = (n: number | null) => (n === null ? "–" : `${n.toFixed(1)} s`);
const pct = (share: number) => `${(share * 100).toFixed(share > 0 && share < 0.001 ? 3 : share < 0.1 ? 2 : 1)}%`;

/** What must hold, whatever the load: each breach is a line, and the bench exits non-zero. */
export function violations(result: ScenarioResult): string[] {
  const out: string[] = [];
  const { sale } = result;
  const name = result.scenario;
  if (sale.oversold > 0) out.push(`${name}: ${sale.oversold} seats oversold`);
  if (sale.chargesWithoutTicket > 0) out.push(`${name}: ${sale.chargesWithoutTicket} charges without a ticket`);
  if (sale.openAuthorizations > 0) out.push(`${name}: ${sale.openAuthorizations} authorizations still held at the provider after settling`);
  if (sale.ticketsWithoutCapture > 0) out.push(`${name}: ${sale.ticketsWithoutCapture} tickets booked without a capture`);
  if (sale.acknowledgedLost > 0) out.push(`${name}: ${sale.acknowledgedLost} purchases acknowledged to buyers are not in the database as told`);
  // Fewer told than sold is a confirm that succeeded after its buyer stopped waiting (found later in
  // My bookings); more told than sold would be a lie.
  if (sale.acknowledgedSeats > sale.sold) out.push(`${name}: buyers were told of ${sale.acknowledgedSeats} seats, the database has ${sale.sold} sold`);
  // The waiting room keeps its demand until the last seat is sold; without it, buyers who gave up are gone.
  if (name === "queue" && result.demandSeats > sale.capacity && sale.sold !== sale.capacity) out.push(`${name}: ${sale.sold} of ${sale.capacity} seats sold though buyers wanted ${result.demandSeats}`);
  if ((result.outcomes.timed_out ?? 0) > 0) out.push(`${name}: ${result.outcomes.timed_out} buyers still waiting at the time limit`);
  return out;
}

function row(cells: Array<string | number>): string {
  return `| ${cells.join(" | ")} |`;
}

export function spikeTables(results: readonly ScenarioResult[], options: SpikeOptions): string {
  const head = (first: string) => [row([first, ...results.map((r) => LABEL[r.scenario])]), row(["---", ...results.map(() => "---:")])];
  const each = (label: string, value: (r: ScenarioResult) => string) => row([label, ...results.map(value)]);
  const sale = [
    ...head("the sale"),
    each("buyers (seats wanted by those who would pay)", (r) => `${int(r.buyers)} (${int(r.demandSeats)})`),
    each("**tickets sold** / capacity", (r) => `**${int(r.sale.sold)}** / ${int(r.sale.capacity)}`),
    each("**oversold** (two owners, or told to two buyers)", (r) => `**${r.sale.oversold}**`),
    each("**charges without a ticket** (+ authorizations left open)", (r) => `**${r.sale.chargesWithoutTicket}** (+${r.sale.openAuthorizations})`),
    each("**tickets booked without a capture**", (r) => `**${r.sale.ticketsWithoutCapture}**`),
    each("purchases acknowledged, not in the database as told", (r) => String(r.sale.acknowledgedLost)),
    each("seats sold whose buyer's confirm timed out (in My bookings)", (r) => int(r.sale.sold - r.sale.acknowledgedSeats)),
    each("first sale after the on-sale", (r) => seconds(r.firstSaleS)),
    each("**time to sell out** (last seat sold)", (r) => (r.soldOutS === null ? "not sold out" : `**${seconds(r.soldOutS)}**`)),
    each("last buyer done", (r) => seconds(r.lastBuyerS)),
    each("admitted by the queue (first – last)", (r) => (r.admissions ? `${int(r.admissions.count)} (${seconds(r.admissions.firstS)} – ${seconds(r.admissions.lastS)})` : "–")),
    ...OUTCOMES.map((outcome) => each(`buyers: ${outcome.replace("_", " ")}`, (r) => int(r.outcomes[outcome] ?? 0))),
    each("payments settled after the run in", (r) => `${(r.settleMs / 1000).toFixed(1)} s`),
  ];

  const calls = [
    row(["call", ...results.flatMap((r) => [`${r.scenario}: calls`, "p50 ms", "p99 ms", "not OK"])]),
    row(["---", ...results.flatMap(() => ["---:", "---:", "---:", "---:"])]),
    ...SPIKE_CALLS.filter((call) => results.some((r) => r.calls[call].count > 0)).map((call) =>
      row([call, ...results.flatMap((r) => { const c = r.calls[call]; return c.count === 0 ? ["–", "–", "–", "–"] : [int(c.count), ms(c.p50), ms(c.p99), pct(c.errorShare)]; })]),
    ),
  ];
  const codes = [
    row(["call", ...results.map((r) => `outcomes by code, ${r.scenario}`)]),
    row(["---", ...results.map(() => "---")]),
    ...SPIKE_CALLS.filter((call) => results.some((r) => r.calls[call].count > 0)).map((call) =>
      row([call, ...results.map((r) => Object.entries(r.calls[call].codes).sort(([, a], [, b]) => b - a).map(([code, n]) => `${code} ${int(n)}`).join(", ") || "–")]),
    ),
  ];

  const queue = results.find((r) => r.fairness);
  const fairness = queue?.fairness
    ? [
        row(["joined", "buyers", "decided pairs", "inversions", "share", "largest overtake", "rank correlation (join, queue order)"]),
        row(["---", "---:", "---:", "---:", "---:", "---:", "---:"]),
        ...(["afterOnSale", "beforeOnSale"] as const).map((group) => {
          const f = queue.fairness![group];
          return row([group === "afterOnSale" ? "after the on-sale (first come, first served)" : "before the on-sale (drawn at random)", int(f.buyers), int(f.decidedPairs), int(f.inversions), pct(f.share), `${ms(f.largestOvertakeMs)} ms`, Number.isNaN(f.correlation) ? "–" : f.correlation.toFixed(3)]);
        }),
      ]
    : [];

  const names = [...new Set(results.flatMap((r) => Object.keys(r.cpuSeconds)))];
  const cpu = [
    row(["process", ...results.map((r) => `CPU s, ${r.scenario}`)]),
    row(["---", ...results.map(() => "---:")]),
    ...names.map((name) => row([name, ...results.map((r) => (r.cpuSeconds[name] === undefined ? "–" : r.cpuSeconds[name]!.toFixed(1)))])),
    row(["wall time, first arrival to last buyer", ...results.map((r) => `${(r.lastBuyerS - r.firstArrivalS).toFixed(1)} s`)]),
    row(["load average before / after", ...results.map((r) => `${r.loadAverageBefore} / ${r.loadAverageAfter}`)]),
  ];
  return [sale.join("\n"), calls.join("\n"), codes.join("\n"), fairness.join("\n"), cpu.join("\n")].filter(Boolean).join("\n\n");
}

/** Queue depth above, admitted/s and sold/s below, seconds since the on-sale across. */
export async function spikePlot(results: readonly ScenarioResult[], title: string): Promise<string> {
  const depth: Array<{ second: number; waiting: number }> = [];
  const rates: Array<{ second: number; series: string; perSecond: number }> = [];
  for (const r of results) {
    r.series.sold.forEach((n, i) => rates.push({ second: r.series.fromS + i, series: `sold/s ${r.scenario === "queue" ? "(waiting room)" : "(no waiting room)"}`, perSecond: n }));
    if (r.scenario !== "queue") continue;
    r.series.admitted.forEach((n, i) => rates.push({ second: r.series.fromS + i, series: "admitted/s (waiting room)", perSecond: n }));
    r.series.depth.forEach((n, i) => n !== null && depth.push({ second: r.series.fromS + i, waiting: n }));
  }
  const x = { field: "second", type: "quantitative", title: "seconds since the on-sale", scale: { nice: false } } as const;
  // Sold out: where the waiting room's last seat sold (its line stays, each place told "sold out").
  const soldOut = results.filter((r) => r.scenario === "queue" && r.soldOutS !== null).map((r) => ({ second: r.soldOutS!, label: `sold out at ${r.soldOutS!.toFixed(0)} s` }));
  const rule = soldOut.length
    ? [
        { data: { values: soldOut }, mark: { type: "rule", strokeDash: [4, 4], color: "gray" }, encoding: { x: { field: "second", type: "quantitative" } } },
        { data: { values: soldOut }, mark: { type: "text", align: "left", dx: 4, dy: -6, color: "gray" }, encoding: { x: { field: "second", type: "quantitative" }, y: { value: 0 }, text: { field: "label" } } },
      ]
    : [];
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title,
    resolve: { scale: { x: "shared" } },
    vconcat: [
      {
        width: 640,
        height: 160,
        layer: [
          {
            data: { values: depth },
            mark: { type: "area", line: true, opacity: 0.4 },
            encoding: { x, y: { field: "waiting", type: "quantitative", title: "queue depth (in line)" } },
          },
          ...rule,
        ],
      },
      {
        width: 640,
        height: 220,
        layer: [
          {
            data: { values: rates },
            mark: { type: "line", interpolate: "step-after" },
            encoding: {
              x,
              y: { field: "perSecond", type: "quantitative", title: "per second" },
              color: { field: "series", type: "nominal", title: null, legend: { orient: "top", labelLimit: 400 } },
            },
          },
          ...rule,
        ],
      },
    ],
  } as vegaLite.TopLevelSpec;
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none" });
  return view.toSVG();
}
