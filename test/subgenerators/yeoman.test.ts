/**
 * The subgenerators under yeoman-test, as Yeoman tooling runs them (options passed as an object, a test adapter,
 * Yeoman's own file commit), on projects generated for the test. yeoman-test changes the process's directory,
 * so these run one after another.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { MARKERS, edit, expectSameTree, generate, read, readTree, tempDir, yeomanTest } from './helpers.js';

describe('under yeoman-test', { timeout: 60_000 }, () => {
  test(':celery with options gives the project generated with them', async () => {
    const [fresh, project] = await Promise.all([generate(['--celery', '--no-beat', '--broker', 'rabbitmq']), generate(['--no-celery'])]);
    await yeomanTest('celery').cd(project).withOptions({ beat: false, broker: 'rabbitmq', skipInstall: true });
    expectSameTree(readTree(project), readTree(fresh));
  });

  test(':whitenoise gives the project generated with it', async () => {
    const [fresh, project] = await Promise.all([generate(['--whitenoise']), generate(['--no-whitenoise'])]);
    await yeomanTest('whitenoise').cd(project).withOptions({ skipInstall: true });
    expectSameTree(readTree(project), readTree(fresh));
  });

  test('a conflict rejects the run; the file holds the markers', async () => {
    const project = await generate(['--no-celery']);
    // The Procfile merges by process type: only a `worker` of the user's own meets Celery's.
    edit(project, { file: 'Procfile', find: 'config.wsgi\n', replace: 'config.wsgi\nworker: python manage.py rqworker\n' });
    await expect(yeomanTest('celery').cd(project).withOptions({ yes: true, skipInstall: true })).rejects.toThrow(
      '1 file(s) need your attention',
    );
    expect(read(project, 'Procfile')).toContain(`${MARKERS.ours}\nworker: python manage.py rqworker\n${MARKERS.sep}\n`);
  });

  test('outside a project the run rejects with the one-line reason, writing nothing', async () => {
    const dir = tempDir('outside');
    await expect(yeomanTest('celery').cd(dir).withOptions({ yes: true, skipInstall: true })).rejects.toThrow(
      `${dir} is not a twelve-django project`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});
