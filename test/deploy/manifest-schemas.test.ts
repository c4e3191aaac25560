import { beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../support/real-services.js";
import {
  CURRENT_KUBERNETES,
  EXTERNAL_DEPENDENCIES_VALUES,
  OPERATOR_KINDS,
  RENDER_NAMES,
  SCHEMA_VERSIONS,
  TOOLCHAIN,
  helmLint,
  helmTemplate,
  kubeconform,
  named,
  parseManifests,
  rendered,
  renderedYaml,
  toolchainInstalled,
  type SchemaReport,
} from "./rendered-manifests.js";

const ready = requireService(TOOLCHAIN, toolchainInstalled());

// A Deployment with one misspelt field: proof that the check can fail at all.
const MISSPELT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: misspelt}
spec:
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: x}}
    spec:
      containers:
        - name: x
          image: x
          readinessProbes: {grpc: {port: 50051}}
`;

describe.skipIf(!ready)("the manifests are valid Kubernetes objects", () => {
  const reports: Record<string, Record<string, SchemaReport>> = {};

  beforeAll(() => {
    const documents = Object.fromEntries(RENDER_NAMES.map((name) => [name, renderedYaml(name)]));
    const external = helmTemplate(["--namespace", "boxoffice", "-f", EXTERNAL_DEPENDENCIES_VALUES]);
    for (const version of SCHEMA_VERSIONS) reports[version] = kubeconform({ ...documents, external, misspelt: MISSPELT }, version);
  });

  for (const render of RENDER_NAMES) {
    for (const version of SCHEMA_VERSIONS) {
      it(`every object of ${render} validates strictly against the Kubernetes ${version} schemas`, () => {
        const report = reports[version]![render]!;
        expect(report.problems).toEqual([]);
        // only the operators' custom resources go without an upstream schema
        const custom = rendered(render).filter((object) => OPERATOR_KINDS.includes(`${object.apiVersion}/${object.kind}`));
        expect(custom.length).toBeGreaterThan(0);
        expect(report.skipped).toBe(custom.length);
        expect(report.valid).toBe(rendered(render).length - custom.length);
      });
    }
  }

  it("with managed PostgreSQL, Redis and search engine outside the cluster the chart's objects validate too", () => {
    for (const version of SCHEMA_VERSIONS) {
      const report = reports[version]!.external!;
      expect(report.problems).toEqual([]);
      expect(report.skipped).toBe(0);
      expect(report.valid).toBeGreaterThan(30);
    }
  });

  it("the schema check rejects a field the API server would reject", () => {
    const report = reports[CURRENT_KUBERNETES]!.misspelt!;
    expect(report.invalid).toBe(1);
    expect(report.problems.join("\n")).toMatch(/additional properties 'readinessProbes' not allowed/);
  });

  it("helm lint passes in strict mode with the default values and with each file in ci/", () => {
    for (const values of [[], ["-f", "deploy/helm/boxoffice/ci/dev-values.yaml"], ["-f", EXTERNAL_DEPENDENCIES_VALUES]]) {
      expect(helmLint(values), values.join(" ")).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    }
  });

  it("values.schema.json turns away a misspelt value and a JWKS URL without TLS", () => {
    expect(() => helmTemplate(["--set", "catalog.replicas=3"])).toThrow(/additional properties 'replicas' not allowed/);
    expect(() => helmTemplate(["--set", "config.auth.jwksUrl=http://idp.example.com/jwks"])).toThrow(/values don't meet the specifications/);
  });

  it("values.schema.json keeps the admission signing key out of the queue's values: previousJwks takes public JWKs only", () => {
    const previous = (jwk: Record<string, string>) => helmTemplate(["--set-json", `queue.previousJwks=[${JSON.stringify(jwk)}]`]);
    const publicJwk = { kty: "EC", crv: "P-256", kid: "admission-2026-11-01", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" };
    const config = named(parseManifests(previous(publicJwk)), "ConfigMap", "boxoffice-queue").data!;
    expect(JSON.parse(config.QUEUE_PREVIOUS_JWKS!)).toEqual([publicJwk]);
    expect(() => previous({ ...publicJwk, d: "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI" })).toThrow(/values don't meet the specifications/);
    expect(() => helmTemplate(["--set", "queueRedis.enabled=false"])).toThrow(/queueRedis.externalHost is required/);
  });
});
