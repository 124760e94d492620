/**
 * Plan a render onto a directory before anything is written: core/apply.ts decides every file (base = what the
 * generator wrote before, by whichever version; theirs = what it writes now; ours = the file on disk) against a tree
 * that reads the disk and records the writes; the local `.env` is merged the same way. The Yeoman shell then
 * writes the plan through Yeoman's file system, the fast bin straight to disk.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyRender } from '../core/apply.js';
import { fileMode } from '../core/files.js';
import { decide } from '../core/merge.js';

export const LOCAL_ENV = '.env';
/** The file type bits of a regular file. */
const S_IFREG = 0o100000;

/** What happened to a file, for the summary of `update` and the Yeoman-style log lines. */
export type Outcome = 'created' | 'updated' | 'merged' | 'deleted' | 'conflict' | 'kept';

export interface Change {
  file: string;
  /** New content, or undefined to delete the file. */
  content?: string;
  executable: boolean;
  /** Whether the file is on disk now. */
  existed: boolean;
  outcome: Outcome;
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
  localEnv: { base?: LocalEnv; theirs: LocalEnv; /** The variable whose value is generated (the env contract's `generated` flag). */ secretName?: string },
): Plan {
  const changes: Change[] = [];
  const disk = new Map<string, string | undefined>();
  const conflicts = applyRender(base, theirs, {
    read: (file) => {
      const text = readIfFile(path.join(root, file));
      disk.set(file, text);
      return text;
    },
    write: (file, content, { executable, existed }) =>
      changes.push({ file, content, executable, existed, outcome: !existed ? 'created' : disk.get(file) === base.get(file) ? 'updated' : 'merged' }),
    remove: (file) => changes.push({ file, executable: false, existed: true, outcome: 'deleted' }),
  });
  const ours = readIfFile(path.join(root, LOCAL_ENV));
  if (ours === undefined) {
    changes.push({ file: LOCAL_ENV, content: localEnv.theirs(newSecret()), executable: false, existed: false, outcome: 'created' });
  } else if (localEnv.base) {
    // The local .env gains the new variables too, merged like any file (by variable); its secret stays.
    const secret = (localEnv.secretName ? new RegExp(`^${localEnv.secretName}=(.*)$`, 'm').exec(ours)?.[1] : undefined) ?? newSecret();
    const baseText = localEnv.base(secret);
    const action = decide(baseText, localEnv.theirs(secret), ours, LOCAL_ENV);
    if (action.kind === 'write') changes.push({ file: LOCAL_ENV, content: action.content, executable: false, existed: true, outcome: ours === baseText ? 'updated' : 'merged' });
    if ('conflict' in action && action.conflict) conflicts.push(`${LOCAL_ENV}: ${action.conflict}`);
  }
  // A file with a line in the conflicts needs the user: written with markers (or restored), or kept as it is.
  for (const line of conflicts) {
    const change = changes.find((c) => line.startsWith(`${c.file}: `));
    if (change) change.outcome = 'conflict';
    else changes.push({ file: line.slice(0, line.indexOf(': ')), executable: false, existed: true, outcome: 'kept' });
  }
  return { changes, conflicts };
}

/** A regular file's mode for an executable change (core/files.ts decides which are), as Node and Yeoman's `stat` take it. */
export function executableMode(change: Change): number | undefined {
  return change.executable && change.content !== undefined ? S_IFREG | fileMode(change.content) : undefined;
}

/** Write a plan straight to disk (the fast bin; Yeoman's commit does the same through mem-fs). */
export function writePlan(root: string, plan: Plan, log: (status: string, file: string) => void): void {
  for (const change of plan.changes) {
    const target = path.join(root, change.file);
    if (change.outcome === 'kept') continue;
    if (change.content !== undefined) {
      mkdirSync(path.dirname(target), { recursive: true });
      const mode = executableMode(change);
      writeFileSync(target, change.content, mode === undefined ? undefined : { mode });
      if (mode !== undefined && (statSync(target).mode & 0o777) !== (mode & 0o777)) chmodSync(target, mode);
      log(change.existed ? 'force' : 'create', change.file);
    } else {
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
