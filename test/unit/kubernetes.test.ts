/**
 * The Kubernetes manifests as the generator renders them (no kustomize): the base follows the policy on its own,
 * the secrets template and the ignore files agree with the env contract, the plan follows the model.
 * test/kubernetes/ renders every overlay with kubectl and validates against the Kubernetes schemas.
 */
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../core/model.js';
import { kubernetesPlan } from '../../core/features/kubernetes.js';
import { render } from '../../core/render.js';
import { TIMEOUTS } from '../../core/timeouts.js';
import { answersFor, templates } from '../helpers.js';
import { policyProblems, projectFacts, type K8sObject } from '../kubernetes/policy.js';

const D = 'deploy/kubernetes';
const envFile = (text: string) =>
  Object.fromEntries(text.split('\n').filter((l) => /^[A-Z]/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

/** The base's objects, its ConfigMap made from config.env as the configMapGenerator makes it. */
function baseObjects(files: Map<string, string>, app: string): K8sObject[] {
  const docs = ['deployments.yaml', 'release-job.yaml', 'service.yaml', 'availability.yaml'].flatMap((f) =>
    parseAllDocuments(files.get(`${D}/base/${f}`)!).map((d) => d.toJS() as K8sObject).filter(Boolean),
  );
  return [...docs, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${app}-config` }, data: envFile(files.get(`${D}/base/config.env`)!) }];
}

const VARIANTS = [
  {},
  { celery: true, broker: 'rabbitmq', beat: true, server: 'uvicorn', cache: 'memcached', database: 'mysql' },
  { celery: true, broker: 'redis', beat: false, server: 'granian', cache: 'none' },
];

describe('kubernetes: the base as rendered', () => {
  it.each(VARIANTS)('follows the policy for %j', async (flags) => {
    const answers = await answersFor({ ...flags, kubernetes: true });
    const files = render(answers, templates);
    const m = buildModel(answers);
    expect(policyProblems(baseObjects(files, m.kubernetes!.app), m, projectFacts(files), { rendered: false, keda: false })).toEqual([]);
  });

  it.each(VARIANTS)('secrets.env.example lists exactly the secret variables of .env.example, and git and the image ignore the real ones (%j)', async (flags) => {
    const files = render(await answersFor({ ...flags, kubernetes: true }), templates);
    const facts = projectFacts(files);
    const secret = [...facts.env].filter(([, s]) => s).map(([n]) => n);
    expect(Object.keys(envFile(files.get(`${D}/secrets.env.example`)!))).toEqual(secret);
    for (const ignore of ['.gitignore', '.dockerignore']) expect(files.get(ignore)!.split('\n'), ignore).toContain(`${D}/**/secrets.env`);
  });

  it('writes no Kubernetes file without --kubernetes, and stores the answer', async () => {
    const files = render(await answersFor({ celery: true }), templates);
    expect([...files.keys()].filter((f) => f.startsWith('deploy/'))).toEqual([]);
    expect(files.get('.gitignore')).not.toContain('secrets.env');
    expect(JSON.parse(files.get('.yo-rc.json')!)['generator-twelve-django'].kubernetes).toBe(false);
  });

  it('the overlays point the env contract hosts at their own Ingress host', async () => {
    const files = render(await answersFor({ kubernetes: true }), templates);
    const staging = envFile(files.get(`${D}/overlays/staging/config.env`)!);
    expect(staging).toEqual({
      DJANGO_ALLOWED_HOSTS: 'staging.example.com',
      DJANGO_DEFAULT_FROM_EMAIL: 'webmaster@staging.example.com',
      DJANGO_CSRF_TRUSTED_ORIGINS: 'https://staging.example.com',
    });
    expect(files.get(`${D}/overlays/staging/ingress.yaml`)).toContain('host: staging.example.com');
  });

  it('the README says how to deploy: build, secret, release Job, apply, rollout, admin process, roll back', async () => {
    const readme = render(await answersFor({ kubernetes: true, celery: true }), templates).get('README.md')!;
    for (const text of [
      '## Deploy to Kubernetes',
      'docker push registry.example.com/my-site:0.1.0',
      'cp deploy/kubernetes/secrets.env.example deploy/kubernetes/overlays/production/secrets.env',
      'kubectl -n my-site-production delete job my-site-release --ignore-not-found',
      "kubectl apply -k deploy/kubernetes/overlays/production -l 'app.kubernetes.io/component in (config,release)'",
      'kubectl -n my-site-production wait --for=condition=complete job/my-site-release --timeout=600s &&',
      'kubectl -n my-site-production rollout status deployment/my-site-worker',
      'kubectl -n my-site-production exec -it deployment/my-site-web -- python manage.py createsuperuser',
      'kubectl -n my-site-production rollout undo deployment/my-site-web',
    ]) {
      expect(readme).toContain(text);
    }
  });
});

describe('kubernetes: the plan follows the model', () => {
  it('beat runs alone, the worker outlasts its tasks, web outlasts preStop plus its drain', async () => {
    const m = buildModel(await answersFor({ kubernetes: true, celery: true, beat: true, broker: 'rabbitmq' }));
    const w = Object.fromEntries(m.kubernetes!.workloads.map((x) => [x.process.name, x]));
    expect(w.beat).toMatchObject({ replicas: 1, strategy: 'Recreate' });
    expect(w.beat!.hpa).toBeUndefined();
    expect(w.web!.terminationGracePeriodSeconds).toBe(TIMEOUTS.preStop + m.web.stopSeconds!);
    expect(w.worker!.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(TIMEOUTS.taskHard);
    expect(w.worker!.queue).toMatchObject({ trigger: 'rabbitmq', name: 'celery', brokerUrlEnv: 'CELERY_BROKER_URL' });
    expect(m.kubernetes!.release?.process.command).toEqual(['./release.sh']);
  });

  it('mounts writable space where the model declares it, and claims only in the processes that keep state', async () => {
    const answers = await answersFor({ kubernetes: true, celery: true, beat: true });
    const m = buildModel(answers);
    const k = m.kubernetes!;
    // Scratch space (emptyDir), then the state that outlives a pod (claims).
    for (const w of k.workloads) {
      expect(w.volumes.filter((v) => v.kind === 'emptyDir').every((v) => m.writablePaths.some((p) => p.path === v.path))).toBe(true);
      expect(w.volumes.filter((v) => v.kind === 'claim').every((v) => m.appVolumes.some((p) => p.path === v.path))).toBe(true);
    }
    expect(k.release!.volumes.filter((v) => v.kind === 'claim')).toEqual([]);
    expect(k.release!.volumes.map((v) => v.path)).toContain('/tmp');
    expect(k.claims.map((c) => c.path)).toEqual(m.appVolumes.map((v) => v.path));
  });

  it('a claim is ReadWriteOnce when one singleton pod mounts it, ReadWriteMany only when pods share it', async () => {
    const answers = await answersFor({ kubernetes: true, celery: true, beat: true });
    const m = buildModel(answers);
    const only = (names: string[]) => kubernetesPlan({ ...m, appVolumes: [{ name: 'state', path: '/state', processes: names } as never] }).claims;
    expect(only(['beat'])).toMatchObject([{ accessMode: 'ReadWriteOnce', users: ['my-site-beat'] }]);
    expect(only(['web'])).toMatchObject([{ accessMode: 'ReadWriteMany', users: ['my-site-web'] }]);
    expect(only(['beat', 'worker'])).toMatchObject([{ accessMode: 'ReadWriteMany' }]);
    // A volume no process of the project writes gets no claim.
    expect(only(['nobody'])).toEqual([]);
    // The release mounts a claim only when the volume names it; then its deploy step applies the claim first.
    const released = kubernetesPlan({ ...m, appVolumes: [{ name: 'state', path: '/state', processes: ['release'] } as never] });
    expect(released.claims).toMatchObject([{ accessMode: 'ReadWriteMany', users: ['my-site-release'] }]);
    expect(released.release!.components).toEqual(['config', 'storage', 'release']);
    expect(kubernetesPlan({ ...m, appVolumes: [{ name: 'state', path: '/state' } as never] }).release!.volumes.filter((v) => v.kind === 'claim')).toEqual([]);
    const beat = kubernetesPlan({ ...m, appVolumes: [{ name: 'state', path: '/state', processes: ['beat'] } as never] }).workloads;
    expect(beat.map((w) => [w.process.name, w.volumes.some((v) => v.kind === 'claim')])).toEqual([
      ['web', false],
      ['worker', false],
      ['beat', true],
    ]);
  });

  it('the KEDA trigger reads the broker URL of the model: its database and address', async () => {
    const m = buildModel(await answersFor({ kubernetes: true, celery: true, broker: 'redis' }));
    const url = new URL(m.env.find((v) => v.name === 'CELERY_BROKER_URL')!.example);
    expect(m.kubernetes!.keda!.workload.queue).toMatchObject({ trigger: 'redis', databaseIndex: url.pathname.slice(1), address: url.host });
    const other = kubernetesPlan({ ...m, env: m.env.map((v) => (v.name === 'CELERY_BROKER_URL' ? { ...v, example: 'rediss://cache.internal:6380/7' } : v)) });
    expect(other.keda!.workload.queue).toMatchObject({ databaseIndex: '7', address: 'cache.internal:6380' });
  });

  it.each(['gunicorn', 'uvicorn'])('with %s, only the web Deployment speaks of gunicorn and mounts its heartbeat directory', async (server) => {
    const files = render(await answersFor({ kubernetes: true, celery: true, beat: true, server }), templates);
    const docs = parseAllDocuments(files.get(`${D}/base/deployments.yaml`)!).map((d) => ({ text: String(d), obj: d.toJS() as K8sObject }));
    const job = files.get(`${D}/base/release-job.yaml`)!;
    for (const { text, obj } of docs.filter((d) => d.obj?.kind === 'Deployment')) {
      const web = obj.metadata.name.endsWith('-web');
      expect(/gunicorn/i.test(text), obj.metadata.name).toBe(web);
      expect(JSON.stringify(obj.spec.template.spec.volumes).includes('/dev/shm') || text.includes('mountPath: /dev/shm'), obj.metadata.name).toBe(web);
    }
    expect(job).not.toMatch(/gunicorn|\/dev\/shm|persistentVolumeClaim/);
  });

  it('the image and the pods run as the same numeric user', async () => {
    const answers = await answersFor({ kubernetes: true });
    const files = render(answers, templates);
    const uid = buildModel(answers).appUser.uid;
    expect(files.get('Dockerfile')).toContain(`USER ${uid}:`);
    expect(files.get(`${D}/base/deployments.yaml`)).toContain(`runAsUser: ${uid}`);
  });
});
