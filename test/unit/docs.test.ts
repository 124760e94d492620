import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optionsTable } from '../../core/docs.js';

describe('docs/options.md', () => {
  it('is the table the declarations make (run `npm run docs` after changing an option)', () => {
    expect(readFileSync(new URL('../../docs/options.md', import.meta.url), 'utf8')).toBe(optionsTable());
  });

  it('shows every choice and default', () => {
    const table = optionsTable();
    expect(table).toContain('| `--database` | Database behind DATABASE_URL | `postgres` (PostgreSQL), `mysql` (MySQL / MariaDB), `sqlite` (SQLite (single machine only)) | `postgres` |');
    expect(table).toContain('| `--beat` / `--no-beat` |');
  });
});
