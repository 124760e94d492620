/**
 * The generated README's Kubernetes steps, executed as written (cluster.ts, deploy.ts) on every Kubernetes
 * combination of the e2e covering set, against a simulated cluster with the default storage of EKS, GKE and
 * DigitalOcean and no CRDs:
 * - a first deploy and a second release under a new tag: every command succeeds, every object of the overlay is
 *   applied, every Deployment rolled out on its own release's migrated database, the Job replaced;
 * - a release whose Job fails stops the sequence at `wait`: nothing rolls out (first deploy), the old release
 *   keeps serving (later ones);
 * - KEDA is opt-in: the overlay as generated needs no CRD; switched on as the README says, it fails without KEDA
 *   and hands the worker to KEDA with it.
 * The e2e `kubelet` step follows the same steps with a kubelet that runs the real processes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStoredAnswers } from '../../core/answers.js';
import { KUBERNETES_DIR } from '../../core/features/kubernetes.js';
import { buildModel, type Model } from '../../core/model.js';
import { render } from '../../core/render.js';
import { COMBINATIONS, expectedAnswers } from '../e2e/combinations.js';
import { templates } from '../helpers.js';
import { COMMON_STORAGE, type Cluster, type Kubelet } from './cluster.js';
import { clusterFor, deploySteps, kustomizeUnder, nameStorageClasses, switchOn, withTag, type DeploySteps, type UserSetup } from './deploy.js';

const work = mkdtempSync(path.join(tmpdir(), 'twelve-k8s-deploy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cases = COMBINATIONS.filter((c) => c.kubernetes);
/** A class that offers ReadWriteMany, for the claims the README asks to give one (EFS, Filestore, ...). */
const SHARED_CLASS = 'shared-files';
const STORAGE = { ...COMMON_STORAGE, [SHARED_CLASS]: ['ReadWriteMany', 'ReadWriteOnce'] };
const NEXT_TAG = '0.2.0';

interface Project {
  combo: string;
  model: Model;
  readme: string;
  steps: DeploySteps;
  files: Map<string, string>;
}
const projects: Project[] = [];

