import { describe, expect, it } from 'vitest';
import { allowedText } from '../../core/env-kinds.js';
import { buildModel } from '../../core/model.js';
import { render } from '../../core/render.js';
import { answersFor, templates } from '../helpers.js';

const ALL = [
  {},
  { celery: true, broker: 'rabbitmq', cache: 'memcached', server: 'granian', database: 'mysql' },
  { celery: true, database: 'sqlite', cache: 'none', server: 'uvicorn' },
];

/** The rules config/env.py declares: name -> [kind, allowed text, values]. */
function rules(envPy: string): Map<string, { kind: string; allowed: string; values: string[]; min?: number; max?: number; secret: boolean }> {
  const out = new Map();
  for (const m of envPy.matchAll(/^ {4}"([A-Z0-9_]+)": Rule\(\n([\s\S]*?)\n {4}\),$/gm)) {
    const body = m[2]!;
    const [kind, allowed] = [...body.matchAll(/^ {8}"([^"]*)",$/gm)].map((x) => x[1]);
    const values = /values=\(([\s\S]*?)\),?$/m.exec(body)?.[1];
    out.set(m[1], {
      kind,
      allowed,
      values: values ? [...values.matchAll(/"([^"]*)"/g)].map((x) => x[1]) : [],
      min: /minimum=(\d+)/.exec(body) ? Number(/minimum=(\d+)/.exec(body)![1]) : undefined,
      max: /maximum=(\d+)/.exec(body) ? Number(/maximum=(\d+)/.exec(body)![1]) : undefined,
      secret: body.includes('secret=True'),
    });
  }
  return out;
}

describe('the env contract: one declaration for the checks and .env.example', () => {
  it.each(ALL)('config/env.py has a rule for exactly the declared variables, as declared (%j)', async (flags) => {
    const answers = await answersFor(flags);
    const model = buildModel(answers);
    const out = render(answers, templates);
    const declared = rules(out.get('config/env.py')!);
    expect([...declared.keys()]).toEqual(model.env.map((v) => v.name));
    for (const v of model.env) {
      const r = declared.get(v.name)!;
      expect(r.kind, v.name).toBe(v.kind.type);
      expect(r.allowed, v.name).toBe(allowedText(v.kind));
      expect(r.secret, v.name).toBe(Boolean(v.secret));
      if (v.kind.type === 'url') expect(r.values, v.name).toEqual(v.kind.schemes);
      if (v.kind.type === 'choice') expect(r.values, v.name).toEqual(v.kind.values);
      if (v.kind.type === 'int') {
        expect(r.min, v.name).toBe(v.kind.min);
        expect(r.max, v.name).toBe(v.kind.max);
      }
    }
  });

  it('.env.example says what each variable allows, from the same declaration', async () => {
    const answers = await answersFor({ celery: true });
    const example = render(answers, templates).get('.env.example')!;
    for (const v of buildModel(answers).env) {
      expect(example, v.name).toMatch(new RegExp(`# Allowed: ${escape(allowedText(v.kind))}\\.\\n(#.*\\n)*${v.name}=`));
    }
  });

  it('the URL variables refuse outdated or foreign schemes', async () => {
    const model = buildModel(await answersFor({ cache: 'memcached', database: 'sqlite' }));
    const schemes = (name: string) => {
      const kind = model.env.find((v) => v.name === name)!.kind;
      return kind.type === 'url' ? kind.schemes : [];
    };
    // memcache:// names python-memcached's backend, which Django 4.1 removed.
    expect(schemes('CACHE_URL')).not.toContain('memcache');
    expect(schemes('CACHE_URL')).toContain('pymemcache');
    // A SQLite project has no server driver installed.
    expect(schemes('DATABASE_URL')).toEqual(['sqlite']);
    const pg = buildModel(await answersFor({ database: 'postgres' })).env.find((v) => v.name === 'DATABASE_URL')!.kind;
    expect(pg.type === 'url' && pg.schemes).not.toContain('mysql');
  });

  it('the entry points turn a configuration error into one line', async () => {
    const out = render(await answersFor({ celery: true }), templates);
    expect(out.get('manage.py')).toContain('with exit_on_config_error():\n        execute_from_command_line(sys.argv)');
    expect(out.get('gunicorn.conf.py')).toMatch(/^load_settings\(\)$/m);
    expect(out.get('config/celery.py')).toMatch(/^report_uncaught_config_errors\(\)$/m);
    const granian = render(await answersFor({ server: 'granian' }), templates).get('config/granian.py')!;
    expect(granian).toMatch(/^ {4}load_settings\(\)$/m);
    // The servers read PORT and WEB_CONCURRENCY through the checked reader, never os.environ.
    for (const file of [out.get('gunicorn.conf.py')!, granian]) {
      expect(file).toMatch(/env\.int\(["']PORT["'], default=8000\)/);
      expect(file).toContain('env.int("WEB_CONCURRENCY", default=2)');
      expect(file).not.toMatch(/os\.environ\.get\("(PORT|WEB_CONCURRENCY)"/);
    }
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('Celery logs (issue 7 item 9)', () => {
  it('Celery leaves logging to Django and binds the task id and name around each task', async () => {
    const out = render(await answersFor({ celery: true }), templates);
    const celery = out.get('config/celery.py')!;
    expect(celery).toMatch(/@setup_logging\.connect\ndef keep_django_logging/);
    expect(celery).toMatch(/@task_prerun\.connect\ndef bind_task[\s\S]*bind_log_fields\(\{"task_id": task_id, "task_name": task\.name\}\)/);
    expect(celery).toMatch(/@task_postrun\.connect\ndef unbind_task[\s\S]*unbind_log_fields\(token\)/);
    expect(out.get('my_site/request_id.py')).toMatch(/for name, value in \(_fields\.get\(\) or \{\}\)\.items\(\):\n\s+setattr\(record, name, value\)/);
  });
});
