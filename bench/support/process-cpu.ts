import { readFileSync } from "node:fs";

// Linux's USER_HZ: /proc times are in 1/100 s on every architecture Node supports.
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in milliseconds, read from /proc. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces) start at state, field 3.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

/** Measures a process's CPU time across an async piece of work. */
export async function cpuDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const before = processCpuMs(pid);
  const result = await work();
  return { result, cpuMs: processCpuMs(pid) - before };
}
