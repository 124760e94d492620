/**
 * Apply a render onto a directory with a three-way merge: per file, base = what the generator wrote before (any
 * version's render), theirs = what it writes now, ours = the file on disk. The plan is computed before anything is
 * written; the Yeoman shell writes it through Yeoman's file system, the fast bin straight to disk.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decide, type Action } from '../core/merge.js';

export const LOCAL_ENV = '.env';

/** What a file's write did, for the summary of `update` (and Yeoman-style log lines). */
export type Outcome = 'created' | 'updated' | 'merged' | 'deleted' | 'conflict' | 'kept';

export interface Change {
  file: string;
  action: Action;
  /** Whether the file is on disk now. */
  existed: boolean;
  outcome?: Outcome;
}

export interface Plan {
  changes: Change[];
  /** `file: what happened` lines for the files that need the user's attention. */
  conflicts: string[];
}

/** Render of the local `.env` for a given secret (its secret stays the one on disk). */
export type LocalEnv = (secret: string) => string;

export function planApply(
  root: string,
  base: Map<string, string>,
  theirs: Map<string, string>,
  localEnv: { base?: LocalEnv; theirs: LocalEnv },
): Plan {
  const changes: Change[] = [];
  const conflicts: string[] = [];
  const add = (file: string, action: Action, ours: string | undefined, baseText: string | undefined) => {
    const existed = ours !== undefined;
    changes.push({ file, action, existed, outcome: outcome(action, ours, baseText) });
    if ('conflict' in action && action.conflict) conflicts.push(`${file}: ${action.conflict}`);
  };
  for (const file of new Set([...base.keys(), ...theirs.keys()])) {
    const ours = readIfFile(path.join(root, file));
    add(file, decide(base.get(file), theirs.get(file), ours, file), ours, base.get(file));
  }
  const ours = readIfFile(path.join(root, LOCAL_ENV));
  if (ours === undefined) {
    changes.push({ file: LOCAL_ENV, action: { kind: 'write', content: localEnv.theirs(newSecret()) }, existed: false, outcome: 'created' });
  } else if (localEnv.base) {
    // The local .env gains the new variables too, merged like any file; its secret stays.
    const secret = /^DJANGO_SECRET_KEY=(.*)$/m.exec(ours)?.[1] ?? newSecret();
    const baseText = localEnv.base(secret);
    add(LOCAL_ENV, decide(baseText, localEnv.theirs(secret), ours, LOCAL_ENV), ours, baseText);
  }
  return { changes, conflicts };
}

function outcome(action: Action, ours: string | undefined, base: string | undefined): Outcome | undefined {
  if (action.kind === 'keep') return undefined;
  if (action.kind === 'delete') return 'deleted';
  if (action.kind === 'report') return 'kept';
  if (action.conflict) return 'conflict';
  if (ours === undefined) return 'created';
  return ours === base ? 'updated' : 'merged';
}

/** Scripts (a shebang line) are written executable. */
export function fileMode(content: string): number | undefined {
  return content.startsWith('#!') ? 0o100755 : undefined;
}

/** Write a plan straight to disk (the fast bin; Yeoman's commit does the same through mem-fs). */
export function writePlan(root: string, plan: Plan, log: (status: string, file: string) => void): void {
  for (const change of plan.changes) {
    const target = path.join(root, change.file);
    if (change.action.kind === 'write') {
      mkdirSync(path.dirname(target), { recursive: true });
      const mode = change.file === LOCAL_ENV ? undefined : fileMode(change.action.content);
      writeFileSync(target, change.action.content, mode === undefined ? undefined : { mode });
      if (mode !== undefined && (statSync(target).mode & 0o777) !== (mode & 0o777)) chmodSync(target, mode);
      log(change.existed ? 'force' : 'create', change.file);
    } else if (change.action.kind === 'delete') {
      rmSync(target, { force: true });
      log('delete', change.file);
    }
  }
}

function readIfFile(file: string): string | undefined {
  return existsSync(file) && statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined;
}

/** A fresh Django secret for the local `.env` only: 64 URL-safe random characters. */
export function newSecret(): string {
  return randomBytes(48).toString('base64url');
}
