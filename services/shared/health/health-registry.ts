import { EventEmitter, on } from "node:events";

export type ServingStatus = "SERVING" | "NOT_SERVING" | "SERVICE_UNKNOWN";

/**
 * Serving status per gRPC service name ("" is the whole process), as grpc.health.v1 reports
 * it. Kept apart from the RPC layer so dependency monitors and shutdown can flip it.
 */
export class HealthRegistry {
  private readonly statuses = new Map<string, ServingStatus>();
  private readonly changes = new EventEmitter();

  constructor(serviceNames: readonly string[], initial: ServingStatus = "NOT_SERVING") {
    this.changes.setMaxListeners(0);
    for (const name of ["", ...serviceNames]) this.statuses.set(name, initial);
  }

  status(service: string): ServingStatus {
    return this.statuses.get(service) ?? "SERVICE_UNKNOWN";
  }

  knows(service: string): boolean {
    return this.statuses.has(service);
  }

  names(): string[] {
    return [...this.statuses.keys()];
  }

  /** Sets every registered name at once: our services share their process's dependencies. */
  setAll(status: ServingStatus): void {
    for (const name of this.statuses.keys()) this.set(name, status);
  }

  set(service: string, status: ServingStatus): void {
    if (this.statuses.get(service) === status) return;
    this.statuses.set(service, status);
    this.changes.emit("change", service, status);
  }

  /** The current status, then each change, until the signal aborts. */
  async *watch(service: string, signal: AbortSignal): AsyncGenerator<ServingStatus> {
    yield this.status(service);
    try {
      for await (const [name, status] of on(this.changes, "change", { signal })) {
        if (name === service) yield status as ServingStatus;
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }
}
