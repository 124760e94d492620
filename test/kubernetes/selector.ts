/**
 * Label selectors as `kubectl -l` parses and matches them (the grammar and semantics of apimachinery's
 * pkg/labels: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a)`, `k`, `!k`, `k>1`, `k<1`, requirements ANDed by
 * commas). Written from that documented grammar; a bad selector is an error, as kubectl refuses it.
 */

type Op = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | '>' | '<';
export interface Requirement {
  key: string;
  op: Op;
  values: string[];
}

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WS = /[ \t\r\n]/;
const SYMBOLS = ['!=', '==', '=', '!', '(', ')', ',', '>', '<'];
const KEYWORDS = new Set(['in', 'notin']);

type Token = { t: 'id' | 'sym' | 'kw' | 'end'; v: string };

function lex(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    if (WS.test(s[i]!)) {
      i++;
      continue;
    }
    if (SPECIAL.has(s[i]!)) {
      // The longest operator at this point ("!=" before "!").
      const sym = SYMBOLS.find((x) => s.startsWith(x, i));
      if (!sym) throw new Error(`unable to parse requirement: error expected: keyword found '${s[i]}'`);
      out.push({ t: 'sym', v: sym });
      i += sym.length;
      continue;
    }
    let j = i;
    while (j < s.length && !SPECIAL.has(s[j]!) && !WS.test(s[j]!)) j++;
    const word = s.slice(i, j);
    out.push({ t: KEYWORDS.has(word) ? 'kw' : 'id', v: word });
    i = j;
  }
  out.push({ t: 'end', v: '' });
  return out;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A qualified name: an optional DNS-subdomain prefix and `/`, then at most 63 name characters. */
function checkKey(key: string): void {
  const parts = key.split('/');
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]!];
  const bad =
    parts.length > 2 ||
    !name ||
    name.length > 63 ||
    !QUALIFIED_NAME.test(name) ||
    (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !prefix.split('.').every((l) => DNS1123_LABEL.test(l))));
  if (bad) throw new Error(`unable to parse requirement: invalid label key "${key}"`);
}

function checkValue(key: string, v: string): void {
  if (v.length > 63 || !LABEL_VALUE.test(v)) throw new Error(`unable to parse requirement: invalid label value "${v}" for key ${key}`);
}

/** Parses a selector; `''` selects everything. */
export function parseSelector(selector: string): Requirement[] {
  const toks = lex(selector);
  let pos = 0;
  // In value position the keywords are plain identifiers (`x in (in)`).
  const peekValue = () => (toks[pos]!.t === 'kw' ? { t: 'id' as const, v: toks[pos]!.v } : toks[pos]!);
  const nextValue = () => {
    const t = peekValue();
    pos++;
    return t;
  };
  const reqs: Requirement[] = [];
  for (;;) {
    const first = peekValue();
    if (first.t === 'end') break;
    if (first.t !== 'id' && !(first.t === 'sym' && first.v === '!')) throw new Error(`found '${first.v}', expected: !, identifier, or 'end of string'`);
    let negate = false;
    let key = nextValue();
    if (key.t === 'sym' && key.v === '!') {
      negate = true;
      key = nextValue();
    }
    if (key.t !== 'id') throw new Error(`unable to parse requirement: found '${key.v}', expected: identifier`);
    checkKey(key.v);
    const after = peekValue();
    let req: Requirement;
    if (after.t === 'end' || (after.t === 'sym' && after.v === ',')) {
      req = { key: key.v, op: negate ? '!' : 'exists', values: [] };
    } else {
      if (negate) throw new Error(`unable to parse requirement: found '${toks[pos]!.v}', expected: ',' or 'end of string'`);
      const op = toks[pos++]!;
      if (op.t === 'kw') {
        if (toks[pos]!.t !== 'sym' || toks[pos]!.v !== '(') throw new Error(`unable to parse requirement: found '${toks[pos]!.v}' expected: '('`);
        pos++;
        const values = new Set<string>();
        // Values separated by commas, each possibly empty: `()`, `(a,,b)`, `(,a)`.
        let expectValue = true;
        for (;;) {
          const t = nextValue();
          if (t.t === 'sym' && t.v === ')') {
            if (expectValue) values.add('');
            break;
          }
          if (t.t === 'sym' && t.v === ',') {
            if (expectValue) values.add('');
            expectValue = true;
            continue;
          }
          if (t.t === 'id' && expectValue) {
            values.add(t.v);
            expectValue = false;
            continue;
          }
          throw new Error(`unable to parse requirement: found '${t.v}', expected: ',', ')' or identifier`);
        }
        req = { key: key.v, op: op.v as Op, values: [...values] };
      } else if (op.t === 'sym' && ['=', '==', '!=', '>', '<'].includes(op.v)) {
        const v = peekValue();
        let value = '';
        if (v.t === 'id') value = nextValue().v;
        else if (!(v.t === 'end' || (v.t === 'sym' && v.v === ','))) throw new Error(`unable to parse requirement: found '${v.v}', expected: identifier`);
        if ((op.v === '>' || op.v === '<') && !/^[+-]?\d+$/.test(value)) throw new Error(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
        req = { key: key.v, op: op.v as Op, values: [value] };
      } else {
        throw new Error(`unable to parse requirement: found '${op.v}', expected: in, notin, =, ==, !=, gt, lt`);
      }
    }
    for (const v of req.values) checkValue(req.key, v);
    reqs.push(req);
    const sep = nextValue();
    if (sep.t === 'end') break;
    if (!(sep.t === 'sym' && sep.v === ',')) throw new Error(`found '${sep.v}', expected: ',' or 'end of string'`);
    const nextKey = peekValue();
    if (nextKey.t !== 'id' && !(nextKey.t === 'sym' && nextKey.v === '!')) throw new Error(`found '${nextKey.v}', expected: identifier after ','`);
  }
  return reqs;
}

function matchesOne(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.op) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value!);
    case 'notin':
    case '!=':
      // Objects without the key match a negative requirement.
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case '>':
    case '<': {
      if (!has || !/^[+-]?\d+$/.test(value!)) return false;
      const [a, b] = [Number(value), Number(r.values[0])];
      return r.op === '>' ? a > b : a < b;
    }
  }
}

/** Does every requirement of the selector match these labels? */
export function matches(selector: string | Requirement[], labels: Readonly<Record<string, string>> = {}): boolean {
  const reqs = typeof selector === 'string' ? parseSelector(selector) : selector;
  return reqs.every((r) => matchesOne(r, labels));
}
