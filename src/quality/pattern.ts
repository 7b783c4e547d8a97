import { TesseraError } from '../core/errors.js';

/**
 * A set of code points: sorted inclusive ranges `[lo0, hi0, lo1, hi1, ...]`, optionally negated.
 *
 * @example
 * ```ts
 * const digits: CharSet = { neg: false, ranges: [48, 57] };
 * ```
 */
export interface CharSet {
  readonly neg: boolean;
  readonly ranges: readonly number[];
}

/**
 * The syntax tree of a {@link SafePattern}.
 *
 * @example
 * ```ts
 * const node: PatternNode = { t: 'char', set: { neg: false, ranges: [97, 97] } }; // 'a'
 * ```
 */
export type PatternNode =
  | { readonly t: 'char'; readonly set: CharSet }
  | { readonly t: 'cat'; readonly items: readonly PatternNode[] }
  | { readonly t: 'alt'; readonly items: readonly PatternNode[] }
  | { readonly t: 'rep'; readonly node: PatternNode; readonly min: number; readonly max: number };

const MAX_PATTERN_LENGTH = 2000;
const MAX_REPEAT = 1000;
const MAX_STATES = 20_000;
const NL = 10;
const DIGIT: number[] = [48, 57];
const WORD: number[] = [48, 57, 65, 90, 95, 95, 97, 122];
const SPACE: number[] = [9, 13, 32, 32];

function fail(pattern: string, at: number, why: string): never {
  throw new TesseraError('E_OPTION', `pattern ${JSON.stringify(pattern.length > 80 ? `${pattern.slice(0, 80)}…` : pattern)}: ${why} at position ${at}`, {
    option: 'pattern',
    position: at,
  });
}

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): PatternNode {
    if (this.src.startsWith('^')) this.i = 1;
    const node = this.alt();
    if (this.i < this.src.length) fail(this.src, this.i, `unexpected "${this.src[this.i]}"`);
    return node;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alt(): PatternNode {
    const items = [this.cat()];
    while (this.peek() === '|') {
      this.i++;
      items.push(this.cat());
    }
    return items.length === 1 ? (items[0] as PatternNode) : { t: 'alt', items };
  }

  private cat(): PatternNode {
    const items: PatternNode[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') break;
      if (c === '$' && this.i === this.src.length - 1) {
        this.i++;
        break;
      }
      items.push(this.repeat(this.atom()));
    }
    return items.length === 1 ? (items[0] as PatternNode) : { t: 'cat', items };
  }

  private repeat(node: PatternNode): PatternNode {
    let out = node;
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      if (c === '*') [min, max] = [0, Number.POSITIVE_INFINITY];
      else if (c === '+') [min, max] = [1, Number.POSITIVE_INFINITY];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i, this.i + 12))) {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i, this.i + 12)) as RegExpExecArray;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
        if (min > MAX_REPEAT || (Number.isFinite(max) && max > MAX_REPEAT)) fail(this.src, this.i, `repeat count above ${MAX_REPEAT}`);
        if (max < min) fail(this.src, this.i, 'repeat {m,n} with n < m');
        this.i += (m[0] as string).length - 1;
      } else return out;
      this.i++;
      if (this.peek() === '?' || this.peek() === '+') fail(this.src, this.i, 'lazy and possessive quantifiers are not supported');
      out = { t: 'rep', node: out, min, max };
    }
  }

  private atom(): PatternNode {
    const at = this.i;
    const c = this.src[this.i++] as string;
    switch (c) {
      case '(': {
        if (this.peek() === '?') {
          if (this.src[this.i + 1] === ':') this.i += 2;
          else fail(this.src, at, 'lookaround and named groups are not supported (linear-time patterns only)');
        }
        const inner = this.alt();
        if (this.peek() !== ')') fail(this.src, at, 'unclosed group');
        this.i++;
        return inner;
      }
      case '[':
        return { t: 'char', set: this.klass(at) };
      case '.':
        return { t: 'char', set: { neg: true, ranges: [NL, NL] } };
      case '\\':
        return { t: 'char', set: this.escape(at) };
      case '*':
      case '+':
      case '?':
      case '{':
        return fail(this.src, at, `nothing to repeat before "${c}"`);
      case '^':
      case '$':
        return fail(this.src, at, `anchor "${c}" is only allowed at the start/end (patterns always match the whole value)`);
      default: {
        const cp = this.src.codePointAt(at) as number;
        if (cp > 0xffff) this.i++;
        return { t: 'char', set: { neg: false, ranges: [cp, cp] } };
      }
    }
  }

  private escape(at: number): CharSet {
    const e = this.src[this.i++];
    if (e === undefined) fail(this.src, at, 'trailing backslash');
    switch (e) {
      case 'd':
        return { neg: false, ranges: DIGIT };
      case 'D':
        return { neg: true, ranges: DIGIT };
      case 'w':
        return { neg: false, ranges: WORD };
      case 'W':
        return { neg: true, ranges: WORD };
      case 's':
        return { neg: false, ranges: SPACE };
      case 'S':
        return { neg: true, ranges: SPACE };
      case 'n':
        return { neg: false, ranges: [10, 10] };
      case 't':
        return { neg: false, ranges: [9, 9] };
      case 'r':
        return { neg: false, ranges: [13, 13] };
      default:
        if (/[A-Za-z0-9]/.test(e))
          fail(this.src, at, `escape "\\${e}" is not supported (no back-references, word boundaries or classes other than \\d \\w \\s)`);
        return { neg: false, ranges: [e.charCodeAt(0), e.charCodeAt(0)] };
    }
  }

  private klass(at: number): CharSet {
    let neg = false;
    if (this.peek() === '^') {
      neg = true;
      this.i++;
    }
    const ranges: number[] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) fail(this.src, at, 'unclosed character class');
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      const lo = this.classChar(at, ranges);
      if (lo === undefined) continue;
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.src[this.i + 1] !== undefined) {
        this.i++;
        const hi = this.classChar(at, ranges);
        if (hi === undefined) fail(this.src, at, 'a class shorthand cannot end a range');
        if (hi < lo) fail(this.src, at, 'range out of order');
        ranges.push(lo, hi);
      } else ranges.push(lo, lo);
    }
    return { neg, ranges: normalise(ranges) };
  }

  /** Reads one class member: returns its code point, or pushes a shorthand's ranges and returns undefined. */
  private classChar(at: number, ranges: number[]): number | undefined {
    const c = this.src[this.i] as string;
    if (c === '\\') {
      this.i++;
      const set = this.escape(at);
      if (set.neg) fail(this.src, at, 'negated shorthands (\\D \\W \\S) are not supported inside [...]');
      if (set.ranges.length === 2 && set.ranges[0] === set.ranges[1]) return set.ranges[0] as number;
      ranges.push(...set.ranges);
      return undefined;
    }
    if (c === '[' && this.src[this.i + 1] === ':') fail(this.src, at, 'POSIX classes [:name:] are not supported');
    const cp = this.src.codePointAt(this.i) as number;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }
}

