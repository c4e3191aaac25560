import { type K8sObject, type LabelSelector, ofKind, selects } from "./rendered-manifests.js";

// What the rendered NetworkPolicies allow, by the API's semantics: a pod selected by a policy of
// a direction is isolated in that direction, and then a connection passes only if some rule of
// a policy selecting it matches the peer and the port. A connection needs the source's egress
// and the destination's ingress. Enough of the model to ask "can A open TCP port P on B?".

export interface Endpoint {
  /** Pod labels, for a pod in the release's namespace or another one. */
  pod?: Record<string, string>;
  /** Labels of the pod's namespace; absent means the release's namespace. */
  namespace?: Record<string, string>;
  /** An address outside the cluster. */
  ip?: string;
}

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: Array<{ protocol?: string; port?: number | string; endPort?: number }>;
}

const RELEASE_NAMESPACE = { "kubernetes.io/metadata.name": "boxoffice" };

function ipToNumber(ip: string): number {
  return ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToNumber(base!) / size) * size;
  const n = ipToNumber(ip);
  return n >= start && n < start + size;
}

function peerMatches(peer: Peer, other: Endpoint): boolean {
  if (peer.ipBlock) {
    return other.ip !== undefined && inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((cidr) => inCidr(other.ip!, cidr));
  }
  if (!other.pod) return false;
  const namespace = other.namespace ?? RELEASE_NAMESPACE;
  const namespaceOk = peer.namespaceSelector ? selects(peer.namespaceSelector, namespace) : namespace === RELEASE_NAMESPACE || other.namespace === undefined;
  const podOk = peer.podSelector ? selects(peer.podSelector, other.pod) : true;
  return namespaceOk && podOk;
}

function portMatches(rule: Rule, port: number): boolean {
  if (!rule.ports || rule.ports.length === 0) return true;
  return rule.ports.some(({ protocol = "TCP", port: from, endPort }) => {
    if (protocol !== "TCP") return false;
    if (from === undefined) return true;
    if (typeof from === "string") throw new Error(`named port ${from} in a NetworkPolicy: the model only knows numbers`);
    return endPort === undefined ? from === port : port >= from && port <= endPort;
  });
}

function allowed(policies: K8sObject[], direction: "Ingress" | "Egress", self: Endpoint, other: Endpoint, port: number): boolean {
  // pods outside the release's namespace, and addresses outside the cluster, are not ours to isolate
  if (!self.pod || self.namespace) return true;
  const mine = policies.filter(
    (policy) => (policy.spec.policyTypes as string[]).includes(direction) && selects(policy.spec.podSelector, self.pod!),
  );
  if (mine.length === 0) return true;
  return mine.some((policy) =>
    ((direction === "Ingress" ? policy.spec.ingress : policy.spec.egress) ?? []).some((rule: Rule) => {
      const peers = direction === "Ingress" ? rule.from : rule.to;
      return portMatches(rule, port) && (!peers || peers.length === 0 || peers.some((peer) => peerMatches(peer, other)));
    }),
  );
}

/** Whether `from` may open a TCP connection to `to` on `port` under the rendered policies. */
export function canConnect(objects: K8sObject[], from: Endpoint, to: Endpoint, port: number): boolean {
  const policies = ofKind(objects, "NetworkPolicy");
  return allowed(policies, "Egress", from, to, port) && allowed(policies, "Ingress", to, from, port);
}

/** The pod labels of each workload in the render, by component; plus the operators' pods. */
export function podsOf(objects: K8sObject[]): Record<string, Record<string, string>> {
  const pods: Record<string, Record<string, string>> = {};
  for (const workload of objects.filter((o) => ["Deployment", "StatefulSet", "Job"].includes(o.kind))) {
    const labels = workload.spec.template.metadata.labels as Record<string, string>;
    pods[labels["app.kubernetes.io/component"]!] = labels;
  }
  for (const cluster of ofKind(objects, "Cluster")) pods.postgresql = { "cnpg.io/cluster": cluster.metadata.name, "cnpg.io/podRole": "instance" };
  for (const cluster of ofKind(objects, "OpenSearchCluster")) pods["search-engine"] = { "opensearch.org/opensearch-cluster": cluster.metadata.name };
  return pods;
}
