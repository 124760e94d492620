/**
 * Part of the web step, on the lived-in project (support/lived-in.ts): a person at the admin, in production settings.
 * A superuser from `createsuperuser`; the login through the real form (CSRF token, cookie, Origin); the lived-in
 * model's changelist; a book uploaded through the admin's add form, an image and a file, then the row and both stored
 * files checked from a one-off process; the login-required view: a redirect to the login for a visitor, the book for
 * its owner. Fetching the uploaded file back over HTTP is the storage feature's (issue 16), not checked here.
 */
import { randomBytes } from 'node:crypto';
import { ALLOWED_HOST, type Context } from '../support/context.js';
import { Browser } from '../support/browser.js';
import { mustRun } from '../support/exec.js';
import { describeResponse, type Response } from '../support/http.js';
import { APP } from '../support/lived-in.js';

/** A 1x1 PNG: Pillow validates what an ImageField is given. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** The problems found, one line each (empty when the admin works as a person expects). */
export async function adminChecks(ctx: Context, port: number): Promise<string[]> {
  const env = ctx.prodEnv();
  const o = { cwd: ctx.project, env, timeoutMs: 120_000 };
  const username = `e2e-admin-${randomBytes(3).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  await mustRun('python', ['manage.py', 'createsuperuser', '--noinput', '--username', username, '--email', `${username}@example.com`], { ...o, env: { ...env, DJANGO_SUPERUSER_PASSWORD: password } }, 'createsuperuser');
  const facts = await mustRun(
    'python',
    ['manage.py', 'shell', '-c', `import json; from django.conf import settings; from django.contrib.auth import get_user_model; print("E2E " + json.dumps({"admin": settings.ADMIN_URL, "id": get_user_model().objects.get(username=${JSON.stringify(username)}).pk}))`],
    o,
    'reading ADMIN_URL and the superuser id',
  );
  const { admin, id } = JSON.parse(/^E2E (.*)$/m.exec(facts.stdout)![1]!) as { admin: string; id: number };
  const at = (p: string) => `/${admin}${p}`;

  const problems: string[] = [];
  const expect = (what: string, r: Response, status: number, extra?: string) => {
    const wrong = r.status !== status ? `status ${r.status}, want ${status}` : extra;
    if (wrong) problems.push(`admin: ${what}: ${wrong}\n${describeResponse(r)}`);
    return !wrong;
  };
  const browser = new Browser(port, ALLOWED_HOST);

  const anonymous = await browser.get(APP.view);
  expect(`${APP.view} for a visitor`, anonymous, 302, String(anonymous.headers.location).includes(at(APP.loginUrl)) ? undefined : `Location ${anonymous.headers.location}, want the login`);

  const loginPage = await browser.get(at('login/'));
  if (!expect('the login page', loginPage, 200)) return problems;
  const login = await browser.post(loginPage, at('login/'), { username, password, next: at('') });
  if (!expect('logging in through the form', login, 302, browser.cookie('sessionid') ? undefined : 'no sessionid cookie set')) return problems;
  const index = await browser.get(at(''));
  expect('the admin index, logged in', index, 200, index.text.includes('Site administration') ? undefined : 'not the admin index');

  const changelist = await browser.get(at(APP.adminModel));
  expect(`the ${APP.adminModel} changelist`, changelist, 200);

  const title = `Lived-in ${randomBytes(4).toString('hex')}`;
  const manuscript = Buffer.from(`Chapter one.\n${randomBytes(64).toString('hex')}\n`);
  const addPage = await browser.get(at(`${APP.adminModel}add/`));
  if (!expect('the add form', addPage, 200)) return problems;
  const added = await browser.post(addPage, at(`${APP.adminModel}add/`), { title, owner: String(id), _save: 'Save' }, {
    cover: { filename: 'cover.png', contentType: 'image/png', content: PNG },
    manuscript: { filename: 'chapter-one.txt', contentType: 'text/plain', content: manuscript },
  });
  const errors = /<ul class="errorlist[^>]*>[\s\S]*?<\/ul>/.exec(added.text)?.[0];
  if (!expect('the upload through the add form', added, 302, String(added.headers.location).endsWith(at(APP.adminModel)) ? undefined : `Location ${added.headers.location}${errors ? `; ${errors}` : ''}`)) return problems;

  // The row and the stored files, as a one-off process of the same release sees them.
  const stored = await mustRun(
    'python',
    ['manage.py', 'shell', '-c', `import json; from library.models import Book; b = Book.objects.get(title=${JSON.stringify(title)}); print("E2E " + json.dumps({"owner": b.owner_id, "cover": [b.cover.name, b.cover.storage.exists(b.cover.name), b.cover.size], "manuscript": [b.manuscript.name, b.manuscript.storage.exists(b.manuscript.name), b.manuscript.read().decode()]}))`],
    o,
    'reading the uploaded row and its files',
  );
  const row = JSON.parse(/^E2E (.*)$/m.exec(stored.stdout)![1]!) as { owner: number; cover: [string, boolean, number]; manuscript: [string, boolean, string] };
  if (row.owner !== id) problems.push(`upload: the row's owner is ${row.owner}, want ${id}`);
  if (!row.cover[0].startsWith('covers/') || !row.cover[1] || row.cover[2] !== PNG.length) problems.push(`upload: the cover is stored as ${JSON.stringify(row.cover)}, want covers/… of ${PNG.length} bytes`);
  if (!row.manuscript[0].startsWith('manuscripts/') || !row.manuscript[1] || row.manuscript[2] !== manuscript.toString()) problems.push(`upload: the manuscript is stored as ${JSON.stringify(row.manuscript.slice(0, 2))}, its content ${row.manuscript[2] === manuscript.toString() ? 'intact' : 'different'}`);
  ctx.note(`web: admin login, ${APP.adminModel} changelist, upload stored as ${row.cover[0]} and ${row.manuscript[0]}`);

  const mine = await browser.get(APP.view);
  expect(`${APP.view} for the book's owner`, mine, 200, mine.text.includes(title) ? undefined : `the page does not list "${title}"`);
  return problems;
}
