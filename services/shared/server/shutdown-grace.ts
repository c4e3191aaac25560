/**
 * How long a stopping process lets calls in flight finish before it cuts them, the same for the
 * internal services and the edge. Kubernetes kills the pod terminationGracePeriodSeconds (30 s
 * in deploy/) after SIGTERM, the preStop pause takes 5 s of it: 10 s leaves time to close the
 * pools and exit cleanly.
 */
export const SHUTDOWN_GRACE_MS = 10_000;
