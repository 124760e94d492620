/**
 * What a kubelet takes from the rendered objects to start a container: its command, its environment (envFrom
 * ConfigMap and Secret, env with the downward API), its probes, its preStop pause and grace period.
 * Shared by the manifest tests and the e2e step that runs the containers as local processes.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { quantity, type K8sObject } from './policy.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let binDir: string | undefined;
/** The bin directory of the pinned kubectl and kubernetes-validate (installed on first use). */
export function k8sTools(): string {
  binDir ??= execFileSync('bash', [path.join(ROOT, 'scripts', 'ensure-k8s-tools.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    .trim()
    .split('\n')
    .pop()!;
  return binDir;
}

/** `kubectl kustomize <dir>`, parsed. */
export function kustomize(dir: string): { yaml: string; objects: K8sObject[] } {
  return parsed(execFileSync(path.join(k8sTools(), 'kubectl'), ['kustomize', dir], { encoding: 'utf8' }));
}

/** The same without blocking, so several render side by side. */
export async function kustomizeAsync(dir: string): Promise<{ yaml: string; objects: K8sObject[] }> {
  const { stdout } = await promisify(execFile)(path.join(k8sTools(), 'kubectl'), ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return parsed(stdout);
}

const parsed = (yaml: string) => ({ yaml, objects: parseAllDocuments(yaml).map((d) => d.toJS() as K8sObject).filter(Boolean) });

/** What a user writes into an overlay's git-ignored secrets file (and, for KEDA on Redis, the keda.env of its switch). */
export function writeSecrets(overlayDir: string, values: Record<string, string>, kedaEnv?: string): void {
  writeFileSync(path.join(overlayDir, 'secrets.env'), Object.entries(values).map(([k, v]) => `${k}=${v}\n`).join(''));
  if (kedaEnv) writeFileSync(kedaEnv, 'address=redis.example.internal:6379\npassword=test\n');
}

export interface Container {
  /** Deployment or Job name. */
  owner: string;
  kind: string;
  spec: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  pod: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  command: string[];
  env: Record<string, string>;
}

/** Every container of the Deployments and Jobs, with its environment resolved as the kubelet does. */
export function containers(objects: K8sObject[]): Container[] {
  const byName = (kind: string, name: string) => {
    const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
    if (!o) throw new Error(`${kind} ${name} is referenced but not rendered`);
    return o;
  };
  return objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
    .flatMap((o) =>
      o.spec.template.spec.containers.map((c: any) => { // eslint-disable-line @typescript-eslint/no-explicit-any
        const env: Record<string, string> = {};
        for (const from of c.envFrom ?? []) {
          if (from.configMapRef) Object.assign(env, byName('ConfigMap', from.configMapRef.name).data);
          if (from.secretRef) {
            for (const [k, v] of Object.entries(byName('Secret', from.secretRef.name).data ?? {})) env[k] = Buffer.from(String(v), 'base64').toString('utf8');
          }
        }
        for (const e of c.env ?? []) {
          if (e.value !== undefined) env[e.name] = String(e.value);
          else if (e.valueFrom?.resourceFieldRef) {
            const ref = e.valueFrom.resourceFieldRef;
            const [kind, resource] = ref.resource.split('.');
            // The downward API rounds up to the divisor.
            env[e.name] = String(Math.ceil(quantity(c.resources[kind][resource]) / quantity(ref.divisor ?? '1')));
          } else throw new Error(`${o.metadata.name}/${c.name}: env ${e.name} has a source this test does not resolve`);
        }
        return { owner: o.metadata.name, kind: o.kind, spec: c, pod: o.spec.template.spec, command: [...(c.command ?? []), ...(c.args ?? [])], env };
      }),
    );
}
