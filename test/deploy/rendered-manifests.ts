import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";

// Renders deploy/ the way an operator would (kubectl kustomize, helm template) and hands the
// objects to the suites as plain JSON. The tools are the ones scripts/k8s/install-tools.sh
// builds into its cache; nothing here talks to a cluster.

export const REPO = resolve(import.meta.dirname, "../..");
const INSTALL_SCRIPT = join(REPO, "scripts/k8s/install-tools.sh");

export const TOOLS_DIR =
  process.env.BOXOFFICE_K8S_TOOLS ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "boxoffice", "k8s-tools");
const HELM = join(TOOLS_DIR, "bin", "helm");
const KUBECONFORM = join(TOOLS_DIR, "bin", "kubeconform");

/** The Kubernetes versions install-tools.sh fetches schemas for (one source of truth: the script). */
export const SCHEMA_VERSIONS: string[] = (() => {
  const match = /^K8S_SCHEMA_VERSIONS=\(([^)]*)\)/m.exec(readFileSync(INSTALL_SCRIPT, "utf8"));
  if (!match?.[1]) throw new Error(`no K8S_SCHEMA_VERSIONS in ${INSTALL_SCRIPT}`);
  return match[1].trim().split(/\s+/);
})();
/** The newest: what helm renders for and what "current Kubernetes" means in these suites. */
export const CURRENT_KUBERNETES = SCHEMA_VERSIONS[0]!;

/** Custom resources of the operators: no upstream schema; their fields are asserted by the suites. */
export const OPERATOR_KINDS = ["postgresql.cnpg.io/v1/Cluster", "opensearch.org/v1/OpenSearchCluster"];

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // free-form below the metadata: the suites read what they assert
  spec?: any;
  data?: Record<string, string>;
}

function run(command: string, args: string[], input?: string): string {
  return execFileSync(command, args, {
    cwd: REPO,
    input,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    // never a cluster: an empty kubeconfig, and any server address refused on loopback
    env: { ...process.env, KUBECONFIG: "/dev/null", HELM_KUBECONTEXT: "" },
    stdio: ["pipe", "pipe", "pipe"],
  });
}

function onPath(command: string): boolean {
  try {
    run(command, ["version", "--client"]);
    return true;
  } catch {
    return false;
  }
}

/** kubectl on PATH; helm, kubeconform and the schemas in the install script's cache. */
export function toolchainInstalled(): boolean {
  return (
    onPath("kubectl") &&
    existsSync(HELM) &&
    existsSync(KUBECONFORM) &&
    SCHEMA_VERSIONS.every((version) => existsSync(join(TOOLS_DIR, "schemas", `v${version}-standalone-strict`, "deployment-apps-v1.json")))
  );
}

export const TOOLCHAIN = "kubectl, helm, kubeconform and the Kubernetes schemas (bash scripts/k8s/install-tools.sh)";

export type RenderName = "kustomize dev" | "kustomize prod" | "helm defaults" | "helm ci/dev-values";
export const RENDER_NAMES: RenderName[] = ["kustomize dev", "kustomize prod", "helm defaults", "helm ci/dev-values"];
/** Which renders describe the same installation. */
export const PARITY: Array<[RenderName, RenderName]> = [
  ["kustomize prod", "helm defaults"],
  ["kustomize dev", "helm ci/dev-values"],
];

const CHART = "deploy/helm/boxoffice";

export function helmTemplate(args: string[] = []): string {
  return run(HELM, ["template", "boxoffice", CHART, "--kube-version", CURRENT_KUBERNETES, ...args]);
}

/** The chart with managed services outside the cluster instead of the operators. */
export const EXTERNAL_DEPENDENCIES_VALUES = "deploy/helm/boxoffice/ci/external-dependencies-values.yaml";

export function helmLint(args: string[] = []): string {
  return run(HELM, ["lint", CHART, "--strict", "--kube-version", CURRENT_KUBERNETES, ...args]);
}

function renderYaml(name: RenderName): string {
  switch (name) {
    case "kustomize dev":
      return run("kubectl", ["kustomize", "deploy/k8s/overlays/dev"]);
    case "kustomize prod":
      return run("kubectl", ["kustomize", "deploy/k8s/overlays/prod"]);
    case "helm defaults":
      return helmTemplate(["--namespace", "boxoffice"]);
    case "helm ci/dev-values":
      return helmTemplate(["--namespace", "boxoffice-dev", "-f", `${CHART}/ci/dev-values.yaml`]);
  }
}

/**
 * YAML documents to objects, parsed by kubectl itself (no YAML library in the project): a local,
 * no-op annotate prints each object as JSON.
 */