/** A fresh copy of the project's deploy files for one scenario. */
function setup(p: Project, scenario: string): UserSetup {
  const dir = path.join(work, p.combo, scenario);
  for (const [file, content] of p.files) {
    if (!file.startsWith(KUBERNETES_DIR) && file !== 'Dockerfile') continue;
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  const k = p.model.kubernetes!;
  const kubernetesDir = path.join(dir, KUBERNETES_DIR);
  nameStorageClasses(p.readme, kubernetesDir, SHARED_CLASS);
  return { dir, kubernetesDir, baseImage: k.image, secretsFile: k.secretsFile, secrets: Object.fromEntries(k.secrets.map((v) => [v.name, `test-${v.name.toLowerCase()}`])) };
}

const failingRelease: Kubelet = { job: async () => false, deployment: async () => true };
const ns = (p: Project) => p.model.kubernetes!.deployOverlay.namespace;
const images = (c: Cluster, kind: string) => c.live(kind).map((o) => `${o.metadata.name}=${o.spec.template.spec.containers[0].image}`);

beforeAll(() => {
  for (const c of cases) {
    const answers = checkStoredAnswers({ ...expectedAnswers(c), projectName: c.name });
    const files = render(answers, templates);
    const readme = files.get('README.md')!;
    projects.push({ combo: c.name, model: buildModel(answers), readme, steps: deploySteps(readme), files });
  }
});

describe("the README's Kubernetes steps, run as written against a simulated cluster", () => {
  it.concurrent.each(cases.map((c) => c.name))('%s: a first deploy, then a release under a new tag', async (combo) => {
    const p = projects.find((x) => x.combo === combo)!;
    const k = p.model.kubernetes!;
    const u = setup(p, 'deploy');
    const cluster = clusterFor(u, { storageClasses: STORAGE });
    const first = await cluster.runBlocks([...p.steps.once, ...p.steps.release]);
    expect(first.ok, first.transcript).toBe(true);
    expect(cluster.violations, first.transcript).toEqual([]);
    // Everything the overlay holds is in the cluster, and every Deployment rolled out.
    const all = await kustomizeUnder(u.kubernetesDir)(path.join(u.kubernetesDir, 'overlays', k.deployOverlay.name));
    const live = new Set(cluster.live().map((o) => `${o.kind}/${o.metadata.name}`));
    expect(all.map((o) => `${o.kind}/${o.metadata.name}`).filter((x) => !live.has(x)), first.transcript).toEqual([]);
    for (const w of k.workloads) expect(cluster.rolledOut(ns(p), w.name), `${w.name}\n${first.transcript}`).toBe(true);
    expect(cluster.jobComplete(ns(p), k.release!.name)).toBe(true);
    // The release ran before anything that serves: the Job is the first workload applied.
    expect(cluster.applied.filter((a) => a.kind === 'Job' || a.kind === 'Deployment')[0]?.kind).toBe('Job');

    const second = await cluster.runBlocks(withTag(p.steps.release, `${k.registryImage}:${k.firstTag}`, `${k.registryImage}:${NEXT_TAG}`));
    expect(second.ok, second.transcript).toBe(true);
    expect(cluster.violations, second.transcript).toEqual([]);
    const want = `${k.registryImage}:${NEXT_TAG}`;
    const running = [...images(cluster, 'Deployment'), ...images(cluster, 'Job')].sort();
    expect(running).toEqual([...k.workloads.map((w) => w.name), k.release!.name].map((n) => `${n}=${want}`).sort());
  });

  it.concurrent.each(cases.map((c) => c.name))('%s: a release whose Job fails stops the rollout', async (combo) => {
    const p = projects.find((x) => x.combo === combo)!;
    const k = p.model.kubernetes!;
    // The first deploy: nothing serves, nothing starts.
    const fresh = clusterFor(setup(p, 'fails-first'), { storageClasses: STORAGE, kubelet: failingRelease });
    const first = await fresh.runBlocks([...p.steps.once, ...p.steps.release]);
    expect(first.ok, first.transcript).toBe(false);
    expect(first.stoppedAt).toContain('wait --for=condition=complete');
    expect(fresh.live('Deployment'), first.transcript).toEqual([]);
    expect(fresh.violations).toEqual([]);

    // A later release: the old one keeps serving.
    const u = setup(p, 'fails-later');
    let releaseFails = false;
    const cluster = clusterFor(u, { storageClasses: STORAGE, kubelet: { job: async () => !releaseFails, deployment: async () => true } });
    expect((await cluster.runBlocks([...p.steps.once, ...p.steps.release])).ok).toBe(true);
    releaseFails = true;
    const later = await cluster.runBlocks(withTag(p.steps.release, `${k.registryImage}:${k.firstTag}`, `${k.registryImage}:${NEXT_TAG}`));
    expect(later.ok, later.transcript).toBe(false);
    expect(later.stoppedAt).toContain('wait --for=condition=complete');
    for (const line of images(cluster, 'Deployment')) expect(line.endsWith(`=${k.registryImage}:${k.firstTag}`), line).toBe(true);
    expect(cluster.violations).toEqual([]);
  });

  const queued = cases.filter((c) => c.celery).map((c) => c.name);
  it.concurrent.each(queued)('%s: KEDA is opt-in, and switched on as the README says it takes the worker over', async (combo) => {
    const p = projects.find((x) => x.combo === combo)!;
    const k = p.model.kubernetes!;
    expect(k.keda, 'a Celery project can scale its worker with KEDA').toBeDefined();
    expect(p.steps.keda.length).toBeGreaterThan(0);
    const overlayDir = (u: UserSetup) => path.join(u.kubernetesDir, 'overlays', k.deployOverlay.name);
    const enable = (u: UserSetup) => {
      switchOn(overlayDir(u), k.keda!.overlayComponent);
      if (k.keda!.workload.queue!.trigger === 'redis') writeFileSync(path.join(overlayDir(u), k.keda!.overlayComponent, k.kedaSecretsFile), 'address=redis.example.internal:6379\npassword=test\n');
    };
    // Without KEDA in the cluster, the switch is what fails, with kubectl's own words.
    const without = setup(p, 'keda-absent');
    const plain = clusterFor(without, { storageClasses: STORAGE });
    expect((await plain.runBlocks([...p.steps.once, ...p.steps.release])).ok).toBe(true);
    enable(without);
    const refused = await plain.runBlocks(p.steps.keda);
    expect(refused.ok).toBe(false);
    expect(refused.transcript).toContain('no matches for kind "ScaledObject" in version "keda.sh/v1alpha1"');

    const u = setup(p, 'keda');
    const cluster = clusterFor(u, { storageClasses: STORAGE, crds: ['keda.sh'] });
    expect((await cluster.runBlocks([...p.steps.once, ...p.steps.release])).ok).toBe(true);
    expect(cluster.live('ScaledObject')).toEqual([]);
    enable(u);
    const on = await cluster.runBlocks(p.steps.keda);
    expect(on.ok, on.transcript).toBe(true);
    expect(cluster.violations, on.transcript).toEqual([]);
    const worker = k.keda!.workload.name;
    expect(cluster.live('ScaledObject').map((o) => o.spec.scaleTargetRef.name)).toEqual([worker]);
    expect(cluster.live('HorizontalPodAutoscaler').map((o) => o.spec.scaleTargetRef.name)).not.toContain(worker);
  });

  it.each(cases.map((c) => c.name))('%s: a claim is ReadWriteMany only where pods share it, and the release Job mounts none', (combo) => {
    const p = projects.find((x) => x.combo === combo)!;
    const k = p.model.kubernetes!;
    for (const c of k.claims) {
      const users = k.workloads.filter((w) => c.users.includes(w.name));
      const onePod = users.length === 1 && users[0]!.replicas === 1 && users[0]!.strategy === 'Recreate';
      expect(c.accessMode, c.name).toBe(onePod ? 'ReadWriteOnce' : 'ReadWriteMany');
      for (const w of k.workloads) expect(w.volumes.some((v) => v.claimName === c.name), `${w.name} mounts ${c.name}`).toBe(c.users.includes(w.name));
    }
    expect(k.release!.volumes.filter((v) => v.kind === 'claim')).toEqual([]);
  });
});
