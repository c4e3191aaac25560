import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { goToolBinary } from "./go-tools.js";
import { REPO } from "./child-process.js";

const run = promisify(execFile);

/** Where scripts/bench/install-tools.sh builds ghz (go install), or ghz on PATH. */
export const ghzBinary = () => goToolBinary("ghz");

export interface GhzRun {
  /** package.Service/Method */
  call: string;
  address: string;
  /** A .proto and its import paths (relative to the repo), or a protoset (what `buf build` makes). */
  proto?: string;
  importPaths?: string[];
  protoset?: string;
  /** A JSON file: one request, or an array ghz sends round robin. */
  dataFile: string;
  metadata?: Record<string, string>;
  concurrency: number;
  durationSeconds: number;
  connections?: number;
}

export interface LoadFigures {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** The mean, where no percentiles exist (ghz has none for a run of refusals). */
  meanMs?: number;
  /** grpc status name → count */
  statuses: Record<string, number>;
}

/** One ghz run (a separate Go process driving real gRPC), its figures in ms. */
/**
 * Our contracts as a protoset: ghz's own .proto parser predates editions (common/v1/rules.proto
 * is edition 2023), so it reads what buf compiled.
 */
export async function buildProtoset(file: string): Promise<string> {
  // buf/validate/validate.proto comes from Maven (scripts/proto/deps.sh), absent from a fresh clone.
  await run("bash", ["scripts/proto/deps.sh"], { cwd: REPO });
  await run("npx", ["buf", "build", "--as-file-descriptor-set", "-o", file], { cwd: REPO });
  return file;
}

export async function runGhz(options: GhzRun): Promise<LoadFigures> {
  const binary = ghzBinary();
  if (!binary) throw new Error("ghz is not installed: bash scripts/bench/install-tools.sh");
  const args = [
    "--insecure",
    "--format=json",
    ...(options.protoset ? [`--protoset=${options.protoset}`] : [`--proto=${options.proto}`, `--import-paths=${(options.importPaths ?? []).join(",")}`]),
    `--call=${options.call}`,
    `--data-file=${options.dataFile}`,
    `--concurrency=${options.concurrency}`,
    `--connections=${options.connections ?? 1}`,
    `--duration=${options.durationSeconds}s`,
    // ghz's own default caps a run at 200 requests; the duration decides here.
    "--total=0",
    "--timeout=20s",
  ];
  if (options.metadata) args.push(`--metadata=${JSON.stringify(options.metadata)}`);
  args.push(options.address);
  const { stdout } = await run(binary, args, { maxBuffer: 64 * 1024 * 1024 });
  const report = JSON.parse(stdout) as {
    count: number;
    rps: number;
    average: number;
    latencyDistribution: Array<{ percentage: number; latency: number }> | null;
    statusCodeDistribution: Record<string, number>;
  };
  // ghz gives percentiles of successful calls only; a run of refusals has none, only their mean.
  const at = (percentage: number) => report.latencyDistribution?.find((entry) => entry.percentage === percentage)?.latency;
  const ms = (ns: number | undefined) => (ns === undefined ? Number.NaN : ns / 1e6);
  return {
    count: report.count,
    perSecond: report.rps,
    p50: ms(at(50)),
    p99: ms(at(99)),
    ...(at(50) === undefined ? { meanMs: ms(report.average) } : {}),
    statuses: report.statusCodeDistribution ?? {},
  };
}
