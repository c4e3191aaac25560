/**
 * What held the event loop: reads a V8 .cpuprofile (node --cpu-prof) and finds the stretches the
 * main thread ran without a break (no idle sample) for longer than a threshold, the time a
 * health probe arriving then would wait. For the stretches together it prints the share of their
 * CPU by package, by function (self time) and by function anywhere on the stack (inclusive: who
 * called the costly work), and the longest stretches one by one with their own top functions.
 *
 *   node --import tsx bench/support/profile-stalls.ts FILE.cpuprofile [THRESHOLD_MS=50] [TOP=20] [FROM_S:TO_S]
 *
 * FROM_S:TO_S keeps the samples of that window of the profile (seconds from its start), e.g. to
 * leave out the process's start-up (module loading) or look at one step of a bench.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, thresholdArg, topArg, windowArg] = process.argv.slice(2);
const [fromS, toS] = (windowArg ?? "0:Infinity").split(":").map(Number) as [number, number];
const profile = JSON.parse(readFileSync(file!, "utf8")) as Profile;
const thresholdUs = Number(thresholdArg ?? 50) * 1000;
const top = Number(topArg ?? 20);
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

function owner(url: string): string {
  if (!url) return "(native / V8)";
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith("node:")) return url;
  const ours = /\/(services|gen|bench)\/(.*?)\/[^/]*$/.exec(url);
  return ours ? `${ours[1]}/${ours[2]}` : url;
}
const nameOf = (node: ProfileNode) => `${node.callFrame.functionName || "(anonymous)"} ${owner(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
const isIdle = (node: ProfileNode) => node.callFrame.functionName === "(idle)";

/** Stretches of consecutive busy samples: [first sample index, end index, microseconds]. */
const stretches: Array<{ from: number; to: number; us: number; startUs: number }> = [];
let at = profile.startTime;
let open: { from: number; us: number; startUs: number } | undefined;
let windowBusy = 0;
let windowTotal = 0;
profile.samples.forEach((id, index) => {
  const delta = profile.timeDeltas[index] ?? 0;
  at += delta;
  const node = byId.get(id)!;
  const inWindow = at - profile.startTime >= fromS * 1e6 && at - profile.startTime <= toS * 1e6;
  if (inWindow) {
    windowBusy += isIdle(node) ? 0 : delta;
    windowTotal += delta;
  }
  if (isIdle(node) || !inWindow) {
    if (open && open.us >= thresholdUs) stretches.push({ ...open, to: index });
    open = undefined;
    return;
  }
  // A sample's delta is the time since the previous one: the thread was busy in between.
  if (!open) open = { from: index, us: 0, startUs: at - profile.startTime };
  open.us += delta;
});
if (open && open.us >= thresholdUs) stretches.push({ ...open, to: profile.samples.length });

function tally(ranges: typeof stretches) {
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const packages = new Map<string, number>();
  let total = 0;
  for (const { from, to } of ranges) {
    for (let index = from; index < to; index++) {
      const us = profile.timeDeltas[index] ?? 0;
      const node = byId.get(profile.samples[index]!)!;
      total += us;
      self.set(nameOf(node), (self.get(nameOf(node)) ?? 0) + us);
      packages.set(owner(node.callFrame.url), (packages.get(owner(node.callFrame.url)) ?? 0) + us);
      const seen = new Set<string>();
      for (let walk: number | undefined = node.id; walk !== undefined; walk = parent.get(walk)) {
        const name = nameOf(byId.get(walk)!);
        if (seen.has(name)) continue;
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + us);
      }
    }
  }
  return { self, inclusive, packages, total };
}

const print = (title: string, entries: Map<string, number>, total: number, count = top) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, count)) {
    console.log(`${((us / total) * 100).toFixed(1).padStart(6)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  }
};

const busyUs = windowBusy;
// V8 samples the thread about every millisecond; a gap of tens of milliseconds between two
// samples is time the process did not run at all (other processes had the cores), whatever
// sample it is charged to.
const GAP_US = 20_000;
let gaps = 0;
let gapUs = 0;
let maxGapUs = 0;
{
  let t = profile.startTime;
  profile.timeDeltas.forEach((delta) => {
    t += delta;
    if (t - profile.startTime < fromS * 1e6 || t - profile.startTime > toS * 1e6 || delta < GAP_US) return;
    gaps += 1;
    gapUs += delta;
    maxGapUs = Math.max(maxGapUs, delta);
  });
}
const all = tally(stretches);
const lengths = stretches.map((s) => s.us / 1000).sort((a, b) => b - a);
console.log(
  `${file}${windowArg ? ` (${fromS}–${toS} s)` : ""}: ${(busyUs / 1000).toFixed(0)} ms busy of ${(windowTotal / 1000).toFixed(0)} ms (${((busyUs / windowTotal) * 100).toFixed(0)}%); ${stretches.length} stretches of ${thresholdUs / 1000} ms or more without a break, ` +
    `${(all.total / 1000).toFixed(0)} ms in all (${((all.total / busyUs) * 100).toFixed(0)}% of the busy time); longest ${lengths.slice(0, 8).map((ms) => ms.toFixed(0)).join(", ")} ms`,
);
console.log(
  `gaps of ${GAP_US / 1000} ms or more between two samples (the process not running: the machine's other work): ${gaps}, ${(gapUs / 1000).toFixed(0)} ms in all, longest ${(maxGapUs / 1000).toFixed(0)} ms`,
);
if (stretches.length === 0) process.exit(0);
print("in those stretches, by package (self)", all.packages, all.total);
print("in those stretches, by function (self)", all.self, all.total);
// Frames every sample has (the microtask runner, the root) are not news: skip the ones at 100%.
const inclusive = new Map([...all.inclusive].filter(([, us]) => us < all.total * 0.98));
print("in those stretches, by function anywhere on the stack (inclusive)", inclusive, all.total, top * 2);
for (const stretch of [...stretches].sort((a, b) => b.us - a.us).slice(0, 5)) {
  const one = tally([stretch]);
  console.log(`\n--- stretch of ${(stretch.us / 1000).toFixed(0)} ms at ${(stretch.startUs / 1e6).toFixed(1)} s`);
  print("self", one.self, one.total, 8);
  print("inclusive", new Map([...one.inclusive].filter(([, us]) => us < one.total * 0.98)), one.total, 12);
}
