/**
 * Every overlay of every Kubernetes combination of the e2e covering set, rendered by `kubectl kustomize` (the
 * kubectl that `scripts/ensure-k8s-tools.sh` installs), then:
 * - validated strictly against the official OpenAPI schemas of two Kubernetes minor versions
 *   (kubernetes-validate, all objects of a version in one call), KEDA's objects against KEDA's CRD schemas
 *   (compiled into @kubernetes-models/keda);
 * - checked against the policy of issue 9 (policy.ts).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStoredAnswers } from '../../core/answers.js';
import { buildModel } from '../../core/model.js';
import { render } from '../../core/render.js';
import { KUBERNETES_DIR } from '../../core/features/kubernetes.js';
import { COMBINATIONS, expectedAnswers } from '../e2e/combinations.js';
import { templates } from '../helpers.js';
import { switchOn } from './deploy.js';
import { k8sTools, kustomizeAsync, writeSecrets } from './kubelet.js';
import { policyProblems, projectFacts, type K8sObject } from './policy.js';

/** Two supported minor versions: the oldest we promise and the newest the validator knows. */
export const KUBERNETES_VERSIONS = ['1.35.0', '1.37.0'];
const KEDA_KINDS: Record<string, { validate(o: unknown): void }> = {
  ScaledObject: { validate: (o) => new ScaledObject(o as never).validate() },
  TriggerAuthentication: { validate: (o) => new TriggerAuthentication(o as never).validate() },
};

let bin = '';
const work = mkdtempSync(path.join(tmpdir(), 'twelve-k8s-'));

function answersOf(c: (typeof COMBINATIONS)[number]) {
  return checkStoredAnswers({ ...expectedAnswers(c), projectName: c.name });
}

interface Rendered {
  combo: string;
  overlay: string;
  file: string;
  objects: K8sObject[];
  problems: string[];
}
const rendered: Rendered[] = [];
const cases = COMBINATIONS.filter((c) => c.kubernetes);

beforeAll(async () => {
  bin = k8sTools();
  const t0 = Date.now();
  const renders: Promise<void>[] = [];
  for (const c of cases) {
    const answers = answersOf(c);
    const model = buildModel(answers);
    const files = render(answers, templates);
    const dir = path.join(work, c.name);
    for (const [file, content] of files) {
      if (!file.startsWith(KUBERNETES_DIR) && !['.env.example', 'Dockerfile', 'Procfile'].includes(file)) continue;
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), content);
    }
    const facts = projectFacts(files);
    const k = model.kubernetes!;
    const secrets = Object.fromEntries(k.secrets.map((v) => [v.name, `test-${v.name.toLowerCase()}`]));
    // Each overlay as generated (KEDA off), and for a queue worker also with its KEDA switch on.
    for (const o of k.overlays) {
      for (const keda of k.keda ? [false, true] : [false]) {
        const overlayDir = path.join(dir, `${KUBERNETES_DIR}${keda ? '-keda' : ''}`, 'overlays', o.name);
        if (keda) {
          if (o === k.overlays[0]) cpSync(path.join(dir, KUBERNETES_DIR), path.join(dir, `${KUBERNETES_DIR}-keda`), { recursive: true });
          switchOn(overlayDir, k.keda!.overlayComponent);
        }
        const kedaEnv = keda && k.keda!.workload.queue!.trigger === 'redis' ? path.join(overlayDir, k.keda!.overlayComponent, k.kedaSecretsFile) : undefined;
        writeSecrets(overlayDir, secrets, kedaEnv);
        const file = path.join(work, `${c.name}-${o.name}${keda ? '-keda' : ''}.yaml`);
        // Side by side: each kubectl process mostly waits to start.
        renders.push(
          kustomizeAsync(overlayDir).then(({ yaml, objects }) => {
            writeFileSync(file, yaml);
            rendered.push({ combo: c.name, overlay: `${o.name}${keda ? ' (KEDA on)' : ''}`, file, objects, problems: policyProblems(objects, model, facts, { rendered: true, keda }) });
          }),
        );
      }
    }
  }
  await Promise.all(renders);
  console.log(`kubernetes: kubectl kustomize rendered ${rendered.length} overlays of ${cases.length} combinations in ${Date.now() - t0} ms`);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('kubernetes manifests, rendered by kubectl kustomize', () => {
  it('the covering set has Kubernetes projects with every database server, cache, broker and server', () => {
    for (const key of ['database', 'cache', 'server'] as const) {
      const seen = new Set(cases.map((c) => c[key]));
      const all = new Set(COMBINATIONS.filter((c) => c.database !== 'sqlite').map((c) => c[key]));
      expect([...seen].sort()).toEqual([...all].sort());
    }
    expect(new Set(cases.map((c) => c.broker ?? 'none'))).toEqual(new Set(['none', 'redis', 'rabbitmq']));
  });

  it('renders every overlay of every combination, and each with KEDA switched on where the worker has a queue', () => {
    const kedaOn = rendered.filter((r) => r.overlay.endsWith('(KEDA on)'));
    expect(new Set(kedaOn.map((r) => r.combo))).toEqual(new Set(cases.filter((c) => c.celery).map((c) => c.name)));
    // As generated, no overlay needs KEDA's CRDs.
    for (const r of rendered.filter((x) => !kedaOn.includes(x))) expect(r.objects.filter((o) => o.apiVersion.startsWith('keda.sh/')), `${r.combo} ${r.overlay}`).toEqual([]);
  });

  it('every overlay follows the policy', () => {
    expect(rendered.length).toBeGreaterThan(cases.length);
    for (const r of rendered) {
      expect(r.objects.length, `${r.combo} ${r.overlay}`).toBeGreaterThan(5);
      expect(r.problems, `${r.combo} ${r.overlay}`).toEqual([]);
    }
  });

  // One validator call per version for every object, the versions side by side (two cores).
  it.concurrent.each(KUBERNETES_VERSIONS)('every object validates strictly against Kubernetes %s (KEDA objects against KEDA CRD schemas)', { timeout: 120_000 }, async (version) => {
    const t0 = Date.now();
    const r = await promisify(execFile)(path.join(bin, 'kubernetes-validate'), ['--strict', '--quiet', '-k', version, ...rendered.map((x) => x.file)], { encoding: 'utf8' }).then(
      (x) => ({ ...x, status: 0 }),
      (e: { stdout: string; stderr: string; code: number }) => ({ stdout: e.stdout, stderr: e.stderr, status: e.code }),
    );
    const lines = r.stdout.split('\n').filter(Boolean);
    // No schema for a kind is a warning there: only KEDA's kinds may lack one, and they are checked below.
    const unexpected = lines.filter((l) => !/^WARN .* kind (ScaledObject|TriggerAuthentication) /.test(l) && !/keda\.sh/.test(l));
    expect(unexpected, r.stderr).toEqual([]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    let keda = 0;
    for (const x of rendered) {
      for (const o of x.objects.filter((y) => y.apiVersion.startsWith('keda.sh/'))) {
        expect(KEDA_KINDS[o.kind], `${x.combo} ${x.overlay}: ${o.kind}`).toBeDefined();
        expect(() => KEDA_KINDS[o.kind]!.validate(o), `${x.combo} ${x.overlay}: ${o.kind}`).not.toThrow();
        keda++;
      }
    }
    expect(keda).toBeGreaterThan(0);
    console.log(`kubernetes-validate ${version}: ${rendered.reduce((n, x) => n + x.objects.length, 0)} objects in ${rendered.length} files, ${keda} KEDA objects, ${Date.now() - t0} ms`);
  });
});
