/**
 * Where a subgenerator may run, when it has nothing to do, and which flags it takes. The error cases go through
 * the real bin (`node lib/shell/cli.js`), so the exit code and the one line on stderr are what a user sees.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ANSWER_OPTIONS } from '../../core/options.js';
import { SUBGENERATORS } from '../../core/subgenerators.js';
import { cli, expectSameTree, generate, read, readTree, stamps, sub, tempDir, type Run } from './helpers.js';

const TIMEOUT = 60_000;

/** A failed run: exit 1, and stderr is exactly one line, the CLI's. */
function expectOneLineError(run: Run, text: string | RegExp): void {
  expect(run.code).toBe(1);
  const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(typeof text === 'string' ? new RegExp(`^generator-twelve-django: .*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) : text);
}

const pause = () => new Promise((r) => setTimeout(r, 20));

describe.concurrent('outside a project of this generator: one clear line, nothing written', { timeout: TIMEOUT }, () => {
  test.for(SUBGENERATORS.map((s) => s.name))('%s in an empty directory', async (name) => {
    const dir = tempDir('empty');
    const run = await cli(dir, [name, '--yes', '--skip-install']);
    expectOneLineError(run, `${dir} is not a twelve-django project (no "generator-twelve-django" entry in .yo-rc.json): run this inside a project made by \`yo twelve-django\``);
    expect(readdirSync(dir)).toEqual([]);
  });

  test.for(SUBGENERATORS.map((s) => s.name))('%s in a project of another Yeoman generator', async (name) => {
    const dir = tempDir('other');
    writeFileSync(path.join(dir, '.yo-rc.json'), '{"generator-other": {"x": 1}}\n');
    mkdirSync(path.join(dir, 'config'));
    const before = stamps(dir);
    const run = await cli(dir, [name, '--yes', '--skip-install']);
    expectOneLineError(run, 'is not a twelve-django project');
    expect(stamps(dir)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['.yo-rc.json', 'config']);
  });

  test('from a subdirectory of a project, like git: it works on the project root', async () => {
    const [fresh, project] = await Promise.all([generate(['--celery']), generate(['--no-celery'])]);
    const run = await cli(path.join(project, 'config', 'settings'), ['celery', '--yes', '--skip-install']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Project root: ${project}`);
    expectSameTree(readTree(project), readTree(fresh));
  });

  test('a .yo-rc.json that is not JSON: refused, naming the file', async () => {
    const dir = tempDir('badjson');
    writeFileSync(path.join(dir, '.yo-rc.json'), '{ not json');
    const run = await cli(dir, ['celery', '--yes', '--skip-install']);
    // Yeoman reads the file before the generator does; its message names the file.
    expectOneLineError(run, /^generator-twelve-django: .*JSON.*\/\.yo-rc\.json/);
    expect(readdirSync(dir)).toEqual(['.yo-rc.json']);
  });
});

describe.concurrent('nothing to do: nothing written, and it says so', { timeout: TIMEOUT }, () => {
  test.for([
    ['celery', ['--celery'], 'Celery'],
    ['whitenoise', [], 'WhiteNoise'],
  ] as const)('%s on a project made with it', async ([name, flags, title]) => {
    const project = await generate([...flags]);
    const before = stamps(project);
    await pause();
    const run = await cli(project, [name, '--yes', '--skip-install']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`${title} is already in this project: nothing to change.`);
    expect(run.stderr).not.toMatch(/^\s+(create|force|conflict|identical)\s/m);
    expect(stamps(project)).toEqual(before);
  });

  test.for([
    ['celery', ['--no-beat', '--broker', 'rabbitmq'], 'Celery'],
    ['whitenoise', [], 'WhiteNoise'],
  ] as const)('%s run twice: the second run writes no file', async ([name, flags, title]) => {
    const project = await generate(['--no-celery', '--no-whitenoise']);
    const first = await sub(project, name, [...flags]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/^\s+(create|force)\s/m);
    const before = stamps(project);
    await pause();
    const second = await sub(project, name, [...flags]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`${title} is already in this project: nothing to change.`);
    expect(second.stderr).not.toMatch(/^\s+(create|force|conflict|identical)\s/m);
    expect(stamps(project)).toEqual(before);
  });
});

describe.concurrent('celery on a project that has Celery with other choices: the choice changes, edits kept', { timeout: TIMEOUT }, () => {
  test.for([
    [['--no-beat', '--broker', 'redis'], ['--broker', 'rabbitmq'], ['--no-beat', '--broker', 'rabbitmq']],
    [['--beat', '--broker', 'rabbitmq'], ['--no-beat'], ['--no-beat', '--broker', 'rabbitmq']],
  ] as const)('%s then %s', async ([from, change, to]) => {
    const [fresh, project] = await Promise.all([generate(['--celery', ...to]), generate(['--celery', ...from])]);
    const run = await sub(project, 'celery', [...change]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Celery is already in this project: changing --${change[0]!.replace(/^--(no-)?/, '')}.`);
    expectSameTree(readTree(project), readTree(fresh));
  });
});

