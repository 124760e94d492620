/**
 * `twelve-django kubernetes` (= `yo twelve-django:kubernetes`) on projects that exist, and the manifests
 * living on through later subgenerators.
 */
import { describe, expect, test } from 'vitest';
import {
  applyEdit,
  changedFiles,
  edit,
  errorLine,
  executables,
  expectSameTree,
  generate,
  localEnv,
  read,
  readTree,
  stamps,
  sub,
  write,
  type Edit,
} from './helpers.js';

const TIMEOUT = 60_000;

describe('kubernetes: refusals', { timeout: TIMEOUT }, () => {
  test('a SQLite project is refused with one line, and nothing is written', async () => {
    const project = await generate(['--database', 'sqlite']);
    const before = stamps(project);
    const run = await sub(project, 'kubernetes', []);
    expect(run.code).toBe(1);
    expect(errorLine(run)).toBe(
      'generator-twelve-django: --kubernetes needs --database postgres or mysql, got --database sqlite: SQLite is one file on one machine, and pods run on several; choose --database postgres or mysql, or --no-kubernetes',
    );
    expect(stamps(project)).toEqual(before);
  });
});

/** Edits a team makes to its manifests after generating, away from what Celery adds. */
const OURS: Edit[] = [
  { file: 'deploy/kubernetes/base/deployments.yaml', find: '  name: shop-web\n  labels:\n', replace: '  name: shop-web\n  annotations:\n    team.example.com/owner: shop  # ours\n  labels:\n' },
  { file: 'deploy/kubernetes/base/deployments.yaml', find: '              memory: 384Mi\n            limits:\n              cpu: "2"\n              memory: 768Mi\n', replace: '              memory: 512Mi  # ours\n            limits:\n              cpu: "2"\n              memory: 1Gi  # ours\n' },
  { file: 'deploy/kubernetes/overlays/production/kustomization.yaml', find: '    newTag: "0.1.0"\n', replace: '    newTag: "2026.11.3"  # ours\n' },
  { file: 'deploy/kubernetes/overlays/production/ingress.yaml', find: '  ingressClassName: nginx\n', replace: '  ingressClassName: traefik  # ours\n' },
  { file: 'deploy/kubernetes/base/config.env', find: 'DJANGO_DEBUG=False\n', replace: 'DJANGO_DEBUG=False\nSHOP_FEATURE_FLAGS=checkout  # ours\n' },
];

describe('kubernetes: the manifests a team edited survive a later `celery`', { timeout: TIMEOUT }, () => {
  test('edits merge into the worker and beat Deployments Celery adds; the git-ignored secrets stay', async () => {
    const [fresh, project] = await Promise.all([generate(['--kubernetes', '--celery', '--broker', 'rabbitmq', '--beat']), generate(['--kubernetes'])]);
    const touched = changedFiles(readTree(project), readTree(fresh));
    expect(touched).toContain('deploy/kubernetes/base/deployments.yaml');
    for (const e of OURS) edit(project, e);
    const secrets = 'deploy/kubernetes/overlays/production/secrets.env';
    write(project, secrets, 'DJANGO_SECRET_KEY=ours\n');
    const run = await sub(project, 'celery', ['--broker', 'rabbitmq', '--beat']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('need your attention');
    const expected = new Map([...readTree(fresh)].map(([file, content]) => [file, OURS.filter((e) => e.file === file).reduce(applyEdit, content)]));
    expected.set(secrets, 'DJANGO_SECRET_KEY=ours\n');
    expectSameTree(readTree(project), new Map([...expected].sort(([a], [b]) => (a < b ? -1 : 1))));
    expect(read(project, 'deploy/kubernetes/base/deployments.yaml')).toMatch(/name: shop-worker[\s\S]*name: shop-beat/);
  });
});
