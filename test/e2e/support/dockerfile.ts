/**
 * A small Dockerfile reader for the tests: instructions (continuations joined, comments dropped),
 * grouped into stages, with the environment each RUN of a stage sees (its ENV lines so far,
 * `$VAR` / `${VAR}` expanded as the builder does). Enough for the generated Dockerfile; not a
 * general parser (no ARG defaults, no escape directive, no heredocs).
 */

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
  /** For RUN: the `--mount=...` style flags before the command. */
  flags: string[];
  /** For RUN: the shell command after the flags. */
  command: string;
  line: number;
}

export interface Stage {
  /** The image named after FROM. */
  from: string;
  /** The name after AS, if any. */
  name?: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      i++;
      const next = lines[i]!;
      if (/^\s*#/.test(next)) continue; // comment lines inside a continuation are dropped by the builder
      line = line.replace(/\\\s*$/, '') + next; // the builder drops the escaped newline
    }
    const m = /^\s*(\w+)\s+([\s\S]*)$/.exec(line);
    if (!m) throw new Error(`Dockerfile line ${start + 1}: cannot read "${line}"`);
    const keyword = m[1]!.toUpperCase();
    const args = m[2]!.trim();
    const flags: string[] = [];
    let command = args;
    if (keyword === 'RUN') {
      let f: RegExpExecArray | null;
      while ((f = /^(--[\w-]+=\S+)\s+/.exec(command))) {
        flags.push(f[1]!);
        command = command.slice(f[0].length).trimStart();
      }
    }
    const ins: Instruction = { keyword, args, flags, command, line: start + 1 };
    if (keyword === 'FROM') {
      const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args) ?? [];
      stages.push({ from: from!, name, instructions: [] });
    } else {
      if (!stages.length) throw new Error(`Dockerfile line ${start + 1}: ${keyword} before FROM`);
      stages.at(-1)!.instructions.push(ins);
    }
  }
  return stages;
}

/** `KEY=VALUE` pairs of an ENV instruction (double-quoted values allowed), expanded against `env`. */
export function envPairs(args: string, env: Record<string, string>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const re = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(args))) {
    const raw = m[2]!.startsWith('"') ? m[2]!.slice(1, -1).replace(/\\(.)/g, '$1') : m[2]!;
    out.push([m[1]!, expand(raw, env)]);
  }
  if (!out.length) throw new Error(`ENV ${args}: only the KEY=VALUE form is read`);
  return out;
}

function expand(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? '');
}

export interface BuildCommand {
  stage: string;
  command: string;
  /** The environment the builder gives this command: the base image's plus the stage's ENV so far. */
  env: Record<string, string>;
  workdir: string;
  line: number;
}

/**
 * The RUN commands of every stage but the last (the build stages), each with the environment the
 * builder gives it. `baseEnv` stands for what the base image defines (PATH, for one).
 */
export function buildCommands(text: string, baseEnv: Record<string, string>): BuildCommand[] {
  const stages = parseDockerfile(text);
  const out: BuildCommand[] = [];
  for (const stage of stages.slice(0, -1)) {
    const env = { ...baseEnv };
    let workdir = '/';
    for (const ins of stage.instructions) {
      if (ins.keyword === 'ENV') for (const [k, v] of envPairs(ins.args, env)) env[k] = v;
      if (ins.keyword === 'WORKDIR') workdir = ins.args;
      if (ins.keyword === 'RUN') out.push({ stage: stage.name ?? stage.from, command: ins.command, env: { ...env }, workdir, line: ins.line });
    }
  }
  return out;
}

/** `NAME=value` assignments that prefix a shell command (`A=1 B=2 cmd ...`), in order. */
export function commandAssignments(command: string): Record<string, string> {
  const out: Record<string, string> = {};
  let rest = command.trimStart();
  let m: RegExpExecArray | null;
  while ((m = /^([A-Za-z_][A-Za-z0-9_]*)=(\S*)\s+/.exec(rest))) {
    out[m[1]!] = m[2]!;
    rest = rest.slice(m[0].length).trimStart();
  }
  return out;
}