function normalise(ranges: number[]): number[] {
  const pairs: Array<[number, number]> = [];
  for (let k = 0; k < ranges.length; k += 2) pairs.push([ranges[k] as number, ranges[k + 1] as number]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const n = out.length;
    if (n > 0 && lo <= (out[n - 1] as number) + 1) out[n - 1] = Math.max(out[n - 1] as number, hi);
    else out.push(lo, hi);
  }
  return out;
}

function inSet(set: CharSet, cp: number): boolean {
  const r = set.ranges;
  let hit = false;
  for (let k = 0; k < r.length; k += 2) {
    if (cp < (r[k] as number)) break;
    if (cp <= (r[k + 1] as number)) {
      hit = true;
      break;
    }
  }
  return hit !== set.neg;
}

// NFA: state kinds 0 = char (set), 1 = split (out, out2), 2 = match.
interface Nfa {
  kind: Uint8Array;
  out: Int32Array;
  out2: Int32Array;
  sets: (CharSet | null)[];
  start: number;
}

class Builder {
  kind: number[] = [];
  out: number[] = [];
  out2: number[] = [];
  sets: (CharSet | null)[] = [];
  constructor(private readonly src: string) {}
  state(kind: number, set: CharSet | null = null): number {
    if (this.kind.length >= MAX_STATES) fail(this.src, 0, `pattern too large (more than ${MAX_STATES} automaton states)`);
    this.kind.push(kind);
    this.out.push(-1);
    this.out2.push(-1);
    this.sets.push(set);
    return this.kind.length - 1;
  }
}

// A fragment: its start state, and the dangling exits as [state, which] pairs (which 0 = out, 1 = out2).
interface Frag {
  start: number;
  exits: number[];
}

function patch(b: Builder, exits: readonly number[], to: number): void {
  for (let k = 0; k < exits.length; k += 2) {
    const s = exits[k] as number;
    if (exits[k + 1] === 0) b.out[s] = to;
    else b.out2[s] = to;
  }
}

