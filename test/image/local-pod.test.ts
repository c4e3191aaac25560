import { describe, expect, it } from "vitest";
import { PROCESSES, TOOLCHAIN, named, rendered, toolchainInstalled } from "../deploy/rendered-manifests.js";
import { requireService } from "../support/real-services.js";
import { deploymentOf, localPod, planPorts, type LocalPodOptions } from "./local-pod.js";

// The translation the end-to-end suite relies on to notice drift between the chart and the image:
// it must refuse what it cannot place rather than run a container with a cluster's address.

const ready = requireService(TOOLCHAIN, toolchainInstalled(), "bash scripts/k8s/install-tools.sh");

const OPTIONS: LocalPodOptions = {
  secrets: {
    "boxoffice-pg-app/uri": "postgres://u:p@127.0.0.1:5432/db",
    "boxoffice-redis/password": "",
    "boxoffice-auth/dev-secret": "0123456789abcdef0123456789abcdef",
    "boxoffice-paging/secret": "0123456789abcdef0123456789abcdef",
    "boxoffice-queue-admission/signing-jwk": JSON.stringify({ kty: "EC", crv: "P-256", kid: "k", x: "x", y: "y", d: "d" }),
  },
  endpoints: {
    "boxoffice-redis-locks-0.boxoffice-redis-locks:6379": "127.0.0.1:6379",
    "boxoffice-redis-locks-1.boxoffice-redis-locks:6379": "127.0.0.1:6380",
    "boxoffice-redis-locks-2.boxoffice-redis-locks:6379": "127.0.0.1:6381",
    "boxoffice-redis-cache:6379": "127.0.0.1:6379/3",
    "boxoffice-search-engine:9200": "127.0.0.1:9200",
    "boxoffice-queue-redis-0.boxoffice-queue-redis:6379": "127.0.0.1:6382",
  },
};

describe.skipIf(!ready)("a rendered Deployment as a podman container (test/image/local-pod.ts)", () => {
  const objects = () => rendered("helm ci/dev-values");

  it("moves each containerPort with the setting that carries it, and points the Services' addresses there", async () => {
    const workloads = PROCESSES.map((process) => deploymentOf(objects(), process));
    const { ports, endpoints } = await planPorts(objects(), workloads);
    const pods = workloads.map((workload) => localPod(objects(), workload, ports.get(workload)!, { ...OPTIONS, endpoints: { ...OPTIONS.endpoints, ...endpoints } }));
    const [catalog, booking, queue, edge] = ["catalog", "booking", "queue", "edge"].map((name) => pods.find((pod) => pod.name === name));
    expect(catalog!.env.CATALOG_PORT).toBe(String(catalog!.port("grpc")));
    expect(catalog!.port(50051)).not.toBe(50051);
    expect(catalog!.env.REDIS_LOCK_URLS).toBe("redis://:@127.0.0.1:6379,redis://:@127.0.0.1:6380,redis://:@127.0.0.1:6381");
    expect(edge!.env.CATALOG_SERVICE_ADDR).toBe(`127.0.0.1:${catalog!.port("grpc")}`);
    expect(edge!.env.PORT).toBe(String(edge!.port("http")));
    // the queue's two ports, each where its caller looks: the edge's gRPC calls, booking's JWKS
    expect(edge!.env.QUEUE_SERVICE_ADDR).toBe(`127.0.0.1:${queue!.port("grpc")}`);
    expect(booking!.env.QUEUE_JWKS_URL).toBe(`http://127.0.0.1:${queue!.port("admin")}/.well-known/jwks.json`);
    expect(queue!.env.QUEUE_REDIS_URL).toBe("redis://:@127.0.0.1:6382");
  });

  it("runs the container as the pod's securityContext and volumes say", async () => {
    const workload = deploymentOf(objects(), "booking");
    // booking reads the queue's keys, so the queue's Service needs a local address too
    const { ports, endpoints } = await planPorts(objects(), [workload, deploymentOf(objects(), "queue")]);
    expect(localPod(objects(), workload, ports.get(workload)!, { ...OPTIONS, endpoints: { ...OPTIONS.endpoints, ...endpoints } }).runOptions).toEqual([
      "--user", "65532:65532",
      "--read-only", "--read-only-tmpfs=false",
      "--cap-drop", "ALL",
      "--security-opt", "no-new-privileges",
      "--tmpfs", "/tmp:rw,mode=1777,size=64m",
    ]);
  });

  it("refuses an in-cluster address it has no local counterpart for", async () => {
    const workload = deploymentOf(objects(), "search");
    const { ports } = await planPorts(objects(), [workload]);
    const { "boxoffice-search-engine:9200": _, ...withoutSearchEngine } = OPTIONS.endpoints;
    expect(() => localPod(objects(), workload, ports.get(workload)!, { ...OPTIONS, endpoints: withoutSearchEngine })).toThrow(/SEARCH_URL names boxoffice-search-engine:9200/);
  });

  it("refuses a containerPort that no setting carries (the port would not move, or the process listens elsewhere)", async () => {
    const workload = structuredClone(deploymentOf(objects(), "indexer"));
    workload.spec.template.spec.containers[0].ports[0].containerPort = 9199;
    const { ports } = await planPorts(objects(), [workload]);
    expect(() => localPod(objects(), workload, ports.get(workload)!, OPTIONS)).toThrow(/no setting carries containerPort 9199/);
  });

  it("refuses a volume podman cannot stand in for", async () => {
    const job = structuredClone(named(objects(), "Job", "boxoffice-migrate"));
    job.spec.template.spec.volumes[0] = { name: job.spec.template.spec.volumes[0].name, persistentVolumeClaim: { claimName: "data" } };
    expect(() => localPod(objects(), job, new Map(), OPTIONS)).toThrow(/not an emptyDir/);
  });
});
