/**
 * The generated README's Kubernetes deploy steps, as a user reads them: the `sh` blocks of the section, grouped by
 * its sub-headings, each block a list of shell command lists. Only the shell a user types is understood: words,
 * single and double quotes without expansion, `\` and a trailing `&&`/`||` to continue a line, `&&`, `||` and `;`.
 * Anything else (pipes, redirections, `$`, backgrounding) is an error, so the README cannot hide a step from the test.
 */

export interface AndOr {
  /** The first command, then each next one with the operator that joins it. */
  first: string[];
  rest: { op: '&&' | '||'; argv: string[] }[];
  /** The text as written, for messages. */
  text: string;
}

export interface Block {
  /** The `###` heading the block stands under. */
  heading: string;
  lists: AndOr[];
}

/** The `sh` blocks of the `## <title>` section, with the `###` heading each stands under. */
export function readmeBlocks(readme: string, title: string): Block[] {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => l === `## ${title}`);
  if (start < 0) throw new Error(`the README has no "## ${title}" section`);
  const blocks: Block[] = [];
  let heading = '';
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^## /.test(line)) break;
    if (/^### /.test(line)) heading = line.slice(4).trim();
    const fence = /^(\s*)```(\S*)\s*$/.exec(line);
    if (!fence) continue;
    const indent = fence[1]!;
    const body: string[] = [];
    for (i++; i < lines.length && !new RegExp(`^\\s*\`\`\`\\s*$`).test(lines[i]!); i++) body.push(lines[i]!.startsWith(indent) ? lines[i]!.slice(indent.length) : lines[i]!);
    if (fence[2] === 'sh') blocks.push({ heading, lists: parseShell(body.join('\n')) });
  }
  return blocks;
}

/** Shell text -> command lists (one per line, once continuations are joined). */
export function parseShell(text: string): AndOr[] {
  const out: AndOr[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = stripComment(raw).trimEnd();
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    if (/(&&|\|\|)$/.test(line)) {
      pending += line + ' ';
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full) out.push(...parseLine(full));
  }
  if (pending.trim()) throw new Error(`a command ends in a continuation: ${pending.trim()}`);
  return out;
}

/** `#` starts a comment at the start of a word, outside quotes. */
function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

function parseLine(text: string): AndOr[] {
  const lists: AndOr[] = [];
  let current: AndOr | undefined;
  let words: string[] = [];
  let word: string | undefined;
  let nextOp: '&&' | '||' | undefined;
  const endWord = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const endCommand = (op: '&&' | '||' | ';' | 'end') => {
    endWord();
    if (!words.length) throw new Error(`an empty command before "${op}" in: ${text}`);
    if (!current) current = { first: words, rest: [], text: '' };
    else current.rest.push({ op: nextOp!, argv: words });
    words = [];
    if (op === ';' || op === 'end') {
      lists.push(current);
      current = undefined;
      nextOp = undefined;
    } else nextOp = op;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error(`an unclosed quote in: ${text}`);
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw new Error(`an unclosed quote in: ${text}`);
      const inner = text.slice(i + 1, end);
      if (/[$`\\]/.test(inner)) throw new Error(`the test does not expand "${inner}" (in: ${text})`);
      word = (word ?? '') + inner;
      i = end;
    } else if (/\s/.test(c)) endWord();
    else if (text.startsWith('&&', i) || text.startsWith('||', i)) {
      endCommand(text.slice(i, i + 2) as '&&' | '||');
      i++;
    } else if (c === ';') endCommand(';');
    else if ('|&<>$`(){}'.includes(c)) throw new Error(`the test does not run shell syntax "${c}" (in: ${text})`);
    else word = (word ?? '') + c;
  }
  endCommand('end');
  // Each list keeps the text it came from (one line may hold several lists with `;`).
  for (const l of lists) l.text = [l.first, ...l.rest.map((r) => [r.op, ...r.argv])].map((a) => a.join(' ')).join(' ');
  return lists;
}
