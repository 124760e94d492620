import { describe, expect, it } from 'vitest';
import { buildModel } from '../../core/model.js';
import { render } from '../../core/render.js';
import { answersFor, templates } from '../helpers.js';

/** The block of `key:` at this indent, up to the next key at the same or a lower indent. */
function block(text: string, key: string, indent: number): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l === `${' '.repeat(indent)}${key}:`);
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && l.trim() !== '' && l.length - l.trimStart().length <= indent);
  return `${lines.slice(start + 1, end < 0 ? undefined : end).join('\n')}\n`;
}

describe('the generated CI workflow (issue 7 item 11)', () => {
  it.each([
    { database: 'postgres', cache: 'redis', celery: true },
    { database: 'mysql', cache: 'memcached', celery: true, broker: 'rabbitmq' },
    { database: 'sqlite', cache: 'none' },
  ])('its services are the model services and the tests reach them by URL (%j)', async (flags) => {
    const answers = await answersFor(flags);
    const model = buildModel(answers);
    const wf = render(answers, templates).get('.github/workflows/ci.yml')!;
    const services = block(wf, 'services', 4);
    expect([...services.matchAll(/^ {6}(\w[\w-]*):$/gm)].map((m) => m[1])).toEqual(model.services.map((s) => s.name));
    for (const s of model.services) {
      const svc = block(services, s.name, 6);
      expect(svc).toContain(`image: ${s.image}\n`);
      expect(svc).toContain(`- "${s.port}:${s.port}"`);
      expect(svc).toContain('--health-cmd "');
    }
    // Every backing service URL the project reads, pointing at 127.0.0.1.
    const env = block(wf, 'env', 4);
    for (const v of model.env.filter((x) => x.kind.type === 'url' && (x.ci ?? x.local))) {
      expect(env, v.name).toContain(`      ${v.name}: ${v.ci ?? v.local}\n`);
      expect(v.ci ?? v.local).toMatch(/127\.0\.0\.1|^sqlite:|^consolemail:/);
    }
    expect(wf).toContain('run: uv sync --locked');
    expect(wf).toContain('run: uv run ruff check . && uv run ruff format --check .');
    expect(wf).toContain('run: uv run pytest');
    expect(wf).toMatch(/DJANGO_SETTINGS_MODULE: config\.settings\.production\n[\s\S]*DJANGO_SECRET_KEY="\$\(python3 -c[\s\S]*uv run python manage\.py check --deploy --fail-level WARNING\n$/);
  });

  it('MySQL in CI connects as root, so the tests can create their own database', async () => {
    const wf = render(await answersFor({ database: 'mysql' }), templates).get('.github/workflows/ci.yml')!;
    expect(block(block(block(wf, 'services', 4), 'db', 6), 'env', 8)).toBe('          MARIADB_DATABASE: my_site\n          MARIADB_ROOT_PASSWORD: root\n');
    expect(wf).toContain('      DATABASE_URL: mysql://root:root@127.0.0.1:3306/my_site\n');
  });
});
