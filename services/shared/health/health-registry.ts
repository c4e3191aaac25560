import { EventEmitter, on } from "node:events";

export type ServingStatus = "SERVING" | "NOT_SERVING" | "SERVICE_UNKNOWN";

/**
 * The name liveness and startup probes ask for. It answers SERVING as long as the process
 * can answer at all: a liveness probe that followed the database would restart every replica
 * during a database outage, so dependencies only ever change "" and the service names.
 */
export const LIVENESS_SERVICE = "liveness";

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
    this.statuses.set(LIVENESS_SERVICE, "SERVING");
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

  /**
   * Sets every name but liveness at once: our services share their process's dependencies,
   * and neither a dependency nor a drain makes the process itself dead.
   */
  setAll(status: ServingStatus): void {
    for (const name of this.statuses.keys()) if (name !== LIVENESS_SERVICE) this.set(name, status);
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
