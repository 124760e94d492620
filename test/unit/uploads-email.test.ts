import { describe, expect, it } from 'vitest';
import { MEDIA_DIR } from '../../core/features/project.js';
import { buildModel } from '../../core/model.js';
import { render } from '../../core/render.js';
import { answersFor, templates } from '../helpers.js';

describe('uploads and mail (issue 7 item 10)', () => {
  it.each([{ database: 'postgres' }, { database: 'sqlite', celery: true }])('MEDIA_ROOT is a declared volume the app user owns (%j)', async (flags) => {
    const answers = await answersFor(flags);
    const model = buildModel(answers);
    const out = render(answers, templates);
    const media = model.appVolumes.find((v) => v.name === MEDIA_DIR)!;
    expect(media.path).toBe(`/app/${MEDIA_DIR}`);
    // BASE_DIR is /app in the image (WORKDIR), so MEDIA_ROOT is the volume's path.
    expect(out.get('Dockerfile')).toContain('WORKDIR /app\nCOPY --from=build /app /app');
    expect(out.get('config/settings/base.py')).toContain(`MEDIA_ROOT = BASE_DIR / "${MEDIA_DIR}"`);
    // Created and handed to the app user before it runs (root owns /app).
    expect(out.get('Dockerfile')).toContain(`mkdir -p ${media.path} && chown app:app ${media.path}`);
    expect(out.get('Dockerfile')!.indexOf(`chown app:app ${media.path}`)).toBeLessThan(out.get('Dockerfile')!.indexOf('USER 10001:10001'));
    // Every app process mounts it; local uploads stay out of the image and git.
    const compose = out.get('docker-compose.yml')!;
    expect(compose.split(`      - ${MEDIA_DIR}:${media.path}\n`).length - 1).toBe(model.processes.length);
    expect(compose).toMatch(new RegExp(`^volumes:\\n(  \\S+:\\n)*  ${MEDIA_DIR}:$`, 'm'));
    expect(out.get('.dockerignore')).toContain(`${MEDIA_DIR}/`);
    expect(out.get('.gitignore')).toContain(`${MEDIA_DIR}/`);
  });

  it('mail from one EMAIL_URL: the console in development, never in production', async () => {
    const out = render(await answersFor(), templates);
    expect(out.get('config/settings/base.py')).toContain('EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")\nvars().update(EMAIL_CONFIG)');
    expect(out.get('config/settings/production.py')).toContain('EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://localhost:25")');
    expect(out.get('.env')).toBeUndefined();
    expect(out.get('.env.example')).toMatch(/^EMAIL_URL=smtp\+tls:\/\/USER:PASSWORD@HOST:587$/m);
  });
});
