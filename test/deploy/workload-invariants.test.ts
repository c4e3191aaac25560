import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LIVENESS_SERVICE } from "../../services/shared/health/health-registry.js";
import { requireService } from "../support/real-services.js";
import {
  AUTOSCALED,
  PROCESSES,
  RENDER_NAMES,
  REPO,
  TOOLCHAIN,
  componentOf,
  helmTemplate,
  named,
  ofKind,
  parseManifests,
  rendered,
  selects,
  toolchainInstalled,
  workloads,
  type K8sObject,
} from "./rendered-manifests.js";

const ready = requireService(TOOLCHAIN, toolchainInstalled());

interface Probe {
  grpc?: { port: number; service?: string };
  httpGet?: { path: string; port: string | number };
}

interface Container {
  name: string;
  image: string;
  args?: string[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[] } };
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  ports?: Array<{ name: string; containerPort: number }>;
}

const podSpec = (workload: K8sObject) => workload.spec.template.spec;
const containersOf = (workload: K8sObject): Container[] => podSpec(workload).containers;
const longRunning = (objects: K8sObject[]) => objects.filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet");
const deployment = (objects: K8sObject[], component: string) => named(objects, "Deployment", `boxoffice-${component}`);
const production = (render: string) => render === "kustomize prod" || render === "helm defaults";