function build(b: Builder, n: PatternNode): Frag {
  switch (n.t) {
    case 'char': {
      const s = b.state(0, n.set);
      return { start: s, exits: [s, 0] };
    }
    case 'cat': {
      if (n.items.length === 0) {
        const s = b.state(1);
        b.out2[s] = -2;
        return { start: s, exits: [s, 0] };
      }
      let first: Frag | undefined;
      let prev: Frag | undefined;
      for (const it of n.items) {
        const f = build(b, it);
        if (prev) patch(b, prev.exits, f.start);
        else first = f;
        prev = f;
      }
      return { start: (first as Frag).start, exits: (prev as Frag).exits };
    }
    case 'alt': {
      let frag = build(b, n.items[0] as PatternNode);
      for (let k = 1; k < n.items.length; k++) {
        const g = build(b, n.items[k] as PatternNode);
        const s = b.state(1);
        b.out[s] = frag.start;
        b.out2[s] = g.start;
        frag = { start: s, exits: [...frag.exits, ...g.exits] };
      }
      return frag;
    }
    case 'rep': {
      const parts: Frag[] = [];
      for (let k = 0; k < n.min; k++) parts.push(build(b, n.node));
      if (n.max === Number.POSITIVE_INFINITY) {
        const f = build(b, n.node);
        const s = b.state(1);
        b.out[s] = f.start;
        patch(b, f.exits, s);
        parts.push({ start: s, exits: [s, 1] });
      } else {
        // Optional copies nest: x{0,2} = (x(x)?)?
        const opt: Frag[] = [];
        for (let k = n.min; k < n.max; k++) {
          const f = build(b, n.node);
          const s = b.state(1);
          b.out[s] = f.start;
          opt.push({ start: s, exits: [...f.exits, s, 1] });
        }
        for (let k = opt.length - 1; k > 0; k--) {
          const outer = opt[k - 1] as Frag;
          const inner = opt[k] as Frag;
          const bodyExits = outer.exits.slice(0, outer.exits.length - 2);
          patch(b, bodyExits, inner.start);
          opt[k - 1] = { start: outer.start, exits: [...inner.exits, outer.exits[outer.exits.length - 2] as number, 1] };
        }
        if (opt[0]) parts.push(opt[0]);
      }
      if (parts.length === 0) {
        const s = b.state(1);
        b.out2[s] = -2;
        return { start: s, exits: [s, 0] };
      }
      for (let k = 1; k < parts.length; k++) patch(b, (parts[k - 1] as Frag).exits, (parts[k] as Frag).start);
      return { start: (parts[0] as Frag).start, exits: (parts[parts.length - 1] as Frag).exits };
    }
  }
}

/**
 * A pattern compiled to a Thompson NFA and matched in time linear in the input (O(text × pattern)),
 * so patterns such as `(a+)+$` that make backtracking engines hang run in linear time here.
 * The language is a regular-expression subset: literals, `.` (any character but newline),
 * classes `[a-z]`, `[^...]`, `\d \w \s` (and `\D \W \S`), groups `( )` and `(?: )`, `|`,
 * `* + ? {n} {n,} {n,m}` (at most 1000). A pattern always matches the whole value (`^` and `$`
 * are allowed at the ends and change nothing). Back-references, lookaround, lazy quantifiers and
 * word boundaries are refused with `E_OPTION`.
 *
 * @example
 * ```ts
 * const p = SafePattern.compile('[A-Z]{2}\\d{4}');
 * p.test('AB1234'); // true
 * SafePattern.compile('(a+)+$').test('a'.repeat(50_000) + 'b'); // false, in linear time
 * ```
 */
export class SafePattern {
  /** The source text. */
  readonly source: string;
  /** The syntax tree. */
  readonly ast: PatternNode;
  private readonly nfa: Nfa;
  private readonly clist: Int32Array;
  private readonly nlist: Int32Array;
  private readonly mark: Uint32Array;
  private gen = 0;

  private constructor(source: string, ast: PatternNode, nfa: Nfa) {
    this.source = source;
    this.ast = ast;
    this.nfa = nfa;
    const n = nfa.kind.length;
    this.clist = new Int32Array(n);
    this.nlist = new Int32Array(n);
    this.mark = new Uint32Array(n);
  }