export function parseManifests(yaml: string): K8sObject[] {
  const json = run(
    "kubectl",
    ["annotate", "--local", "-f", "-", "-o", "json", "boxoffice.invalid/none-", "--server", "https://127.0.0.1:1"],
    yaml,
  );
  return splitJsonStream(json).map((object) => {
    const parsed = object as K8sObject;
    // the annotate round trip adds an empty map; leave the objects as rendered
    if (parsed.metadata.annotations && Object.keys(parsed.metadata.annotations).length === 0) delete parsed.metadata.annotations;
    return parsed;
  });
}

/** Concatenated JSON documents (kubectl prints one per object) to values. */
function splitJsonStream(text: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === "\\") escaped = true;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{") {
      if (depth === 0) start = i;
      depth++;
    } else if (char === "}") {
      depth--;
      if (depth === 0) values.push(JSON.parse(text.slice(start, i + 1)));
    }
  }
  return values;
}

const yamlCache = new Map<RenderName, string>();
const objectCache = new Map<RenderName, K8sObject[]>();

export function renderedYaml(name: RenderName): string {
  if (!yamlCache.has(name)) yamlCache.set(name, renderYaml(name));
  return yamlCache.get(name)!;
}

export function rendered(name: RenderName): K8sObject[] {
  if (!objectCache.has(name)) objectCache.set(name, parseManifests(renderedYaml(name)));
  return objectCache.get(name)!;
}

export interface SchemaReport {
  valid: number;
  invalid: number;
  errors: number;
  skipped: number;
  problems: string[];
}

/**
 * Validates every object against the upstream schemas of one Kubernetes version, strictly (no
 * field the API server would drop or reject). One kubeconform run per version covers all the
 * given documents, keyed by the name they are reported under.
 */
export function kubeconform(documents: Record<string, string>, kubernetesVersion: string): Record<string, SchemaReport> {
  const dir = mkdtempSync(join(tmpdir(), "boxoffice-kubeconform-"));
  try {
    const files = Object.entries(documents).map(([name, yaml], index) => {
      const file = join(dir, `${index}.yaml`);
      writeFileSync(file, yaml);
      return { name, file };
    });
    const args = [
      "-strict",
      "-verbose",
      "-output",
      "json",
      "-kubernetes-version",
      kubernetesVersion,
      "-schema-location",
      join(TOOLS_DIR, "schemas", "{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}", "{{ .ResourceKind }}{{ .KindSuffix }}.json"),
      "-skip",
      OPERATOR_KINDS.join(","),
      ...files.map(({ file }) => file),
    ];
    let output: string;
    try {
      output = run(KUBECONFORM, args);
    } catch (error) {
      // non-zero when something is invalid; the report is still on stdout
      output = (error as { stdout?: string }).stdout ?? "";
    }
    const results = (JSON.parse(output) as { resources: Array<{ filename: string; kind: string; name: string; status: string; msg: string }> }).resources;
    return Object.fromEntries(
      files.map(({ name, file }) => {
        const mine = results.filter((result) => result.filename === file);
        const count = (status: string) => mine.filter((result) => result.status === status).length;
        const report: SchemaReport = {
          valid: count("statusValid"),
          invalid: count("statusInvalid"),
          errors: count("statusError"),
          skipped: count("statusSkipped"),
          problems: mine.filter((r) => r.status === "statusInvalid" || r.status === "statusError").map((r) => `${r.kind} ${r.name}: ${r.msg}`),
        };
        return [name, report];
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- small accessors the suites share -----------------------------------------------------------

export const ofKind = (objects: K8sObject[], kind: string) => objects.filter((object) => object.kind === kind);

export function named(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the render`);
  return found;
}

/** app.kubernetes.io/component of an object (its pods for workloads). */
export const componentOf = (object: K8sObject): string | undefined =>
  object.spec?.template?.metadata?.labels?.["app.kubernetes.io/component"] ?? object.metadata.labels?.["app.kubernetes.io/component"];

/** The boxoffice processes, each a Deployment running dist/services/<name>/main.js. */
export const PROCESSES = ["catalog", "search", "booking", "queue", "edge", "indexer"] as const;
export type Process = (typeof PROCESSES)[number];
/** The five that scale out for an on-sale. */
export const AUTOSCALED = ["edge", "search", "catalog", "booking", "queue"] as const;

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }>;
}

/** Kubernetes label selector semantics; an empty selector selects everything. */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case "In":
        return key in labels && values.includes(labels[key]!);
      case "NotIn":
        return !(key in labels) || !values.includes(labels[key]!);
      case "Exists":
        return key in labels;
      case "DoesNotExist":
        return !(key in labels);
    }
  });
  return byLabels && byExpressions;
}

/** Every workload (Deployment, StatefulSet, Job) with its pod spec. */
export function workloads(objects: K8sObject[]): K8sObject[] {
  return objects.filter((object) => ["Deployment", "StatefulSet", "Job"].includes(object.kind));
}
