import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** Where scripts/fuzz/install-tools.sh puts Schemathesis (the same default). */
export const fuzzToolsDir = () => process.env.BOXOFFICE_FUZZ_TOOLS ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "boxoffice", "fuzz-tools");
export const schemathesisBinary = () => join(fuzzToolsDir(), "venv", "bin", "schemathesis");
export const schemathesisInstalled = () => existsSync(schemathesisBinary());

/**
 * What a run holds the API to: no 5xx, every answer as its operation's schema says, and no
 * status the operation does not list.
 */
export const CHECKS = ["not_a_server_error", "response_schema_conformance", "status_code_conformance"];

export interface FuzzRun {
  /** The OpenAPI document to fuzz from (a file or URL). */
  document: string;
  baseUrl: string;
  token: string;
  /** Test cases per operation and phase. */
  maxExamples: number;
  /** Schemathesis's own seed, for a run that can be repeated. */
  seed?: number;
  workers?: number;
  /** Hypothesis's store of failing examples, replayed first next time: a file, or "none". */
  database?: string;
  /** Go on testing an operation after its first failure (finds more, takes longer). */
  continueOnFailure?: boolean;
  /** Schemathesis's working folder: its JUnit report, and the crash files `schemathesis replay` reads there. */
  workDir: string;
  /** Each line of Schemathesis's output, as it comes. */
  onLine?: (line: string) => void;
}

export interface FuzzOutcome {
  exitCode: number;
  output: string;
  /** Schemathesis's reproduction commands (curl) of its failures. */
  reproductions: string[];
}

/**
 * Runs `schemathesis run` against the edge: every operation the document describes,
 * with a bounded number of generated requests each (the stateful phase needs links the
 * document does not have).
 */
export function runSchemathesis(run: FuzzRun): Promise<FuzzOutcome> {
  const args = [
    "--no-color",
    "run",
    run.document,
    "--url",
    run.baseUrl,
    "--checks",
    CHECKS.join(","),
    "--max-examples",
    String(run.maxExamples),
    "--phases",
    "examples,coverage,fuzzing",
    "--header",
    `Authorization: Bearer ${run.token}`,
    "--workers",
    String(run.workers ?? 2),
    "--request-timeout",
    "20",
    // The reproduction lines in full: the token is a dev token of a platform that is gone by then.
    "--output-sanitize",
    "false",
    "--generation-database",
    run.database ?? "none",
    ...(run.seed === undefined ? [] : ["--seed", String(run.seed)]),
    ...(run.continueOnFailure ? ["--continue-on-failure"] : []),
    "--report",
    "junit",
    "--report-dir",
    run.workDir,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(schemathesisBinary(), args, { cwd: run.workDir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let output = "";
    let pending = "";
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) run.onLine?.(line);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", reject);
    child.on("close", (code) => {
      if (pending) run.onLine?.(pending);
      resolve({ exitCode: code ?? 1, output, reproductions: reproductionsIn(output) });
    });
  });
}

/**
 * The failures of a run in a few lines each: the operation, what broke, the status, and how to
 * send that request again.
 */
export function failureSummary(output: string): string {
  const start = output.indexOf("= FAILURES =");
  const failures = start < 0 ? output : output.slice(start);
  return failures
    .split("\n")
    .filter((line) => /^_{3,} .+ _{3,}$|^- ST\d+|^\[\d{3}\]|^\s+curl |Runtime Error|^=+ .* =+$/.test(line))
    .map((line) => line.trim())
    .join("\n");
}

/** The curl commands Schemathesis prints under "Reproduce with:", continuation lines joined. */
export function reproductionsIn(output: string): string[] {
  const commands: string[] = [];
  const lines = output.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!/Reproduce with/i.test(lines[i]!)) continue;
    let command = "";
    for (let j = i + 1; j < lines.length && lines[j]!.trim() !== ""; j++) command += `${lines[j]!.trim().replace(/\\$/, "")} `;
    if (command.trim()) commands.push(command.trim());
  }
  return commands;
}