describe.skipIf(!ready)("workloads", () => {
  for (const render of RENDER_NAMES) {
    describe(render, () => {
      const objects = () => rendered(render);

      it("every Deployment and StatefulSet has startup, liveness and readiness probes and bounded resources", () => {
        for (const workload of longRunning(objects())) {
          for (const container of containersOf(workload)) {
            const where = `${workload.kind} ${workload.metadata.name}/${container.name}`;
            expect(container.startupProbe, where).toBeDefined();
            expect(container.livenessProbe, where).toBeDefined();
            expect(container.readinessProbe, where).toBeDefined();
            for (const bound of ["requests", "limits"] as const) {
              expect(container.resources?.[bound]?.cpu, `${where} ${bound}.cpu`).toBeTruthy();
              expect(container.resources?.[bound]?.memory, `${where} ${bound}.memory`).toBeTruthy();
            }
            // memory is not overcommitted: a pod is never OOM-killed for using what it asked for
            expect(container.resources?.limits?.memory, where).toBe(container.resources?.requests?.memory);
          }
        }
      });

      it("every pod runs as non-root with a read-only root filesystem, no capabilities and no token", () => {
        for (const workload of workloads(objects())) {
          const pod = podSpec(workload);
          const where = `${workload.kind} ${workload.metadata.name}`;
          expect(pod.securityContext?.runAsNonRoot, where).toBe(true);
          expect(pod.securityContext?.runAsUser, where).toBeGreaterThan(0);
          expect(pod.securityContext?.seccompProfile?.type, where).toBe("RuntimeDefault");
          expect(pod.automountServiceAccountToken, where).toBe(false);
          expect(pod.hostNetwork ?? false, where).toBe(false);
          for (const container of containersOf(workload)) {
            expect(container.securityContext?.readOnlyRootFilesystem, where).toBe(true);
            expect(container.securityContext?.allowPrivilegeEscalation, where).toBe(false);
            expect(container.securityContext?.privileged ?? false, where).toBe(false);
            expect(container.securityContext?.capabilities?.drop, where).toEqual(["ALL"]);
            expect(container.securityContext?.capabilities, where).not.toHaveProperty("add");
          }
        }
      });

      it("every Deployment and StatefulSet is covered by exactly one PodDisruptionBudget that allows a drain", () => {
        const budgets = ofKind(objects(), "PodDisruptionBudget");
        for (const workload of longRunning(objects())) {
          const labels = workload.spec.template.metadata.labels;
          const covering = budgets.filter((budget) => selects(budget.spec.selector, labels));
          expect(covering.map((b) => b.metadata.name), workload.metadata.name).toHaveLength(1);
          // never minAvailable = replicas: one pod at a time may always go
          expect(covering[0]!.spec.maxUnavailable, workload.metadata.name).toBe(1);
        }
      });

      it("edge, search, catalog and booking scale on CPU, fast up and slowly down; the HPA owns their replicas", () => {
        const autoscalers = ofKind(objects(), "HorizontalPodAutoscaler");
        expect(autoscalers.map((hpa) => hpa.spec.scaleTargetRef.name).sort()).toEqual(AUTOSCALED.map((c) => `boxoffice-${c}`).sort());
        for (const component of AUTOSCALED) {
          const hpa = named(objects(), "HorizontalPodAutoscaler", `boxoffice-${component}`);
          expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: `boxoffice-${component}` });
          expect(deployment(objects(), component).spec.replicas, component).toBeUndefined();
          expect(hpa.spec.minReplicas).toBeLessThan(hpa.spec.maxReplicas);
          expect(hpa.spec.metrics[0].resource.name).toBe("cpu");
          expect(hpa.spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
          expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBeGreaterThanOrEqual(300);
          if (production(render)) {
            expect(hpa.spec.minReplicas, component).toBeGreaterThanOrEqual(3);
            expect(hpa.spec.maxReplicas, component).toBeGreaterThanOrEqual(10);
          }
        }
      });

      it("the indexer is a single replica replaced with the Recreate strategy and never autoscaled", () => {
        const indexer = deployment(objects(), "indexer");
        expect(indexer.spec.replicas).toBe(1);
        expect(indexer.spec.strategy).toEqual({ type: "Recreate" });
        expect(ofKind(objects(), "HorizontalPodAutoscaler").some((hpa) => hpa.spec.scaleTargetRef.name === indexer.metadata.name)).toBe(false);
      });

      it("rolling updates of the services never drop below the wanted capacity", () => {
        for (const component of AUTOSCALED) {
          expect(deployment(objects(), component).spec.strategy.rollingUpdate.maxUnavailable, component).toBe(0);
        }
      });

      it("every process runs the one image with its own entry point, which exists in services/", () => {
        const images = new Set<string>();
        for (const component of PROCESSES) {
          const [container] = containersOf(deployment(objects(), component));
          images.add(container!.image);
          expect(container!.args).toEqual([`dist/services/${component}/main.js`]);
          expect(existsSync(join(REPO, "services", component, "main.ts")), component).toBe(true);
        }
        const migrate = containersOf(named(objects(), "Job", "boxoffice-migrate"))[0]!;
        images.add(migrate.image);
        expect(images.size).toBe(1);
        expect([...images][0]).toMatch(/:[\w.-]+$/);
        expect([...images][0]).not.toMatch(/:latest$/);
      });

      it("the internal services are started, alive and ready by grpc.health.v1; liveness asks for a name no database changes", () => {
        for (const component of ["catalog", "search", "booking", "queue"]) {
          const [container] = containersOf(deployment(objects(), component));
          const grpcPort = container!.ports!.find((port) => port.name === "grpc")!.containerPort;
          // "" goes NOT_SERVING while PostgreSQL is unreachable: out of rotation, not restarted
          expect(container!.readinessProbe, component).toEqual(expect.objectContaining({ grpc: { port: grpcPort, service: "" } }));
          // "liveness" stays SERVING while the process answers (services/shared/health)
          for (const probe of [container!.startupProbe, container!.livenessProbe]) {
            expect(probe, component).toEqual(expect.objectContaining({ grpc: { port: grpcPort, service: LIVENESS_SERVICE } }));
            expect(probe, component).not.toHaveProperty("httpGet");
          }
        }
        // HTTP/1.1 only: the edge has no h2c port a grpc probe could reach
        const edge = containersOf(deployment(objects(), "edge"))[0]!;
        for (const probe of [edge.startupProbe, edge.livenessProbe, edge.readinessProbe]) expect(probe).toMatchObject({ httpGet: { path: "/healthz", port: "http" } });
        // no gRPC server in the indexer: its admin port says whether it follows the change stream
        expect(containersOf(deployment(objects(), "indexer"))[0]!.readinessProbe).toMatchObject({ httpGet: { path: "/readyz" } });
      });

      it("gRPC Services name their port grpc (h2c), and calls are balanced per request by the mesh in production", () => {
        for (const component of ["catalog", "search", "booking", "queue"]) {
          const service = named(objects(), "Service", `boxoffice-${component}`);
          expect(service.spec.clusterIP, component).not.toBe("None");
          expect(service.spec.ports[0]).toMatchObject({ name: "grpc", appProtocol: "kubernetes.io/h2c" });
        }
        const injected = (component: string) => deployment(objects(), component).spec.template.metadata.annotations?.["linkerd.io/inject"];
        for (const component of PROCESSES) expect(injected(component), component).toBe(production(render) ? "enabled" : undefined);
      });

      it("in production each service spreads over zones and nodes", () => {
        for (const component of AUTOSCALED) {
          const pod = podSpec(deployment(objects(), component));
          if (!production(render)) {
            expect(pod.topologySpreadConstraints).toBeUndefined();
            continue;
          }
          const keys = pod.topologySpreadConstraints.map((c: { topologyKey: string }) => c.topologyKey);
          expect(keys).toEqual(["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
          for (const constraint of pod.topologySpreadConstraints) {
            expect(constraint.whenUnsatisfiable).toBe("ScheduleAnyway");
            expect(constraint.matchLabelKeys).toContain("app.kubernetes.io/component");
          }
          expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.matchLabelKeys).toEqual([
            "app.kubernetes.io/component",
          ]);
        }
      });

      it("no Secret is written into the manifests; every secret reference is one the operator creates or the docs explain", () => {
        expect(ofKind(objects(), "Secret")).toEqual([]);
        const docs = readFileSync(join(REPO, "docs/deploy.md"), "utf8");
        const referenced = new Set<string>();
        for (const workload of workloads(objects())) {
          for (const container of containersOf(workload)) {
            const fromSecrets = new Set<string>();
            for (const variable of container.env ?? []) {
              const ref = variable.valueFrom?.secretKeyRef;
              if (ref) {
                referenced.add(`${ref.name}/${ref.key}`);
                fromSecrets.add(variable.name);
                continue;
              }
              // a literal may use a secret only by reference: $(VAR) of a variable read from a Secret
              const where = `${workload.metadata.name} ${variable.name}`;
              const value = variable.value ?? "";
              for (const [, name] of value.matchAll(/\$\(([A-Z0-9_]+)\)/g)) expect(fromSecrets, where).toContain(name);
              const literal = value.replace(/\$\([A-Z0-9_]+\)/g, "");
              expect(literal, where).not.toMatch(/:\/\/[^/\s@]*:[^/\s@]+@/);
              if (/PASSWORD|SECRET|TOKEN|AUTH$/.test(variable.name)) expect(literal, where).toBe("");
            }
          }
        }
        // Production takes real payments (Stripe); development the simulator's test cards.
        const stripe = production(render) ? ["boxoffice-stripe/publishable-key", "boxoffice-stripe/secret-key", "boxoffice-stripe/webhook-secret"] : [];
        expect([...referenced].sort()).toEqual([
          "boxoffice-auth/dev-secret",
          "boxoffice-paging/secret",
          "boxoffice-pg-app/uri",
          "boxoffice-queue-admission/signing-jwk",
          "boxoffice-redis/password",
          ...stripe,
        ]);
        for (const name of ["boxoffice-auth", "boxoffice-paging", "boxoffice-redis", "boxoffice-pg-app", "boxoffice-stripe", "boxoffice-queue-admission"]) expect(docs, name).toContain(name);
      });
    });
  }
});

