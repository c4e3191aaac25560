import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";

/**
 * One process of the chaos topology that the nemesis may kill -9 and start again with the same
 * command, ports and environment, as a supervisor (Kubernetes, systemd) would. Output goes to a
 * log file that survives restarts, so a failing run can be read afterwards.
 */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly options: { cwd: string; env: Record<string, string>; log: string; ready: () => Promise<void>; user?: { uid: number; gid: number } },
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    mkdirSync(dirname(this.options.log), { recursive: true });
    const fd = openSync(this.options.log, "a");
    const child = spawn(this.command, this.args, { cwd: this.options.cwd, env: this.options.env, stdio: ["ignore", fd, fd], ...(this.options.user ?? {}) });
    closeSync(fd);
    this.child = child;
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    await Promise.race([
      this.options.ready(),
      this.exited.then(() => {
        throw new Error(`${this.name} exited before it was ready (log: ${this.options.log})`);
      }),
    ]);
  }

  /**
   * SIGKILL by default: no shutdown hook runs, in-flight work is cut wherever it stands.
   * PostgreSQL's crash is SIGQUIT (immediate shutdown: no checkpoint, recovery on start), since
   * after a SIGKILLed postmaster its orphaned backends keep the new one from starting.
   */
  async crash(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }

  /** SIGTERM, then SIGKILL if it has not gone within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
