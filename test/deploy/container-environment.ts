import { named, type K8sObject } from "./rendered-manifests.js";

type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } };

/** Values of the Secrets the manifests read, keyed `secret-name/key`: stand-ins, since none is in deploy/. */
export type SecretValues = Record<string, string>;

/**
 * The environment the kubelet would give the workload's container: envFrom first, then env with
 * $(VAR) expansion. A Secret key missing from `secrets` is an error: the manifests read a Secret
 * that docs/deploy.md does not list.
 */
export function containerEnvironment(objects: K8sObject[], workload: K8sObject, secrets: SecretValues): Record<string, string> {
  const container = workload.spec.template.spec.containers[0];
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    Object.assign(env, named(objects, "ConfigMap", source.configMapRef.name).data);
  }
  for (const variable of (container.env ?? []) as EnvVar[]) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (ref) {
      const value = secrets[`${ref.name}/${ref.key}`];
      if (value === undefined) throw new Error(`${variable.name} reads an undocumented Secret ${ref.name}/${ref.key}`);
      env[variable.name] = value;
    } else {
      env[variable.name] = (variable.value ?? "").replace(/\$\(([A-Z0-9_]+)\)/g, (whole, name: string) => env[name] ?? whole);
    }
  }
  return env;
}
