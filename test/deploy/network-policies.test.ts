import { describe, expect, it } from "vitest";
import { requireService } from "../support/real-services.js";
import { canConnect, inCidr, podsOf, type Endpoint } from "./network-reachability.js";
import {
  EXTERNAL_DEPENDENCIES_VALUES,
  PROCESSES,
  RENDER_NAMES,
  TOOLCHAIN,
  helmTemplate,
  ofKind,
  parseManifests,
  rendered,
  toolchainInstalled,
} from "./rendered-manifests.js";

const ready = requireService(TOOLCHAIN, toolchainInstalled());

const INGRESS_CONTROLLER = { "kubernetes.io/metadata.name": "ingress-nginx" };
const MONITORING = { "kubernetes.io/metadata.name": "monitoring" };
const SOME_OTHER_NAMESPACE = { "kubernetes.io/metadata.name": "someone-else" };
const GRPC_PORT: Record<string, number> = { catalog: 50051, search: 50052, booking: 50053, queue: 50054 };
const QUEUE_ADMIN_PORT = 9106;
// a public address of the kind a payment provider's API has (not in any range the manifests name)
const PAYMENT_PROVIDER = "93.184.215.14";

describe.skipIf(!ready)("network policies", () => {
  for (const render of RENDER_NAMES) {
    describe(render, () => {
      const objects = () => rendered(render);
      const pods = () => podsOf(objects());
      const pod = (component: string): Endpoint => {
        const labels = pods()[component];
        if (!labels) throw new Error(`no ${component} pods in ${render}`);
        return { pod: labels };
      };
      const inside = (component: string): Endpoint => pod(component);
      const outside = (namespace: Record<string, string>): Endpoint => ({ pod: { app: "anything" }, namespace });

      it("every boxoffice pod is denied all traffic unless a policy allows it", () => {
        const denyAll = ofKind(objects(), "NetworkPolicy").filter(
          (policy) => policy.spec.ingress === undefined && policy.spec.egress === undefined && policy.spec.policyTypes.length === 2,
        );
        expect(denyAll).toHaveLength(1);
        for (const component of [...PROCESSES, "migrate", "redis-locks", "redis-cache", "queue-redis"]) {
          expect(canConnect(objects(), outside(SOME_OTHER_NAMESPACE), inside(component), 6379), component).toBe(false);
        }
        expect(canConnect(objects(), inside("catalog"), inside("search"), GRPC_PORT.search!)).toBe(false);
      });

      it("only the edge is reachable from outside the namespace, through the ingress controller", () => {
        expect(canConnect(objects(), outside(INGRESS_CONTROLLER), inside("edge"), 8080)).toBe(true);
        expect(canConnect(objects(), outside(SOME_OTHER_NAMESPACE), inside("edge"), 8080)).toBe(false);
        for (const component of ["catalog", "search", "booking", "queue"]) {
          expect(canConnect(objects(), outside(INGRESS_CONTROLLER), inside(component), GRPC_PORT[component]!), component).toBe(false);
        }
        expect(canConnect(objects(), outside(INGRESS_CONTROLLER), pod("postgresql"), 5432)).toBe(false);
        expect(canConnect(objects(), outside(INGRESS_CONTROLLER), pod("redis-locks"), 6379)).toBe(false);
        for (const service of ofKind(objects(), "Service")) expect(["ClusterIP", undefined], service.metadata.name).toContain(service.spec.type);
        const backends = ofKind(objects(), "Ingress").flatMap((ingress) =>
          ingress.spec.rules.flatMap((rule: { http: { paths: Array<{ backend: { service: { name: string } } }> } }) =>
            rule.http.paths.map((path) => path.backend.service.name),
          ),
        );
        expect(backends).toEqual(["boxoffice-edge"]);
      });

      it("each internal gRPC service accepts calls from the edge only", () => {
        for (const [component, port] of Object.entries(GRPC_PORT)) {
          expect(canConnect(objects(), inside("edge"), inside(component), port), `edge → ${component}`).toBe(true);
          for (const caller of ["catalog", "search", "booking", "queue", "indexer"].filter((c) => c !== component)) {
            expect(canConnect(objects(), inside(caller), inside(component), port), `${caller} → ${component}`).toBe(false);
          }
        }
      });

      it("booking alone reads the queue's admission keys from its admin port", () => {
        expect(canConnect(objects(), inside("booking"), inside("queue"), QUEUE_ADMIN_PORT)).toBe(true);
        for (const caller of ["edge", "catalog", "search", "indexer", "migrate"]) {
          expect(canConnect(objects(), inside(caller), inside("queue"), QUEUE_ADMIN_PORT), caller).toBe(false);
        }
        expect(canConnect(objects(), outside(INGRESS_CONTROLLER), inside("queue"), QUEUE_ADMIN_PORT)).toBe(false);
        expect(canConnect(objects(), outside(INGRESS_CONTROLLER), inside("queue"), GRPC_PORT.queue!)).toBe(false);
      });

      it("only booking reaches the payment provider", () => {
        const provider: Endpoint = { ip: PAYMENT_PROVIDER };
        expect(canConnect(objects(), inside("booking"), provider, 443)).toBe(true);
        for (const component of [...PROCESSES.filter((p) => p !== "booking"), "migrate", "redis-locks", "redis-cache", "queue-redis"]) {
          expect(canConnect(objects(), inside(component), provider, 443), component).toBe(false);
        }
        // and booking's way out does not lead into the cluster's private ranges
        expect(canConnect(objects(), inside("booking"), { ip: "10.1.2.3" }, 443)).toBe(false);
      });

      it("each data store is reachable by its clients and nobody else", () => {
        const clients: Record<string, { port: number; allowed: string[] }> = {
          postgresql: { port: 5432, allowed: ["catalog", "search", "booking", "queue", "indexer", "migrate"] },
          "search-engine": { port: 9200, allowed: ["search", "indexer"] },
          "redis-locks": { port: 6379, allowed: ["catalog", "booking", "queue"] },
          "redis-cache": { port: 6379, allowed: ["edge", "catalog", "search", "booking"] },
          // the waiting room's places: its own primary, which nothing else reads or writes
          "queue-redis": { port: 6379, allowed: ["queue"] },
        };
        for (const [store, { port, allowed }] of Object.entries(clients)) {
          for (const component of [...PROCESSES, "migrate"]) {
            expect(canConnect(objects(), inside(component), pod(store), port), `${component} → ${store}`).toBe(allowed.includes(component));
          }
        }
      });

      it("Prometheus may scrape every process's metrics port and nothing else", () => {
        const metricsPort: Record<string, number> = { catalog: 9101, search: 9102, booking: 9103, indexer: 9104, edge: 9105, queue: QUEUE_ADMIN_PORT };
        for (const [component, port] of Object.entries(metricsPort)) {
          expect(canConnect(objects(), outside(MONITORING), inside(component), port), component).toBe(true);
        }
        expect(canConnect(objects(), outside(MONITORING), inside("catalog"), GRPC_PORT.catalog!)).toBe(false);
        // The edge's public port serves no operator endpoint; its scrape goes to the admin port.
        expect(canConnect(objects(), outside(MONITORING), inside("edge"), 8080)).toBe(false);
        expect(canConnect(objects(), outside(MONITORING), inside("redis-locks"), 6379)).toBe(false);
        expect(canConnect(objects(), outside(MONITORING), inside("queue-redis"), 6379)).toBe(false);
      });
    });
  }

  it("with managed data stores outside the cluster, only their clients reach them, through the given ranges", () => {
    const objects = parseManifests(helmTemplate(["--namespace", "boxoffice", "-f", EXTERNAL_DEPENDENCIES_VALUES]));
    const pods = podsOf(objects);
    const reach = (component: string, ip: string, port: number) => canConnect(objects, { pod: pods[component]! }, { ip }, port);
    for (const component of ["catalog", "search", "booking", "queue", "indexer", "migrate"]) expect(reach(component, "10.20.0.5", 5432), component).toBe(true);
    expect(reach("edge", "10.20.0.5", 5432)).toBe(false);
    expect(reach("catalog", "10.20.1.5", 6379)).toBe(true);
    expect(reach("queue", "10.20.1.5", 6379)).toBe(true);
    expect(reach("search", "10.20.1.5", 6379)).toBe(false);
    expect(reach("indexer", "10.20.2.5", 443)).toBe(true);
    expect(reach("catalog", "10.20.0.5", 6379)).toBe(false);
    expect(reach("search", PAYMENT_PROVIDER, 443)).toBe(false);
  });

  it("the reachability model can say yes and no (its CIDR arithmetic)", () => {
    expect(inCidr("93.184.215.14", "0.0.0.0/0")).toBe(true);
    expect(inCidr("10.1.2.3", "10.0.0.0/8")).toBe(true);
    expect(inCidr("172.32.0.1", "172.16.0.0/12")).toBe(false);
    expect(inCidr("203.0.113.9", "203.0.113.0/24")).toBe(true);
  });
});