  /**
   * Parses and compiles a pattern; throws `E_OPTION` naming the position of what is not supported.
   *
   * @example
   * ```ts
   * SafePattern.compile('\\d+(\\.\\d+)?').test('3.14'); // true
   * ```
   */
  static compile(source: string): SafePattern {
    if (typeof source !== 'string') throw new TesseraError('E_OPTION', 'pattern must be a string', { option: 'pattern' });
    if (source.length > MAX_PATTERN_LENGTH) fail(source, MAX_PATTERN_LENGTH, `pattern longer than ${MAX_PATTERN_LENGTH} characters`);
    const ast = new Parser(source).parse();
    const b = new Builder(source);
    const f = build(b, ast);
    const m = b.state(2);
    patch(b, f.exits, m);
    const nfa: Nfa = { kind: Uint8Array.from(b.kind), out: Int32Array.from(b.out), out2: Int32Array.from(b.out2), sets: b.sets, start: f.start };
    return new SafePattern(source, ast, nfa);
  }

  private add(list: Int32Array, len: number, s0: number): number {
    // Iterative epsilon closure.
    const { kind, out, out2 } = this.nfa;
    const stack: number[] = [s0];
    let n = len;
    while (stack.length > 0) {
      const s = stack.pop() as number;
      if (s < 0 || this.mark[s] === this.gen) continue;
      this.mark[s] = this.gen;
      if (kind[s] === 1) {
        stack.push(out2[s] as number, out[s] as number);
      } else list[n++] = s;
    }
    return n;
  }

  /**
   * Whether the whole string matches. Linear in `text.length` times the pattern size.
   *
   * @example
   * ```ts
   * SafePattern.compile('a|b').test('b'); // true
   * ```
   */
  test(text: string): boolean {
    const { kind, out, sets } = this.nfa;
    let clist = this.clist;
    let nlist = this.nlist;
    this.gen++;
    let clen = this.add(clist, 0, this.nfa.start);
    for (let i = 0; i < text.length && clen > 0; i++) {
      let cp = text.charCodeAt(i);
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
        const lo = text.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          cp = (cp - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
          i++;
        }
      }
      this.gen++;
      let nlen = 0;
      for (let k = 0; k < clen; k++) {
        const s = clist[k] as number;
        if (kind[s] === 0 && inSet(sets[s] as CharSet, cp)) nlen = this.add(nlist, nlen, out[s] as number);
      }
      [clist, nlist] = [nlist, clist];
      clen = nlen;
    }
    for (let k = 0; k < clen; k++) if (kind[clist[k] as number] === 2) return true;
    return false;
  }

  /**
   * The pattern as a POSIX/RE2 regular expression anchored at both ends, for SQL engines
   * (DuckDB's RE2 `regexp_full_match`, PostgreSQL's `~`). Only constructs both engines read the
   * same way are printed (classes are expanded, `.` becomes `[^\n]`).
   *
   * @example
   * ```ts
   * SafePattern.compile('\\d+').toSqlRegex(); // '^(?:[0-9]+)$'
   * ```
   */
  toSqlRegex(): string {
    return `^(?:${printNode(this.ast)})$`;
  }
}

const SPECIAL = new Set('\\.^$|?*+()[]{}-/'.split(''));

function printCp(cp: number): string {
  const ch = String.fromCodePoint(cp);
  return SPECIAL.has(ch) ? `\\${ch}` : ch;
}

function printSet(set: CharSet): string {
  const r = set.ranges;
  if (!set.neg && r.length === 2 && r[0] === r[1]) return printCp(r[0] as number);
  let s = set.neg ? '[^' : '[';
  for (let k = 0; k < r.length; k += 2) {
    const lo = r[k] as number;
    const hi = r[k + 1] as number;
    s += lo === hi ? printCp(lo) : `${printCp(lo)}-${printCp(hi)}`;
  }
  return `${s}]`;
}

function printNode(n: PatternNode): string {
  switch (n.t) {
    case 'char':
      return printSet(n.set);
    case 'cat':
      return n.items.map(printNode).join('');
    case 'alt':
      return `(?:${n.items.map(printNode).join('|')})`;
    case 'rep': {
      const inner = `(?:${printNode(n.node)})`;
      if (n.min === 0 && n.max === Number.POSITIVE_INFINITY) return `${inner}*`;
      if (n.min === 1 && n.max === Number.POSITIVE_INFINITY) return `${inner}+`;
      if (n.min === 0 && n.max === 1) return `${inner}?`;
      if (n.max === Number.POSITIVE_INFINITY) return `${inner}{${n.min},}`;
      return n.min === n.max ? `${inner}{${n.min}}` : `${inner}{${n.min},${n.max}}`;
    }
  }
}
