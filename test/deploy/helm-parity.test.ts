import { describe, expect, it } from "vitest";
import { requireService } from "../support/real-services.js";
import { PARITY, TOOLCHAIN, rendered, toolchainInstalled, type K8sObject } from "./rendered-manifests.js";

const ready = requireService(TOOLCHAIN, toolchainInstalled());

// kustomize suffixes generated ConfigMaps with a content hash; the chart rolls pods with a
// checksum annotation instead. Both are ways of rolling on a config change, not differences.
const HASH_SUFFIX = /-[a-z0-9]{10}$/;
const SELECTOR_LABELS = ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component"];

/** An object as it behaves: its spec and data, its meaningful annotations, its pods' selector labels. */
function behaviour(object: K8sObject): unknown {
  const copy = structuredClone(object) as K8sObject & { spec?: { template?: { metadata?: Record<string, unknown>; spec?: { containers: Array<{ envFrom?: Array<{ configMapRef?: { name: string } }> }> } } } };
  const annotations = Object.fromEntries(Object.entries(copy.metadata.annotations ?? {}).filter(([key]) => !key.startsWith("helm.sh/")));
  const template = copy.spec?.template;
  if (template?.metadata) {
    const labels = (template.metadata.labels ?? {}) as Record<string, string>;
    const podAnnotations = (template.metadata.annotations ?? {}) as Record<string, string>;
    template.metadata = {
      labels: Object.fromEntries(SELECTOR_LABELS.filter((key) => key in labels).map((key) => [key, labels[key]])),
      annotations: Object.fromEntries(Object.entries(podAnnotations).filter(([key]) => key !== "checksum/config")),
    };
    for (const container of template.spec?.containers ?? []) {
      for (const source of container.envFrom ?? []) {
        if (source.configMapRef) source.configMapRef.name = source.configMapRef.name.replace(HASH_SUFFIX, "");
      }
    }
  }
  return { apiVersion: copy.apiVersion, kind: copy.kind, annotations, spec: copy.spec, data: copy.data };
}

function byIdentity(objects: K8sObject[]): Map<string, unknown> {
  return new Map(
    objects
      .filter((object) => object.kind !== "Namespace") // helm installs into a namespace it does not own
      .map((object) => {
        const name = object.kind === "ConfigMap" ? object.metadata.name.replace(HASH_SUFFIX, "") : object.metadata.name;
        return [`${object.kind}/${name}`, behaviour(object)];
      }),
  );
}

describe.skipIf(!ready)("the Helm chart and the kustomize overlays install the same platform", () => {
  for (const [overlay, chart] of PARITY) {
    it(`${chart} renders the same objects, with the same specs, as ${overlay}`, () => {
      const fromKustomize = byIdentity(rendered(overlay));
      const fromHelm = byIdentity(rendered(chart));
      expect([...fromHelm.keys()].sort()).toEqual([...fromKustomize.keys()].sort());
      for (const [identity, object] of fromKustomize) expect(fromHelm.get(identity), identity).toEqual(object);
    });
  }

  it("the comparison notices a difference in a spec", () => {
    const [overlay, chart] = PARITY[0]!;
    const changed = rendered(chart).map((object) => structuredClone(object));
    const hpa = changed.find((object) => object.kind === "HorizontalPodAutoscaler")!;
    hpa.spec.maxReplicas += 1;
    const identity = `HorizontalPodAutoscaler/${hpa.metadata.name}`;
    expect(byIdentity(changed).get(identity)).not.toEqual(byIdentity(rendered(overlay)).get(identity));
  });
});