describe.concurrent('flags come from the option declarations', { timeout: TIMEOUT }, () => {
  test('celery refuses an app option such as --database, listing what it takes', async () => {
    const project = await generate(['--no-celery']);
    const before = stamps(project);
    const run = await cli(project, ['celery', '--database', 'sqlite', '--yes', '--skip-install']);
    expectOneLineError(run, 'unknown option --database: allowed are --beat, --broker, --yes, --skip-install (see --help)');
    expect(stamps(project)).toEqual(before);
  });

  test('celery --broker kafka is refused naming the allowed values', async () => {
    const project = await generate(['--no-celery']);
    const before = stamps(project);
    const run = await cli(project, ['celery', '--broker', 'kafka', '--yes', '--skip-install']);
    const broker = ANSWER_OPTIONS.find((o) => o.name === 'broker')!;
    expect(broker.kind).toBe('choice');
    const values = (broker as { choices: { value: string }[] }).choices.map((c) => c.value);
    expectOneLineError(run, `--broker "kafka" is not a choice: use one of ${values.join(', ')}`);
    expect(stamps(project)).toEqual(before);
  });

  test('whitenoise takes no answer flags: --beat and --celery are unknown', async () => {
    const project = await generate(['--no-whitenoise']);
    for (const flag of ['--beat', '--celery']) {
      const run = await cli(project, ['whitenoise', flag]);
      expectOneLineError(run, `unknown option ${flag}: allowed are --yes, --skip-install (see --help)`);
    }
    expect(read(project, '.yo-rc.json')).toContain('"whitenoise": false');
  });

  test('without a terminal and without --yes, celery names the flags to pass; with them it runs', async () => {
    const project = await generate(['--no-celery']);
    const before = stamps(project);
    const asked = await cli(project, ['celery', '--skip-install']);
    expectOneLineError(asked, 'no terminal to ask on: pass --beat / --no-beat, --broker <redis|rabbitmq>, or --yes for the defaults');
    expect(stamps(project)).toEqual(before);
    const flagged = await sub(project, 'celery', ['--no-beat', '--broker', 'redis']);
    expect(flagged.code, flagged.stderr).toBe(0);
    expect(JSON.parse(read(project, '.yo-rc.json'))['generator-twelve-django']).toMatchObject({ celery: true, beat: false, broker: 'redis' });
  });

  test('--help of each subgenerator shows its options with the declared descriptions, and no others', async () => {
    const dir = tempDir('help');
    const [celery, whitenoise] = await Promise.all([cli(dir, ['celery', '--help']), cli(dir, ['whitenoise', '--help'])]);
    expect(celery.code).toBe(0);
    expect(whitenoise.code).toBe(0);
    // `--flag   # description` lines of the options table.
    const options = (r: Run) =>
      new Map([...(r.stdout + r.stderr).matchAll(/^\s+(?:-\w,\s+)?--([\w-]+)\s+# (.*?)\s*(?:Default: .*)?$/gm)].map((m) => [m[1]!, m[2]!]));
    const celeryOptions = options(celery);
    const whitenoiseOptions = options(whitenoise);
    for (const option of ANSWER_OPTIONS) {
      const inCelery = option.name === 'beat' || option.name === 'broker';
      expect(celeryOptions.has(option.flag), option.flag).toBe(inCelery);
      if (inCelery) expect(celeryOptions.get(option.flag)).toContain(option.description);
      expect(whitenoiseOptions.has(option.flag), option.flag).toBe(false);
    }
    expect(celeryOptions.has('yes') && celeryOptions.has('skip-install') && !celeryOptions.has('skip-git')).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe.concurrent('both subgenerators, in either order, give the project generated with both', { timeout: TIMEOUT }, () => {
  test.for([['celery', 'whitenoise'], ['whitenoise', 'celery']])('%s then %s', async ([first, second]) => {
    const [fresh, project] = await Promise.all([
      generate(['--celery', '--no-beat', '--broker', 'rabbitmq', '--whitenoise']),
      generate(['--no-celery', '--no-whitenoise']),
    ]);
    for (const name of [first!, second!]) {
      const result = await sub(project, name, name === 'celery' ? ['--no-beat', '--broker', 'rabbitmq'] : []);
      expect(result.code, result.stderr).toBe(0);
    }
    expectSameTree(readTree(project), readTree(fresh));
  });
});
