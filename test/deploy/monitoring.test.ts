import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parser } from "@prometheus-io/lezer-promql";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments, stringify } from "yaml";
import { bookingMetrics } from "../../services/booking/booking-metrics.js";
import { createIndexerMetrics } from "../../services/indexer/indexer-metrics.js";
import { queueMetrics } from "../../services/queue/queue-metrics.js";
import { searchMetrics } from "../../services/search/search-metrics.js";
import { InMemoryCache } from "../../services/shared/cache/in-memory-cache.js";
import { observedCache } from "../../services/shared/cache/observed-cache.js";
import { createMetrics } from "../../services/shared/metrics/metrics.js";
import { requireService } from "../support/real-services.js";
import { REPO, TOOLS_DIR } from "./rendered-manifests.js";

const run = promisify(execFile);
const MONITORING = join(REPO, "deploy/monitoring");
const PROMTOOL = join(TOOLS_DIR, "bin", "promtool");
const havePromtool = requireService("promtool (bash scripts/k8s/install-tools.sh builds it)", existsSync(PROMTOOL));

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
}
interface PrometheusRule {
  kind: string;
  spec: { groups: Array<{ name: string; rules: Rule[] }> };
}
interface Dashboard {
  uid: string;
  panels: Array<{ id: number; type: string; title: string; datasource?: { uid: string }; targets?: Array<{ expr: string }> }>;
}

const readRule = async () => parse(await readFile(join(MONITORING, "prometheus-rule.yaml"), "utf8")) as PrometheusRule;
const readDashboard = async () => JSON.parse(await readFile(join(MONITORING, "grafana-dashboard.json"), "utf8")) as Dashboard;

/** Every series name the processes export, histograms with their _bucket/_sum/_count. */
async function exportedSeries(): Promise<Set<string>> {
  const registries: Registry[] = [createMetrics("any").registry];
  const extra = new Registry();
  bookingMetrics(extra);
  searchMetrics(extra);
  queueMetrics(extra);
  createIndexerMetrics(extra);
  observedCache(new InMemoryCache(), "any", extra);
  registries.push(extra);
  const names = new Set<string>();
  for (const registry of registries) {
    for (const metric of await registry.getMetricsAsJSON()) {
      names.add(metric.name);
      if (String(metric.type) === "histogram") for (const suffix of ["_bucket", "_sum", "_count"]) names.add(metric.name + suffix);
    }
  }
  return names;
}

/** The metric names a PromQL expression reads; throws on a syntax error. */
function metricsRead(expr: string): string[] {
  // Grafana's variables are not PromQL: a duration stands in for them.
  const promql = expr.replaceAll("$__rate_interval", "5m");
  const names: string[] = [];
  let errors = 0;
  parser.parse(promql).iterate({
    enter(node) {
      if (node.type.isError) errors++;
      if (node.name === "Identifier" && node.node.parent?.name === "VectorSelector") names.push(promql.slice(node.from, node.to));
    },
  });
  if (errors > 0) throw new Error(`PromQL syntax error in: ${expr}`);
  return names;
}

describe("monitoring (deploy/monitoring)", () => {
  it("reads only metrics the services export, in valid PromQL, from every alert and dashboard panel", async () => {
    const exported = await exportedSeries();
    const rule = await readRule();
    const dashboard = await readDashboard();
    const exprs = [
      ...rule.spec.groups.flatMap((group) => group.rules.map((r) => ({ where: `alert ${r.alert ?? r.record}`, expr: r.expr }))),
      ...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr }))),
    ];
    expect(exprs.length).toBeGreaterThan(20);
    expect(new Set(exprs.flatMap(({ expr }) => metricsRead(expr)))).toContain("boxoffice_lock_store_available");
    const unknown = exprs.flatMap(({ where, expr }) => metricsRead(expr).filter((name) => !exported.has(name)).map((name) => `${where}: ${name}`));
    expect(unknown).toEqual([]);
  });

  it("alert on what an operator must act on: CDC lag, recovery backlog, dead-lettered captures, lock quorum lost, server errors", async () => {
    const alerts = (await readRule()).spec.groups.flatMap((group) => group.rules.map((r) => r.alert));
    expect(alerts).toEqual(
      expect.arrayContaining(["BoxofficeCdcLagHigh", "BoxofficePaymentRecoveryBacklog", "BoxofficePaymentCaptureDeadLettered", "BoxofficeLockQuorumLost", "BoxofficeRpcServerErrors"]),
    );
  });

  it("give every dashboard panel a unique id and the dashboard's Prometheus data source", async () => {
    const dashboard = await readDashboard();
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels.filter((p) => p.type !== "row")) {
      expect(panel.datasource?.uid, panel.title).toBe("${datasource}");
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    }
  });

  it("build with kustomize into the PrometheusRule and the dashboard ConfigMap Grafana's sidecar loads", async () => {
    const { stdout } = await run("kubectl", ["kustomize", MONITORING]);
    const objects = parseAllDocuments(stdout).map((doc) => doc.toJSON() as { kind: string; metadata: { name: string; labels?: Record<string, string> }; data?: Record<string, string> });
    expect(objects.map((o) => o.kind).sort()).toEqual(["ConfigMap", "PrometheusRule"]);
    const configMap = objects.find((o) => o.kind === "ConfigMap")!;
    expect(configMap.metadata.labels?.grafana_dashboard).toBe("1");
    expect(JSON.parse(configMap.data!["boxoffice-dashboard.json"]!).uid).toBe((await readDashboard()).uid);
  });
});

describe.skipIf(!havePromtool)("alert rules under promtool", () => {
  let dir: string;

  beforeAll(async () => {
    // promtool reads plain rule files: the PrometheusRule's spec is one.
    dir = await mkdtemp(join(tmpdir(), "boxoffice-rules-"));
    await writeFile(join(dir, "rules.yaml"), stringify((await readRule()).spec));
    await copyFile(join(MONITORING, "alerts.test.yaml"), join(dir, "alerts.test.yaml"));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("pass promtool check rules", async () => {
    const { stdout } = await run(PROMTOOL, ["check", "rules", join(dir, "rules.yaml")]);
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it("fire on the series in alerts.test.yaml and stay quiet on the healthy ones (promtool test rules)", () => {
    // execFileSync: promtool prints its failures on stdout, which the assertion shows.
    const output = (() => {
      try {
        return execFileSync(PROMTOOL, ["test", "rules", "alerts.test.yaml"], { cwd: dir, encoding: "utf8", stdio: "pipe" });
      } catch (error) {
        return `FAILED\n${(error as { stdout?: string }).stdout ?? ""}${(error as { stderr?: string }).stderr ?? ""}`;
      }
    })();
    expect(output).toMatch(/SUCCESS/);
  });
});