describe.skipIf(!ready)("the chart's PodDisruptionBudgets follow podDisruptionBudget.enabled", () => {
  const render = (enabled: boolean) => parseManifests(helmTemplate(["--namespace", "boxoffice", "--set", `podDisruptionBudget.enabled=${enabled}`]));
  const identities = (objects: K8sObject[]) => objects.map((object) => `${object.kind}/${object.metadata.name}`).sort();

  it("on (the default): one budget per Deployment and StatefulSet, as in the defaults' render", () => {
    const on = render(true);
    expect(identities(on)).toEqual(identities(rendered("helm defaults")));
    expect(ofKind(on, "PodDisruptionBudget").map((budget) => budget.metadata.name).sort()).toEqual(
      longRunning(on).map((workload) => workload.metadata.name).sort(),
    );
  });

  it("off: no PodDisruptionBudget at all, and every other object unchanged", () => {
    const off = render(false);
    expect(ofKind(off, "PodDisruptionBudget")).toEqual([]);
    expect(off).toEqual(rendered("helm defaults").filter((object) => object.kind !== "PodDisruptionBudget"));
  });

  it("values.schema.json requires the switch to be a boolean", () => {
    expect(() => helmTemplate(["--set", "podDisruptionBudget.enabled=sometimes"])).toThrow(/podDisruptionBudget.enabled/);
  });
});

