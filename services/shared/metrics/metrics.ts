import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** One Prometheus registry per process, with the RPC metrics every service records. */
export interface ProcessMetrics {
  registry: Registry;
  rpcDuration: Histogram<"service" | "method" | "code">;
  rpcInFlight: Counter<"service" | "method">;
}

export function createMetrics(processName: string): ProcessMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ process: processName });
  collectDefaultMetrics({ register: registry, prefix: "boxoffice_process_" });
  return {
    registry,
    rpcDuration: new Histogram({
      name: "boxoffice_rpc_duration_seconds",
      help: "Duration of handled RPCs by service, method and final code.",
      labelNames: ["service", "method", "code"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    rpcInFlight: new Counter({
      name: "boxoffice_rpc_started_total",
      help: "RPCs started by service and method.",
      labelNames: ["service", "method"],
      registers: [registry],
    }),
  };
}
