/**
 * The user model is the team's from the first commit: every subgenerator leaves what they wrote in the users app
 * alone (the files keep their bytes and their mtime), whatever else it changes.
 */
import { describe, expect, test } from 'vitest';
import { SUBGENERATORS } from '../../core/subgenerators.js';
import { generate, read, stamps, sub, write } from './helpers.js';

const OURS = {
  'shop/users/models.py': `${'from django.contrib.auth.models import AbstractUser\nfrom django.db import models\n\n\nclass User(AbstractUser):\n    bio = models.TextField(blank=True)  # ours\n'}`,
  'shop/users/admin.py': '# ours: a custom admin\n',
  'shop/users/migrations/0002_user_bio.py': '# ours: the migration for bio\n',
};

describe.concurrent('the users app is left alone', { timeout: 60_000 }, () => {
  test.for(SUBGENERATORS.map((s) => s.name))(':%s keeps every edit to the users app', async (name) => {
    const project = await generate(['--no-celery', '--no-whitenoise', '--no-kubernetes']);
    for (const [file, text] of Object.entries(OURS)) write(project, file, text);
    const before = stamps(project);
    await new Promise((r) => setTimeout(r, 20));
    const run = await sub(project, name, ['--yes']);
    expect(run.code, run.stderr).toBe(0);
    const after = stamps(project);
    expect(after.get('.yo-rc.json')).not.toBe(before.get('.yo-rc.json'));
    for (const [file, text] of Object.entries(OURS)) {
      expect(read(project, file), file).toBe(text);
      expect(after.get(file), file).toBe(before.get(file));
    }
  });
});
