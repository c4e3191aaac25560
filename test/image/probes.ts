import { setTimeout as sleep } from "node:timers/promises";
import { grpcJs } from "../support/grpc-js-clients.js";
import type { LocalPod, Probe } from "./local-pod.js";

// A Kubernetes probe as the kubelet runs it: grpc (grpc.health.v1 Check, success only when
// SERVING) or httpGet (success on 200-399), each try bounded by timeoutSeconds, tried every
// periodSeconds after initialDelaySeconds, given up after failureThreshold failures in a row.

async function probeOnce(pod: LocalPod, probe: Probe): Promise<string | undefined> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1_000;
  if (probe.grpc) {
    const health = grpcJs.health(`127.0.0.1:${pod.port(probe.grpc.port)}`);
    try {
      const answer = await Promise.race([health.check({ service: probe.grpc.service ?? "" }), sleep(timeoutMs).then(() => ({ status: "timeout" }))]);
      return answer.status === "SERVING" ? undefined : `grpc ${probe.grpc.service ?? ""}: ${answer.status}`;
    } catch (error) {
      return `grpc: ${(error as Error).message}`;
    } finally {
      health.close();
    }
  }
  if (probe.httpGet) {
    try {
      const response = await fetch(`http://127.0.0.1:${pod.port(probe.httpGet.port)}${probe.httpGet.path}`, { signal: AbortSignal.timeout(timeoutMs) });
      await response.body?.cancel();
      return response.status >= 200 && response.status < 400 ? undefined : `GET ${probe.httpGet.path}: ${response.status}`;
    } catch (error) {
      return `GET ${probe.httpGet.path}: ${(error as Error).message}`;
    }
  }
  throw new Error(`${pod.name}: a probe kind this suite does not run: ${JSON.stringify(probe)}`);
}

/** Resolves when the probe succeeds; throws, with the last failure, when the kubelet would give up. */
export async function untilProbeSucceeds(pod: LocalPod, kind: "startupProbe" | "readinessProbe" | "livenessProbe"): Promise<void> {
  const probe = pod[kind];
  if (!probe) throw new Error(`${pod.name} has no ${kind}`);
  await sleep((probe.initialDelaySeconds ?? 0) * 1_000);
  const failureThreshold = probe.failureThreshold ?? 3;
  let failure: string | undefined;
  for (let attempt = 1; attempt <= failureThreshold; attempt++) {
    const started = Date.now();
    failure = await probeOnce(pod, probe);
    if (failure === undefined) return;
    if (attempt < failureThreshold) await sleep(Math.max(0, (probe.periodSeconds ?? 10) * 1_000 - (Date.now() - started)));
  }
  throw new Error(`${pod.name}: ${kind} failed ${failureThreshold} times; last: ${failure}`);
}
