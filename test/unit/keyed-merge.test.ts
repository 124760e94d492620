/** core/keyed-merge.ts through decide(): files of keyed entries merge entry by entry. */
import { describe, expect, test } from 'vitest';
import { decide } from '../../core/merge.js';
import { keyedFormat, parseKeyed } from '../../core/keyed-merge.js';

const ENV_BASE = '# Header.\n# Second header line.\n\n# The port.\nPORT=8000\n\n# Workers.\nWEB_CONCURRENCY=2\n';
const ENV_THEIRS = `${ENV_BASE}\n# Celery broker.\nCELERY_BROKER_URL=redis://HOST/1\n`;

describe('keyedFormat', () => {
  test.each([
    ['Procfile', 'Procfile'],
    ['.env.example', 'dotenv'],
    ['.env', 'dotenv'],
    ['.gitignore', 'ignore file'],
    ['.dockerignore', 'ignore file'],
    ['config/settings/base.py', 'Python settings module'],
    ['config/settings/production.py', 'Python settings module'],
    ['pyproject.toml', 'pyproject.toml'],
  ])('%s merges as a %s', (path, name) => expect(keyedFormat(path)?.name).toBe(name));
  test.each(['config/urls.py', 'shop/tasks.py', 'docker-compose.yml', 'README.md'])('%s merges by line', (path) =>
    expect(keyedFormat(path)).toBeUndefined(),
  );
});

describe('parseKeyed', () => {
  test('each variable keeps the comment block above it; the header stays the header', () => {
    const parsed = parseKeyed(ENV_BASE, keyedFormat('.env.example')!)!;
    expect(parsed.head).toBe('# Header.\n# Second header line.\n');
    expect(parsed.entries).toEqual([
      { key: 'PORT', comments: '\n# The port.\n', body: 'PORT=8000\n' },
      { key: 'WEB_CONCURRENCY', comments: '\n# Workers.\n', body: 'WEB_CONCURRENCY=2\n' },
    ]);
  });
  test('a key twice or conflict markers: not keyed (the line merge takes over)', () => {
    expect(parseKeyed('A=1\nA=2\n', keyedFormat('.env')!)).toBeUndefined();
    expect(parseKeyed('<<<<<<< yours\nA=1\n=======\nA=2\n>>>>>>> twelve-django\n', keyedFormat('.env')!)).toBeUndefined();
  });
});

describe('decide on keyed files', () => {
  test('both sides append different variables at the end: both kept, the generator’s after its predecessor', () => {
    const ours = `${ENV_BASE}\n# Ours.\nORDER_RETENTION_DAYS=90\n`;
    expect(decide(ENV_BASE, ENV_THEIRS, ours, '.env.example')).toEqual({
      kind: 'write',
      content: `${ENV_BASE}\n# Celery broker.\nCELERY_BROKER_URL=redis://HOST/1\n\n# Ours.\nORDER_RETENTION_DAYS=90\n`,
    });
    // The line merge (any other path) calls the same edit a conflict: the bug this module fixes.
    expect(decide(ENV_BASE, ENV_THEIRS, ours, 'settings.txt')).toMatchObject({ conflict: expect.any(String) });
  });

  test('the user changed a value, the generator its comment: both changes, no conflict', () => {
    const theirs = ENV_BASE.replace('# Workers.', '# Worker processes.');
    const ours = ENV_BASE.replace('WEB_CONCURRENCY=2', 'WEB_CONCURRENCY=8');
    expect(decide(ENV_BASE, theirs, ours, '.env.example')).toEqual({
      kind: 'write',
      content: ENV_BASE.replace('# Workers.', '# Worker processes.').replace('WEB_CONCURRENCY=2', 'WEB_CONCURRENCY=8'),
    });
  });

  test('the same key changed differently on both sides: markers around that entry only', () => {
    const action = decide('web: a\n', 'web: b\nworker: w\n', 'clock: c\nweb: ours\n', 'Procfile');
    expect(action).toEqual({
      kind: 'write',
      content: 'clock: c\n<<<<<<< yours\nweb: ours\n=======\nweb: b\n>>>>>>> twelve-django\nworker: w\n',
      conflict: expect.stringContaining('resolve the markers'),
    });
  });

  test('the same key added identically on both sides is no conflict', () => {
    expect(decide('web: a\n', 'web: a\nworker: w\n', 'web: a\nworker: w\nclock: c\n', 'Procfile')).toEqual({ kind: 'keep' });
  });

  test('removals: the generator’s of an untouched entry apply; the user’s of an unchanged one stay', () => {
    expect(decide('web: a\nbeat: b\n', 'web: a\n', 'web: a\nbeat: b\nclock: c\n', 'Procfile')).toEqual({ kind: 'write', content: 'web: a\nclock: c\n' });
    expect(decide('web: a\nbeat: b\n', 'web: a\nbeat: b\nworker: w\n', 'web: a\n', 'Procfile')).toEqual({ kind: 'write', content: 'web: a\nworker: w\n' });
  });

  test('an entry the user removed and the generator changed comes back inside markers', () => {
    const action = decide('web: a\nbeat: b\n', 'web: a\nbeat: b2\n', 'web: a\n', 'Procfile');
    expect(action).toEqual({
      kind: 'write',
      content: 'web: a\n<<<<<<< yours\n=======\nbeat: b2\n>>>>>>> twelve-django\n',
      conflict: expect.any(String),
    });
  });

  test('a last line without a newline, and CRLF checkouts', () => {
    expect(decide('web: a\n', 'web: a\nworker: w\n', 'web: a\nclock: c', 'Procfile')).toEqual({ kind: 'write', content: 'web: a\nworker: w\nclock: c' });
    const crlf = (t: string) => t.replace(/\n/g, '\r\n');
    expect(decide(ENV_BASE, ENV_THEIRS, crlf(`${ENV_BASE}X=1\n`), '.env.example')).toEqual({
      kind: 'write',
      content: crlf(`${ENV_THEIRS}X=1\n`),
    });
  });

  test('ignore files: patterns appended on both sides are both kept', () => {
    expect(decide('.env\n.venv/\n', '.env\n.venv/\n.cache/\n', '.env\n.venv/\n*.log\n', '.gitignore')).toEqual({
      kind: 'write',
      content: '.env\n.venv/\n.cache/\n*.log\n',
    });
  });
});
