/**
 * What every subgenerator of the registry (core/subgenerators.ts) guarantees, proven for each without naming one:
 * a new entry there is covered here with no test of its own. Feature-specific cases (the conflicts a feature's own
 * lines make, refusals) stay in <name>.test.ts.
 *
 * 1. Generated with the feature == generated without it, then `:<name>` (every choice of what it asks, on projects
 *    that differ in what the feature has to fit around), and `--yes` takes the same defaults as the app generator.
 * 2. A user's edit in every file the feature changes, away from the lines it changes, survives unchanged.
 * 3. Files the user added are never touched; a second run writes nothing.
 */
import { structuredPatch } from 'diff';
import { describe, expect, test } from 'vitest';
import { applies, checkRules, choiceStates } from '../../core/answers.js';
import { ANSWER_OPTIONS, optionByName, optionValues, valueFlag, type AnswerName, type Answers, type Value } from '../../core/options.js';
import { SUBGENERATORS, type Subgenerator } from '../../core/subgenerators.js';
import { changedFiles, executables, expectSameTree, generate, localEnv, read, readTree, stamps, sub, write } from './helpers.js';

const TIMEOUT = 90_000;

/** Projects that differ in what a feature has to fit around (answers; the subgenerator's own are set per case). */
const BASES: Record<string, Partial<Answers>> = {
  defaults: {},
  'sqlite, no cache, granian, no whitenoise': { database: 'sqlite', cache: 'none', server: 'granian', whitenoise: false },
  'mysql, memcached, uvicorn, celery on rabbitmq with beat': { database: 'mysql', cache: 'memcached', server: 'uvicorn', celery: true, broker: 'rabbitmq', beat: true },
};

/** The flags that give these answers, judged in `context` (options that do not apply there are left out). */
function flagsFor(answers: Partial<Answers>, context: Partial<Answers> = answers): string[] {
  const out: string[] = [];
  for (const option of ANSWER_OPTIONS) {
    const value = answers[option.name];
    if (value === undefined || !applies(option, context)) continue;
    out.push(...valueFlag(option, value as Value).split(' '));
  }
  return out;
}

/** The answers that leave the feature out: each answer it sets at a value the rules allow with the base. */
function without(s: Subgenerator, base: Partial<Answers>): Partial<Answers> | undefined {
  const out: Partial<Record<AnswerName, unknown>> = { ...base };
  for (const [name, value] of Object.entries(s.sets)) {
    const option = optionByName(name as AnswerName);
    const other = choiceStates(option, out).find((c) => c.value !== value && !c.refused);
    if (!other) return undefined;
    out[option.name] = other.value;
  }
  for (const name of s.asks) delete out[name];
  return out as Partial<Answers>;
}

/** Every combination of the values of what the subgenerator asks ([] when it asks nothing). */
function askChoices(s: Subgenerator, on: Partial<Answers>): Partial<Answers>[] {
  let rows: Partial<Record<AnswerName, unknown>>[] = [{}];
  for (const name of s.asks) {
    const option = optionByName(name);
    if (!applies(option, { ...on, ...rows[0] })) continue;
    rows = rows.flatMap((row) => optionValues(option).map((v) => ({ ...row, [name]: v })));
  }
  return rows as Partial<Answers>[];
}

/** The cases of one subgenerator: bases where both the project without it and with it are valid. */
function cases(s: Subgenerator) {
  return Object.entries(BASES).flatMap(([label, base]) => {
    const off = without(s, base);
    if (!off) return [];
    return askChoices(s, { ...base, ...s.sets }).flatMap((asked) => {
      const on = { ...off, ...s.sets, ...asked };
      try {
        checkRules(on);
        checkRules(off);
      } catch {
        return [];
      }
      return [{ label: `${label}${Object.keys(asked).length ? ` + ${flagsFor(asked, on).join(' ')}` : ''}`, on, off, asked: flagsFor(asked, on) }];
    });
  });
}

/** A comment line a user adds to a file of this kind, or undefined where there is no comment syntax (JSON). */
function commentFor(file: string): string | undefined {
  if (file.endsWith('.json')) return undefined;
  if (file.endsWith('.md')) return 'A note of ours, kept through every subgenerator.';
  return '# ours: kept through every subgenerator';
}

