import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatorsTable, optionsTable, withGeneratorsTable } from '../../core/docs.js';
import { SUBGENERATORS } from '../../core/subgenerators.js';

const page = (name: string) => readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');

describe('docs/options.md', () => {
  it('is the table the declarations make (run `npm run docs` after changing an option)', () => {
    expect(page('options.md')).toBe(optionsTable());
  });

  it('shows every choice, default and rule', () => {
    const table = optionsTable();
    expect(table).toContain('| `--database` | Database behind DATABASE_URL | `postgres` (PostgreSQL), `mysql` (MySQL / MariaDB), `sqlite` (SQLite (single machine only)) | `postgres` |');
    expect(table).toContain('| `--beat` / `--no-beat` | Periodic tasks with Celery beat (only with --celery) | yes / no | yes with --celery |');
    expect(table).toContain('`--kubernetes` needs `--database postgres or mysql`');
  });
});

describe('docs/subgenerators.md', () => {
  it('holds the generators table the registry makes (run `npm run docs` after changing a generator)', () => {
    expect(withGeneratorsTable(page('subgenerators.md'))).toBe(page('subgenerators.md'));
  });

  it('lists every subgenerator of the registry with the flags it takes', () => {
    const table = generatorsTable();
    for (const sub of SUBGENERATORS) expect(table).toContain(`| \`yo twelve-django:${sub.name}\` |`);
    expect(table).toMatch(/twelve-django:celery` \|.*`--beat` \/ `--no-beat`, `--broker <redis\\\|rabbitmq>`, `--yes`, `--skip-install` \|/);
    expect(table).toMatch(/twelve-django:kubernetes` \|.*\| `--yes`, `--skip-install` \|/);
  });
});
