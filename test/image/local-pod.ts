import { containerEnvironment, type SecretValues } from "../deploy/container-environment.js";
import { named, type K8sObject } from "../deploy/rendered-manifests.js";
import { freePort } from "../support/spawned-service.js";

// A rendered Deployment (or Job) turned into what `podman run --network host` needs to run its
// pod on this machine: the container's args, the environment the kubelet would give it, and its
// securityContext and volumes as podman flags. Everything comes from the render, so a chart that
// no longer fits the image fails here. What cannot be as in a cluster is changed in the open:
//   - ports: host networking shares this machine's ports with everyone, so each containerPort
//     moves to a free port, and so does every setting whose value is that port (CATALOG_PORT=50051
//     for containerPort 50051; a containerPort that no setting carries is an error);
//   - addresses: in-cluster names (`boxoffice-catalog:50051`, the lock masters, the search engine)
//     become the local ones; an in-cluster address left over is an error;
//   - Secrets: the values the caller gives;
//   - `isolate`: settings that name shared state (the search alias, the replication slot), given a
//     value of the run's own; only settings the render already has.

export interface Probe {
  grpc?: { port: number; service?: string };
  httpGet?: { path: string; port: number | string };
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  initialDelaySeconds?: number;
}

export interface LocalPod {
  /** The container's name in the manifest (catalog, edge, ...). */
  name: string;
  args: string[];
  env: Record<string, string>;
  /** podman run flags for the pod's securityContext and volumes. */
  runOptions: string[];
  /** The local port for a containerPort, by number or name. */
  port(containerPort: number | string): number;
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  terminationGracePeriodSeconds: number;
  preStopSleepSeconds: number;
}

/** An address the manifests name (`host:port`) and where it is on this machine. */
export type Endpoints = Record<string, string>;

type ContainerPort = { name?: string; containerPort: number };

export interface LocalPodOptions {
  secrets: SecretValues;
  /** Dependencies outside the workloads: the lock masters, the cache, the search engine. */
  endpoints: Endpoints;
  isolate?: Record<string, string>;
}

/** Free local ports for every workload's containerPorts, and the Services' addresses pointing at them. */
export async function planPorts(objects: K8sObject[], workloads: K8sObject[]): Promise<{ ports: Map<K8sObject, Map<number, number>>; endpoints: Endpoints }> {
  const ports = new Map<K8sObject, Map<number, number>>();
  const endpoints: Endpoints = {};
  for (const workload of workloads) {
    const plan = new Map<number, number>();
    for (const { containerPort } of containerOf(workload).ports ?? []) plan.set(containerPort, await freePort());
    ports.set(workload, plan);
    const service = objects.find((object) => object.kind === "Service" && object.metadata.name === workload.metadata.name);
    for (const { port, targetPort } of service?.spec.ports ?? []) {
      endpoints[`${service!.metadata.name}:${port}`] = `127.0.0.1:${plan.get(containerPortOf(workload, targetPort))}`;
    }
  }
  return { ports, endpoints };
}

export function localPod(objects: K8sObject[], workload: K8sObject, ports: Map<number, number>, options: LocalPodOptions): LocalPod {
  const pod = workload.spec.template.spec;
  const container = containerOf(workload);
  const env = containerEnvironment(objects, workload, options.secrets);
  const where = `${workload.kind} ${workload.metadata.name}`;

  for (const [containerPort, local] of ports) {
    const carriers = Object.keys(env).filter((name) => env[name] === String(containerPort));
    if (carriers.length === 0) throw new Error(`${where}: no setting carries containerPort ${containerPort}, so it cannot be moved`);
    for (const name of carriers) env[name] = String(local);
  }
  for (const name of Object.keys(env)) {
    for (const [address, local] of Object.entries(options.endpoints)) env[name] = env[name]!.split(address).join(local);
    const leftover = /boxoffice-[a-z0-9.-]+:\d+/.exec(env[name]!);
    if (leftover) throw new Error(`${where}: ${name} names ${leftover[0]}, which has no local counterpart`);
  }
  for (const [name, value] of Object.entries(options.isolate ?? {})) if (name in env) env[name] = value;

  return {
    name: container.name,
    args: container.args ?? [],
    env,
    runOptions: securityOptions(pod, container, where),
    port(containerPort) {
      const number = typeof containerPort === "number" ? containerPort : containerPortOf(workload, containerPort);
      const local = ports.get(number);
      if (local === undefined) throw new Error(`${where}: containerPort ${containerPort} is not declared`);
      return local;
    },
    startupProbe: container.startupProbe,
    readinessProbe: container.readinessProbe,
    livenessProbe: container.livenessProbe,
    terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds ?? 30,
    preStopSleepSeconds: container.lifecycle?.preStop?.sleep?.seconds ?? 0,
  };
}

const containerOf = (workload: K8sObject) => workload.spec.template.spec.containers[0];

function containerPortOf(workload: K8sObject, port: number | string): number {
  if (typeof port === "number") return port;
  const found = ((containerOf(workload).ports ?? []) as ContainerPort[]).find((candidate) => candidate.name === port);
  if (!found) throw new Error(`${workload.metadata.name} has no containerPort named ${port}`);
  return found.containerPort;
}

/** The pod's and container's securityContext and emptyDir volumes as podman run flags. */
function securityOptions(pod: any, container: any, where: string): string[] {
  const context = { ...pod.securityContext, ...container.securityContext };
  const options: string[] = [];
  if (context.runAsUser !== undefined) {
    if (context.runAsNonRoot && context.runAsUser === 0) throw new Error(`${where}: runAsNonRoot with runAsUser 0`);
    options.push("--user", `${context.runAsUser}:${context.runAsGroup ?? context.runAsUser}`);
  }
  // podman mounts tmpfs on /tmp, /run and /var/tmp of a read-only container unless told not to;
  // a pod gets only the volumes it declares
  if (context.readOnlyRootFilesystem) options.push("--read-only", "--read-only-tmpfs=false");
  for (const capability of context.capabilities?.drop ?? []) options.push("--cap-drop", capability);
  if (context.allowPrivilegeEscalation === false) options.push("--security-opt", "no-new-privileges");
  for (const mount of container.volumeMounts ?? []) {
    const volume = (pod.volumes ?? []).find((candidate: { name: string }) => candidate.name === mount.name);
    if (!volume?.emptyDir) throw new Error(`${where}: volume ${mount.name} is not an emptyDir; podman cannot stand in for it here`);
    const size = volume.emptyDir.sizeLimit ? `,size=${String(volume.emptyDir.sizeLimit).replace(/i$/, "").toLowerCase()}` : "";
    options.push("--tmpfs", `${mount.mountPath}:rw,mode=1777${size}`);
  }
  return options;
}

/** The workload the manifests run a process in. */
export const deploymentOf = (objects: K8sObject[], process: string) => named(objects, "Deployment", `boxoffice-${process}`);
