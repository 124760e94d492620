import { describe, expect, it } from 'vitest';
import { InputError, checkStoredAnswers, choiceStates, resolveAnswers, storedAnswers } from '../../core/answers.js';
import { optionByName } from '../../core/options.js';
import { projectDirectory, projectNameProblem, toSlug } from '../../core/slug.js';
import { answersFor } from '../helpers.js';

const refuse = (flags: Record<string, unknown>, opts: { yes?: boolean } = { yes: true }) =>
  resolveAnswers({ projectName: 'my-site', ...flags }, { yes: opts.yes ?? false });

describe('resolving answers', () => {
  it('takes every default under --yes', async () => {
    expect(await answersFor()).toEqual({
      projectName: 'my-site', description: 'A twelve-factor Django project', authorName: '', authorEmail: '',
      python: '3.13', django: '5.2', database: 'postgres', cache: 'redis', celery: false, server: 'gunicorn', whitenoise: true, kubernetes: false,
    });
  });

  it('fills beat and broker only when Celery is on', async () => {
    const a = await answersFor({ celery: true });
    expect(a.beat).toBe(true);
    expect(a.broker).toBe('redis');
    expect(await answersFor({ celery: true, beat: false, broker: 'rabbitmq' })).toMatchObject({ beat: false, broker: 'rabbitmq' });
  });

  it.each([
    [{ database: 'oracle' }, '--database "oracle" is not a choice: use one of postgres, mysql, sqlite'],
    [{ server: 'waitress' }, '--server "waitress" is not a choice: use one of gunicorn, uvicorn, granian'],
    [{ python: '3.10' }, '--python "3.10" is not a choice: use one of 3.11, 3.12, 3.13, 3.14'],
    [{ beat: true }, '--beat is only with --celery'],
    [{ broker: 'redis' }, '--broker is only with --celery'],
    [{ celery: false, broker: 'rabbitmq' }, '--broker is only with --celery'],
    [{ django: '6.1', python: '3.11' }, '--django 6.1 needs --python 3.12, 3.13 or 3.14, got --python 3.11: Django 6.1 supports Python 3.12 and newer; choose --python 3.12, 3.13 or 3.14, or --django 5.2'],
    [{ authorEmail: 'not an email' }, '--author-email "not an email" cannot be used'],
    [{ celery: 'maybe' }, '--celery takes no value'],
    [{ database: 'sqlite', kubernetes: true }, '--kubernetes needs --database postgres or mysql, got --database sqlite: SQLite is one file on one machine, and pods run on several; choose --database postgres or mysql, or --no-kubernetes'],
  ])('refuses %j in one line naming the option', async (flags, message) => {
    const error = await refuse(flags).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it.each([
    ['', 'it is empty'],
    ['class', '"class" is a Python keyword'],
    ['django', 'it would shadow Django'],
    ['test', 'shadow the standard library test package'],
    ['email', '"email" is a standard-library module'],
    ['Asyncio', '"asyncio" is a standard-library module'],
    ['2fast', 'must start with a letter'],
    ['---', 'no letters or digits'],
    ['a/b', 'directory name, not a path'],
    ['celery', 'it would shadow Celery'],
    ['a'.repeat(51), 'it is 51 characters long; keep it to 50'],
  ])('refuses the project name %j', async (name, reason) => {
    expect(projectNameProblem(name)).toContain(reason);
    await expect(resolveAnswers({ projectName: name }, { yes: true })).rejects.toThrow(reason);
  });

  it('derives a Python-safe slug', () => {
    expect(toSlug('My Site')).toBe('my_site');
    expect(toSlug('shop-api.v2')).toBe('shop_api_v2');
    expect(projectNameProblem('My Site')).toBeUndefined();
  });

  it('writes to a directory a shell takes unquoted: names that need quoting become the slug with dashes', () => {
    expect(projectDirectory('My Shop')).toBe('my-shop');
    expect(projectDirectory('  My   Shop  ')).toBe('my-shop');
    expect(projectDirectory("Bob's Shop & Co")).toBe('bob-s-shop-co');
    expect(projectDirectory('Café $HOME')).toBe('caf-home');
    // names already safe in a shell stay as typed (re-running with the same name finds the same directory)
    for (const name of ['my-site', 'shop_api', 'MySite', 'shop-api.v2']) expect(projectDirectory(name)).toBe(name);
  });

  it('without a terminal or --yes, names every flag still missing', async () => {
    const error = (await refuse({ database: 'mysql' }, { yes: false }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^no terminal to ask on: pass --description <text>, /);
    expect(error.message).toContain('--python <3.11|3.12|3.13|3.14>');
    expect(error.message).toContain('--celery / --no-celery');
    expect(error.message).not.toContain('--database');
    expect(error.message).not.toContain('--beat');
  });

  it('asks, in declaration order, only what was not given', async () => {
    const asked: string[] = [];
    const answers = await resolveAnswers(
      { projectName: 'x-site', database: 'sqlite' },
      {
        yes: false,
        ask: async (option, fallback) => {
          asked.push(option.name);
          return option.name === 'celery' ? true : fallback;
        },
      },
    );
    // Kubernetes is not asked: with SQLite the declared rule leaves it a single value.
    expect(asked).toEqual(['description', 'authorName', 'authorEmail', 'python', 'django', 'cache', 'celery', 'beat', 'broker', 'server', 'whitenoise']);
    expect(answers).toMatchObject({ database: 'sqlite', celery: true, beat: true, broker: 'redis', kubernetes: false });
  });

  it('says which choices the rules refuse and why, and asks nothing when one is left', async () => {
    expect(choiceStates(optionByName('django'), { python: '3.11' })).toEqual([
      { value: '5.2' },
      { value: '6.1', refused: expect.stringContaining('--django 6.1 needs --python 3.12, 3.13 or 3.14, got --python 3.11') },
    ]);
    expect(choiceStates(optionByName('django'), { python: '3.13' })).toEqual([{ value: '5.2' }, { value: '6.1' }]);
    const asked: string[] = [];
    const answers = await resolveAnswers({ projectName: 'x-site', python: '3.11' }, { yes: false, ask: async (option, fallback) => (asked.push(option.name), fallback) });
    expect(asked).not.toContain('django');
    expect(answers.django).toBe('5.2');
    // A flag that a later prompt's answer breaks: the answer is refused with the same line.
    const late = resolveAnswers({ projectName: 'x-site', django: '6.1' }, { yes: false, ask: async (option, fallback) => (option.name === 'python' ? '3.11' : fallback) });
    await expect(late).rejects.toThrow('--django 6.1 needs --python 3.12, 3.13 or 3.14, got --python 3.11');
  });

  it('stores only applicable answers, in declaration order, and reads them back', async () => {
    const a = await answersFor({ celery: true, broker: 'rabbitmq' });
    const stored = storedAnswers(a);
    expect(Object.keys(stored)).toEqual([
      'projectName', 'description', 'authorName', 'authorEmail', 'python', 'django', 'database', 'cache', 'celery', 'beat', 'broker', 'server', 'whitenoise', 'kubernetes',
    ]);
    expect(checkStoredAnswers(JSON.parse(JSON.stringify(stored)))).toEqual(a);
    expect(() => checkStoredAnswers({ ...stored, database: 'db2' })).toThrow('--database "db2" is not a choice');
  });

  it('keeps stored answers as defaults when a project exists', async () => {
    const stored = await answersFor({ celery: true, database: 'mysql' });
    const again = await resolveAnswers({ projectName: 'my-site', beat: false }, { yes: true, stored });
    expect(again).toMatchObject({ database: 'mysql', celery: true, beat: false });
  });
});