/**
 * An edit far from the feature's own lines: after a line of `before` at least three lines from every line the
 * feature changes, unique in both versions (so the expected result is known: the new version with the same line
 * after the same anchor). Undefined when the file has no such place.
 */
function farEdit(file: string, before: string, after: string): { anchor: string; line: string } | undefined {
  const line = commentFor(file);
  if (!line) return undefined;
  const changed = new Set<number>();
  for (const hunk of structuredPatch(file, file, before, after, undefined, undefined, { context: 0 }).hunks) {
    for (let i = hunk.oldStart - 1; i < hunk.oldStart - 1 + Math.max(hunk.oldLines, 1); i++) changed.add(i);
  }
  const lines = before.split('\n');
  const unique = (text: string, anchor: string) => text.split('\n').filter((l) => l === anchor).length === 1;
  for (let i = 0; i < lines.length - 1; i++) {
    const far = [...changed].every((c) => Math.abs(c - i) >= 3);
    if (far && lines[i]!.trim() !== '' && unique(before, lines[i]!) && unique(after, lines[i]!)) return { anchor: lines[i]!, line };
  }
  return undefined;
}

const insertAfter = (text: string, anchor: string, line: string) => text.replace(`${anchor}\n`, `${anchor}\n${line}\n`);

for (const s of SUBGENERATORS as readonly Subgenerator[]) {
  describe.concurrent(`:${s.name}: generated with it == generated without it, then \`${s.name}\``, { timeout: TIMEOUT }, () => {
    const all = cases(s);
    test('has cases on several kinds of project', () => {
      expect(new Set(all.map((c) => c.label.split(' + ')[0])).size, `bases for :${s.name}`).toBeGreaterThanOrEqual(2);
    });

    test.for(all)('$label', async ({ on, off, asked }) => {
      const [fresh, later] = await Promise.all([generate(flagsFor(on)), generate(flagsFor(off))]);
      expect(changedFiles(readTree(later), readTree(fresh)).length).toBeGreaterThan(1);
      const run = await sub(later, s.name, asked);
      expect(run.code, run.stderr).toBe(0);
      expectSameTree(readTree(later), readTree(fresh));
      expect(executables(later)).toEqual(executables(fresh));
      // The local .env (not part of the guarantee) gains the same variables; its own secret stays.
      expect(localEnv(later)).toBe(localEnv(fresh));
    });

    test('--yes takes the same defaults as the app generator', async () => {
      const { off } = all[0]!;
      const [fresh, later] = await Promise.all([generate(flagsFor({ ...off, ...s.sets })), generate(flagsFor(off))]);
      const run = await sub(later, s.name, ['--yes']);
      expect(run.code, run.stderr).toBe(0);
      expectSameTree(readTree(later), readTree(fresh));
    });
  });

  describe(`:${s.name}: what the user wrote is never lost`, { timeout: TIMEOUT }, () => {
    test('an edit in every file it changes, away from its lines, survives; a second run writes nothing', async () => {
      const { on, off, asked } = cases(s).at(-1)!;
      const [fresh, project] = await Promise.all([generate(flagsFor(on)), generate(flagsFor(off))]);
      const before = readTree(project);
      const after = readTree(fresh);
      const expected = new Map(after);
      const edited: string[] = [];
      for (const file of changedFiles(before, after).filter((f) => before.has(f) && after.has(f))) {
        const e = farEdit(file, before.get(file)!, after.get(file)!);
        if (!e) continue;
        write(project, file, insertAfter(before.get(file)!, e.anchor, e.line));
        expected.set(file, insertAfter(after.get(file)!, e.anchor, e.line));
        edited.push(file);
      }
      expect(edited.length, 'files with an edit').toBeGreaterThan(0);
      // The user's own files, which no generator writes.
      write(project, 'notes.md', 'ours\n');
      write(project, 'shop/views.py', 'def index(request): ...\n');
      expected.set('notes.md', 'ours\n').set('shop/views.py', 'def index(request): ...\n');
      const run = await sub(project, s.name, asked);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).not.toContain('need your attention');
      expectSameTree(readTree(project), new Map([...expected].sort(([a], [b]) => (a < b ? -1 : 1))));
      for (const file of edited) expect(read(project, file), file).toContain(commentFor(file));

      const stamped = stamps(project);
      const again = await sub(project, s.name, asked);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toContain(`${s.title} is already in this project: nothing to change.`);
      expect(stamps(project)).toEqual(stamped);
    });
  });
}
