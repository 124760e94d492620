/**
 * The rendered Dockerfile and compose file against the rest of the project: build-time steps get
 * every variable production settings require (issue 7 item 1), and every stop window is the
 * process's own drain time from core/timeouts.ts (issue 7 item 5).
 */
import { describe, expect, it } from 'vitest';
import { buildModel, buildTimeEnv } from '../../core/model.js';
import { render } from '../../core/render.js';
import { TIMEOUTS } from '../../core/timeouts.js';
import { buildCommands, parseDockerfile } from '../e2e/support/dockerfile.js';
import { answersFor, templates } from '../helpers.js';

const DATABASES = ['postgres', 'mysql', 'sqlite'] as const;
const BROKERS = [undefined, 'redis', 'rabbitmq'] as const;

/** The names in production.py's REQUIRED dict. */
function requiredByProduction(production: string): string[] {
  const block = /^REQUIRED = \{\n([\s\S]*?)^\}/m.exec(production);
  if (!block) throw new Error('production.py has no REQUIRED = {...} block');
  return [...block[1]!.matchAll(/^\s+"([A-Z0-9_]+)":/gm)].map((m) => m[1]!);
}

/** The services of the compose file: name -> its block of lines. */
function composeServices(compose: string): Map<string, string> {
  const section = /^services:\n([\s\S]*?)(?=^\S|(?![\s\S]))/m.exec(compose)![1]!;
  const out = new Map<string, string>();
  for (const part of section.split(/^(?= {2}[\w-]+:\n)/m)) {
    const name = /^ {2}([\w-]+):\n/.exec(part)?.[1];
    if (name) out.set(name, part);
  }
  return out;
}

describe('image build: build-time steps get what production settings require', () => {
  for (const database of DATABASES) {
    for (const broker of BROKERS) {
      const flags = { database, whitenoise: true, ...(broker ? { celery: true, broker } : { celery: false }) };
      it(`${database}, ${broker ? `Celery on ${broker}` : 'no Celery'}`, async () => {
        const out = render(await answersFor(flags), templates);
        const required = requiredByProduction(out.get('config/settings/production.py')!);
        expect(required).toEqual(expect.arrayContaining(['DJANGO_SECRET_KEY', 'DATABASE_URL', 'DJANGO_ALLOWED_HOSTS']));
        if (broker) expect(required).toContain('CELERY_BROKER_URL');

        // The image build runs the build command, as a platform's build hook or a VM would.
        const dockerfile = out.get('Dockerfile')!;
        const steps = buildCommands(dockerfile, {}).filter((c) => !/^(apt-get|uv\s)/.test(c.command.trim()));
        expect(steps.map((s) => s.command)).toEqual(['./build.sh']);
        expect(steps[0]!.env.DJANGO_SETTINGS_MODULE).toBe('config.settings.production');
        // build.sh gives its steps the placeholders, whatever environment it is called with.
        const script = out.get('build.sh')!;
        const exported = Object.fromEntries([...script.matchAll(/^export ([A-Z0-9_]+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
        const firstStep = script.indexOf('python manage.py collectstatic --noinput');
        expect(firstStep).toBeGreaterThan(0);
        expect(exported.DJANGO_SETTINGS_MODULE).toBe('config.settings.production');
        const missing = required.filter((name) => !exported[name] || script.indexOf(`export ${name}=`) > firstStep);
        expect(missing, `build.sh lacks ${missing.join(', ')} before its steps`).toEqual([]);
        // placeholders, never a value from .env.example or compose
        for (const name of required) expect(exported[name]).toMatch(/build-time-placeholder|localhost/);
        // a DATABASE_URL of the project's own kind, so its database settings see what they expect
        expect(exported.DATABASE_URL!.split(':')[0]).toBe(database);
        // the placeholders stay in the build stage: the runtime stage never sets them
        const runtime = parseDockerfile(dockerfile).at(-1)!;
        const runtimeText = runtime.instructions.map((i) => i.args).join('\n');
        for (const name of required) expect(runtimeText).not.toContain(`${name}=`);
      });
    }
  }

  it('a required variable without a build-time placeholder is refused by the model', () => {
    const v = { name: 'NEW_URL', kind: { type: 'url' as const, schemes: ['x'] }, example: 'x://', description: 'd', factor: 'IV' as const, required: true };
    expect(() => buildTimeEnv([v])).toThrow('NEW_URL is required in production but declares no buildTime placeholder');
    expect(() => buildTimeEnv([{ ...v, buildTime: 'a b' }])).toThrow('not shell-safe');
    expect(buildTimeEnv([{ ...v, buildTime: 'x://localhost' }])).toEqual([{ name: 'NEW_URL', value: 'x://localhost' }]);
  });
});

describe('stop windows come from the model', () => {
  it.each([
    [{ server: 'gunicorn', celery: true, broker: 'redis', beat: true }],
    [{ server: 'uvicorn', celery: true, broker: 'rabbitmq', beat: false }],
    [{ server: 'granian', celery: false }],
  ])('compose stop_grace_period for %j', async (flags) => {
    const answers = await answersFor(flags);
    const model = buildModel(answers);
    const out = render(answers, templates);
    const services = composeServices(out.get('docker-compose.yml')!);
    for (const p of model.processes) {
      const block = services.get(p.name);
      expect(block, p.name).toBeDefined();
      const grace = /^ {4}stop_grace_period: (\d+)s$/m.exec(block!)?.[1];
      if (p.oneOff) {
        expect(grace, `${p.name} runs to completion`).toBeUndefined();
        continue;
      }
      expect(Number(grace), `${p.name}'s stop_grace_period`).toBe(p.stopSeconds);
    }
    // each window is longer than what the process itself waits after SIGTERM, as the server config says
    const web = Number(/^ {4}stop_grace_period: (\d+)s$/m.exec(services.get('web')!)![1]);
    const serverConfig = out.get('gunicorn.conf.py') ?? out.get('config/granian.py')!;
    const drain = Number(/(?:graceful_timeout = |workers_kill_timeout=)(\d+)/.exec(serverConfig)![1]);
    expect(drain).toBe(TIMEOUTS.webGraceful);
    expect(web).toBeGreaterThan(drain);
    if (answers.celery) {
      const worker = Number(/^ {4}stop_grace_period: (\d+)s$/m.exec(services.get('worker')!)![1]);
      const hard = Number(/^CELERY_TASK_TIME_LIMIT = (\d+)$/m.exec(out.get('config/settings/base.py')!)![1]);
      expect(worker).toBeGreaterThan(hard);
    }
    // backing services keep their images' own stop handling
    for (const s of model.services) expect(services.get(s.name)).not.toContain('stop_grace_period');
  });

  it("Celery's soft shutdown (REMAP_SIGTERM=SIGQUIT platforms) ends before such a platform's kill", async () => {
    const out = render(await answersFor({ celery: true }), templates);
    const base = out.get('config/settings/base.py')!;
    const soft = Number(/^CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = (\d+)$/m.exec(base)?.[1]);
    expect(soft).toBe(TIMEOUTS.platformKill - TIMEOUTS.stopMargin);
    expect(base).toContain('REMAP_SIGTERM=SIGQUIT');
    expect(out.get('README.md')).toContain('`REMAP_SIGTERM=SIGQUIT`');
    expect(render(await answersFor({ celery: false }), templates).get('config/settings/base.py')).not.toContain('SOFT_SHUTDOWN');
  });
});
