import { describe, expect, it } from 'vitest';
import { buildModel } from '../../core/model.js';
import { render } from '../../core/render.js';
import { PY } from '../../core/versions.js';
import { answersFor, templates } from '../helpers.js';

const files = async (flags: Record<string, unknown> = {}) => render(await answersFor(flags), templates);

describe('security (issue 7 item 8)', () => {
  it('HSTS starts at an hour: the example and the production default agree; subdomains and preload are opt-in', async () => {
    const out = await files();
    expect(out.get('.env.example')).toMatch(/^DJANGO_SECURE_HSTS_SECONDS=3600$/m);
    const production = out.get('config/settings/production.py')!;
    expect(production).toContain('SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=3600)');
    expect(production).toMatch(/SECURE_HSTS_INCLUDE_SUBDOMAINS = env\.bool\(\s*"DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False\s*\)/);
    expect(production).toContain('SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)');
    // check --deploy stays clean: each opt-out silences its own warning, and only then.
    expect(production).toMatch(/if not SECURE_HSTS_INCLUDE_SUBDOMAINS:\n(\s+#.*\n)*\s+SILENCED_SYSTEM_CHECKS\.append\("security\.W005"\)/);
    expect(production).toMatch(/if not SECURE_HSTS_PRELOAD:\n(\s+#.*\n)*\s+SILENCED_SYSTEM_CHECKS\.append\("security\.W021"\)/);
  });

  it('Django 5.2 gets CSP from django-csp, pinned in core/versions.ts', async () => {
    const answers = await answersFor({ django: '5.2' });
    const model = buildModel(answers);
    const out = render(answers, templates);
    expect(model.requirements.main).toContain(PY.djangoCsp);
    expect(model.middleware).toContain('csp.middleware.CSPMiddleware');
    expect(model.installedApps).toContain('csp');
    const base = out.get('config/settings/base.py')!;
    expect(base).toContain('CONTENT_SECURITY_POLICY = CSP_POLICY');
    expect(base).toContain('CONTENT_SECURITY_POLICY_REPORT_ONLY = CSP_POLICY');
    expect(base).not.toContain('SECURE_CSP');
  });

  it("Django 6.1 uses its own middleware and SECURE_CSP, and no django-csp", async () => {
    const answers = await answersFor({ django: '6.1', python: '3.13' });
    const model = buildModel(answers);
    const out = render(answers, templates);
    expect(model.requirements.main.some((r) => r.startsWith('django-csp'))).toBe(false);
    expect(out.get('pyproject.toml')).not.toContain('django-csp');
    expect(model.middleware).toContain('django.middleware.csp.ContentSecurityPolicyMiddleware');
    expect(model.middleware).not.toContain('csp.middleware.CSPMiddleware');
    expect(model.installedApps).not.toContain('csp');
    const base = out.get('config/settings/base.py')!;
    expect(base).toContain('    SECURE_CSP = CSP_POLICY');
    expect(base).toContain('    SECURE_CSP_REPORT_ONLY = CSP_POLICY');
    expect(base).toMatch(/if env\.bool\("DJANGO_CSP_REPORT_ONLY", default=False\):/);
    expect(base).not.toContain('CONTENT_SECURITY_POLICY');
  });

  it('Argon2 first, the admin URL and the key fallbacks from the environment', async () => {
    const answers = await answersFor();
    const out = render(answers, templates);
    expect(buildModel(answers).requirements.main).toContain(PY.argon2);
    expect(out.get('config/settings/base.py')).toMatch(/PASSWORD_HASHERS = \[\n {4}"django\.contrib\.auth\.hashers\.Argon2PasswordHasher",/);
    expect(out.get('config/settings/base.py')).toContain('ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="admin/")');
    expect(out.get('config/urls.py')).toContain('path(settings.ADMIN_URL, admin.site.urls)');
    expect(out.get('config/settings/production.py')).toContain('SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])');
    const fallbacks = buildModel(answers).env.find((v) => v.name === 'DJANGO_SECRET_KEY_FALLBACKS')!;
    expect(fallbacks.secret).toBe(true);
  });
});