describe.skipIf(!ready)("stateful dependencies through their operators", () => {
  for (const render of RENDER_NAMES) {
    describe(render, () => {
      const objects = () => rendered(render);

      it("PostgreSQL is a CloudNativePG Cluster with logical decoding for the indexer", () => {
        const [cluster, ...others] = ofKind(objects(), "Cluster");
        expect(others).toEqual([]);
        expect(cluster!.apiVersion).toBe("postgresql.cnpg.io/v1");
        expect(cluster!.spec.postgresql.parameters.wal_level).toBe("logical");
        expect(Number(cluster!.spec.postgresql.parameters.max_replication_slots)).toBeGreaterThanOrEqual(4);
        expect(cluster!.spec.postgresql.parameters.max_slot_wal_keep_size).toMatch(/^\d+GB$/);
        expect(cluster!.spec.bootstrap.initdb.postInitApplicationSQL).toContain("ALTER ROLE boxoffice WITH REPLICATION");
        // the operator's Secret <cluster>-app is what DATABASE_URL reads
        expect(`${cluster!.metadata.name}-app`).toBe("boxoffice-pg-app");
        if (production(render)) {
          expect(cluster!.spec.instances).toBeGreaterThanOrEqual(3);
          expect(cluster!.spec.affinity.podAntiAffinityType).toBe("required");
        }
      });

      it("the search engine is an OpenSearchCluster with three cluster-manager nodes and no privileged init container", () => {
        const [cluster] = ofKind(objects(), "OpenSearchCluster");
        expect(cluster!.spec.general.serviceName).toBe("boxoffice-search-engine");
        expect(cluster!.spec.general.setVMMaxMapCount).toBe(false);
        const managers = cluster!.spec.nodePools.filter((pool: { roles: string[] }) => pool.roles.includes("cluster_manager"));
        expect(managers.reduce((sum: number, pool: { replicas: number }) => sum + pool.replicas, 0)).toBeGreaterThanOrEqual(3);
      });

      it("Redlock gets three independent Redis masters, each addressed by its own stable name", () => {
        const masters = named(objects(), "StatefulSet", "boxoffice-redis-locks");
        expect(masters.spec.replicas).toBe(3);
        const headless = named(objects(), "Service", masters.spec.serviceName);
        expect(headless.spec.clusterIP).toBe("None");
        const config = named(objects(), "ConfigMap", "boxoffice-redis-locks").data!["redis.conf"]!;
        expect(config).not.toMatch(/replicaof|slaveof|cluster-enabled yes/);
        expect(config).toMatch(/maxmemory-policy noeviction/);
        expect(config).toMatch(/appendonly yes/);
        // A master restarted at once must still have every hold it answered: fsync before each
        // answer (test/chaos/redis-persistence.test.ts shows what it is restarted without).
        expect(config).toMatch(/^\s*appendfsync always$/m);
        expect(config).toMatch(/^\s*no-appendfsync-on-rewrite no$/m);
        const placement = podSpec(masters).affinity.podAntiAffinity;
        if (production(render)) expect(placement.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe("kubernetes.io/hostname");
        for (const component of ["catalog", "booking"]) {
          const urls = containersOf(deployment(objects(), component))[0]!.env!.find((v) => v.name === "REDIS_LOCK_URLS")!.value!;
          const hosts = urls.split(",").map((url) => new URL(url.replace("$(REDIS_PASSWORD)", "x")).host);
          expect(hosts).toEqual([0, 1, 2].map((i) => `boxoffice-redis-locks-${i}.boxoffice-redis-locks:6379`));
        }
      });

      it("the queue keeps its places in a Redis primary of its own, persisted on a volume, never a lock master or the cache", () => {
        const primary = named(objects(), "StatefulSet", "boxoffice-queue-redis");
        expect(primary.spec.replicas).toBe(1);
        expect(primary.spec.volumeClaimTemplates.map((claim: K8sObject) => claim.metadata.name)).toEqual(["data"]);
        expect(named(objects(), "Service", primary.spec.serviceName).spec.clusterIP).toBe("None");
        const config = named(objects(), "ConfigMap", "boxoffice-queue-redis").data!["redis.conf"]!;
        expect(config).toMatch(/appendonly yes/);
        expect(config).toMatch(/dir \/data/);
        expect(config).toMatch(/maxmemory-policy noeviction/);
        expect(config).not.toMatch(/replicaof|slaveof|cluster-enabled yes/);
        const env = containersOf(deployment(objects(), "queue"))[0]!.env!;
        const url = new URL(env.find((v) => v.name === "QUEUE_REDIS_URL")!.value!.replace("$(REDIS_PASSWORD)", "x"));
        expect(url.host).toBe("boxoffice-queue-redis-0.boxoffice-queue-redis:6379");
        const lockHosts = env.find((v) => v.name === "REDIS_LOCK_URLS")!.value!.split(",").map((u) => new URL(u.replace("$(REDIS_PASSWORD)", "x")).host);
        expect(lockHosts).not.toContain(url.host);
        expect(env.find((v) => v.name === "QUEUE_SIGNING_JWK")?.valueFrom?.secretKeyRef).toEqual({ name: "boxoffice-queue-admission", key: "signing-jwk" });
      });
    });
  }

  it("the image runs as the uid the pods declare, from a distroless runtime with production dependencies only", () => {
    const dockerfile = readFileSync(join(REPO, "Dockerfile"), "utf8");
    const stages = dockerfile.split(/^FROM /m).slice(1);
    const runtime = stages.at(-1)!;
    // the published base is the default; scripts/image/base.sh passes a stand-in where no registry answers
    expect(runtime).toMatch(/^\$\{RUNTIME_BASE\} AS runtime$/m);
    expect(dockerfile).toMatch(/^ARG RUNTIME_BASE=gcr\.io\/distroless\/nodejs\d+-debian\d+:nonroot$/m);
    expect(runtime).toMatch(/^USER 65532:65532$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtime).not.toMatch(/npm (ci|install)/);
    for (const workload of workloads(rendered("kustomize prod")).filter((w) => componentOf(w) && PROCESSES.includes(componentOf(w) as never))) {
      expect(podSpec(workload).securityContext.runAsUser, workload.metadata.name).toBe(65532);
    }
    const ignored = readFileSync(join(REPO, ".dockerignore"), "utf8").split("\n");
    for (const entry of ["**/node_modules", ".git", "dist", ".env", ".data"]) expect(ignored).toContain(entry);
  });
});
