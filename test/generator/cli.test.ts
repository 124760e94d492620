/** The package's own bin, as `npx generator-twelve-django` runs it (no terminal, like CI). */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import { ANSWER_OPTIONS } from '../../core/options.js';

const CLI = fileURLToPath(new URL('../../lib/shell/cli.js', import.meta.url));

function cli(args: string[]) {
  const cwd = mkdtempSync(path.join(tmpdir(), 'twelve-django-cli-'));
  const run = execaSync(process.execPath, [CLI, ...args], { cwd, stdin: 'ignore', reject: false, stripFinalNewline: false });
  return { stdout: run.stdout, stderr: run.stderr, status: run.exitCode, cwd };
}

describe('generator-twelve-django (bin)', () => {
  it('--help lists every option with its choices and default', () => {
    const { stdout, status } = cli(['--help']);
    expect(status).toBe(0);
    for (const option of ANSWER_OPTIONS.filter((o) => o.name !== 'projectName')) {
      expect(stdout).toContain(`--${option.flag}`);
      if (option.kind === 'choice') expect(stdout).toContain(`one of ${option.choices.map((c) => c.value).join(', ')}; default `);
    }
  });

  it.each([
    [['my-site', '--yes', '--cache', 'mongodb'], 'generator-twelve-django: --cache "mongodb" is not a choice: use one of redis, memcached, none\n'],
    [['my-site', '--yes', '--no-celery', '--beat'], 'generator-twelve-django: --beat is only with --celery\n'],
    [['my-site', '--yes', '--sever', 'granian'], 'generator-twelve-django: unknown option --sever: allowed are'],
    [['global', '--yes'], 'generator-twelve-django: project name "global" cannot be used: "global" is a Python keyword'],
    [['my-site'], 'generator-twelve-django: no terminal to ask on: pass --description <text>'],
    [['celery', '--yes'], 'is not a twelve-django project (no "generator-twelve-django" entry in .yo-rc.json)'],
  ])('%j: one line on stderr, exit 1, nothing written', (args, message) => {
    const run = cli(args);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.startsWith(message) || run.stderr.includes(message)).toBe(true);
    expect(readdirSync(run.cwd)).toEqual([]);
  });

  it('generates non-interactively with --yes and flags', () => {
    const run = cli(['shop', '--yes', '--database', 'sqlite', '--skip-install', '--skip-git']);
    expect(run.status).toBe(0);
    expect(readdirSync(path.join(run.cwd, 'shop'))).toContain('manage.py');
  });
});
