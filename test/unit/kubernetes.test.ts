/**
 * The Kubernetes manifests as the generator renders them (no kustomize): the base follows the policy on its own,
 * the secrets template and the ignore files agree with the env contract, the plan follows the model.
 * test/kubernetes/ renders every overlay with kubectl and validates against the Kubernetes schemas.
 */
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../core/model.js';
import { render } from '../../core/render.js';
import { TIMEOUTS } from '../../core/timeouts.js';
import { answersFor, templates } from '../helpers.js';
import { planOf, policyProblems, projectFacts, type K8sObject } from '../kubernetes/policy.js';

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
    expect(policyProblems(baseObjects(files, planOf(m).app), m, projectFacts(files), { rendered: false, keda: false })).toEqual([]);
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
      'docker push registry.example.com/my-site:1.0.0',
      'cp deploy/kubernetes/secrets.env.example deploy/kubernetes/overlays/production/secrets.env',
      'kubectl -n my-site-production delete job my-site-release --ignore-not-found',
      "kubectl apply -k deploy/kubernetes/overlays/production -l 'app.kubernetes.io/component in (config,release)'",
      'kubectl -n my-site-production wait --for=condition=complete job/my-site-release',
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
    const w = Object.fromEntries(planOf(m).workloads.map((x) => [x.process.name, x]));
    expect(w.beat).toMatchObject({ replicas: 1, strategy: 'Recreate' });
    expect(w.beat!.hpa).toBeUndefined();
    expect(w.web!.terminationGracePeriodSeconds).toBe(TIMEOUTS.preStop + m.web.stopSeconds!);
    expect(w.worker!.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(TIMEOUTS.taskHard);
    expect(w.worker!.queue).toMatchObject({ trigger: 'rabbitmq', name: 'celery', brokerUrlEnv: 'CELERY_BROKER_URL' });
    expect(planOf(m).release?.process.command).toEqual(['./release.sh']);
  });

  it('mounts writable space exactly where the model declares it', async () => {
    const answers = await answersFor({ kubernetes: true });
    const m = buildModel(answers);
    // Scratch space (emptyDir), then the state that outlives a pod (claims): uploads at least.
    expect(planOf(m).volumes.map((v) => v.path)).toEqual([...m.writablePaths.map((w) => w.path), ...m.appVolumes.map((v) => v.path)]);
    expect(m.appVolumes.map((v) => v.path)).toContain('/app/media');
    expect(m.writablePaths.map((w) => w.path)).toContain('/tmp');
  });

  it('the image and the pods run as the same numeric user', async () => {
    const answers = await answersFor({ kubernetes: true });
    const files = render(answers, templates);
    const uid = buildModel(answers).appUser.uid;
    expect(files.get('Dockerfile')).toContain(`USER ${uid}:`);
    expect(files.get(`${D}/base/deployments.yaml`)).toContain(`runAsUser: ${uid}`);
  });
});
