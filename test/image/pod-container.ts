import { setTimeout as sleep } from "node:timers/promises";
import type { LocalPod } from "./local-pod.js";
import { IMAGE, containerLogs, containerState, podman } from "./podman.js";

/** A LocalPod's container, started from the image with host networking. */
export interface PodContainer {
  pod: LocalPod;
  /** podman's name for it. */
  name: string;
  logs(): Promise<string>;
  /** Resolves with the exit code once the container has stopped, whatever stopped it. */
  exited: Promise<number>;
  /**
   * What the kubelet does to end the pod: the preStop sleep, then SIGTERM, then SIGKILL when the
   * grace period (counted from the start) runs out. Resolves with the exit code and how long the
   * process took after SIGTERM.
   */
  terminate(): Promise<{ exitCode: number; drainSeconds: number; graceSeconds: number }>;
  remove(): Promise<void>;
}

export async function startPodContainer(pod: LocalPod, prefix: string): Promise<PodContainer> {
  const name = `${prefix}-${pod.name}`;
  const env = Object.entries(pod.env).flatMap(([key, value]) => ["--env", `${key}=${value}`]);
  await podman("run", "--detach", "--name", name, "--network", "host", ...pod.runOptions, ...env, IMAGE, ...pod.args);
  const exited = podman("wait", name).then((status) => Number(status.trim()));
  exited.catch(() => undefined); // removed before it stopped: nobody waits for that
  return {
    pod,
    name,
    exited,
    logs: () => containerLogs(name),
    async terminate() {
      await sleep(pod.preStopSleepSeconds * 1_000);
      const graceSeconds = pod.terminationGracePeriodSeconds - pod.preStopSleepSeconds;
      const started = Date.now();
      await podman("stop", "--time", String(graceSeconds), name);
      const drainSeconds = (Date.now() - started) / 1_000;
      const { exitCode } = await containerState(name);
      return { exitCode, drainSeconds, graceSeconds };
    },
    async remove() {
      await podman("rm", "--force", "--ignore", name);
    },
  };
}

/** Runs a Job's pod to completion (restartPolicy aside) and returns its exit code and logs. */
export async function runToCompletion(pod: LocalPod, prefix: string): Promise<{ exitCode: number; logs: string }> {
  const container = await startPodContainer(pod, prefix);
  try {
    const exitCode = await container.exited;
    return { exitCode, logs: await container.logs() };
  } finally {
    await container.remove();
  }
}
