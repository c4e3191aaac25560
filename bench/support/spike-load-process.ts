/**
 * A load process of the spike (spike-load-client.ts), driven over its stdin and stdout: given its
 * buyers, ready once their tokens are minted; then given the event and its on-sale time; done
 * once every buyer has finished, with its figures read from its result file.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { REPO } from "./child-process.js";
import type { SpikeJob, SpikeStart } from "./spike-load-client.js";
import type { RecorderData } from "./spike-recorder.js";

export interface LoadProcess {
  pid: number;
  ready: Promise<void>;
  done: Promise<RecorderData>;
  send(job: SpikeJob): void;
  start(start: SpikeStart): void;
}

export function startLoadProcess(index: number, resultFile: string): LoadProcess {
  // BENCH_PROFILE=1: a CPU profile of each load process too.
  const profile = process.env.BENCH_PROFILE === "1" ? ["--cpu-prof", `--cpu-prof-dir=${REPO}/.services/profiles/load`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", "bench/support/spike-load-client.ts"], { cwd: REPO, stdio: ["pipe", "pipe", "inherit"] });
  const signals = { ready: () => {} };
  const ready = new Promise<void>((resolve) => (signals.ready = resolve));
  let finished = false;
  createInterface({ input: child.stdout! }).on("line", (line) => {
    if (line.startsWith('{"ready"')) signals.ready();
    if (line.startsWith('{"done"')) finished = true;
  });
  const done = new Promise<RecorderData>((resolve, reject) =>
    child.once("close", (code) => {
      if (code !== 0 || !finished) return reject(new Error(`load process ${index} exited (${code}) before it finished`));
      resolve(JSON.parse(readFileSync(resultFile, "utf8")) as RecorderData);
    }),
  );
  // A process that dies before it starts must not leave the bench waiting.
  void done.catch(() => undefined);
  child.once("close", () => signals.ready());
  return { pid: child.pid!, ready, done, send: (job) => child.stdin!.write(`${JSON.stringify(job)}\n`), start: (start) => child.stdin!.end(`${JSON.stringify(start)}\n`) };
}
