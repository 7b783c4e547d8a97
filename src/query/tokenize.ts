import { TesseraError } from '../core/errors.js';

/** Longest question accepted, in characters. @example `MAX_QUESTION_LENGTH // 1000` */
export const MAX_QUESTION_LENGTH = 1000;

/**
 * One token of a question or of a stored value: lower-cased, accents removed. Numbers carry their
 * value (`5k` → 5000, `20%` → 20 with `percent`, `3rd` → 3 with `ordinal`).
 *
 * @example
 * ```ts
 * tokenize('over 5k')[1]; // { kind: 'number', text: '5k', num: 5000, ... }
 * ```
 */
export interface Token {
  readonly kind: 'word' | 'number' | 'punct';
  /** Normalised text (lower case, no accents). */
  readonly text: string;
  /** Index of the first character in the normalised question. */
  readonly start: number;
  readonly num?: number;
  readonly percent?: boolean;
  readonly ordinal?: boolean;
  /** The number as written before a magnitude (`11.35` in "11.35 million"). */
  readonly base?: number;
  /** A decade or century ("1990s", "1800s"). */
  readonly decade?: boolean;
  /** A number joined to the previous number by a dash ("2002-2011"). */
  readonly dash?: boolean;
  /** A time of day or duration written "m:ss" / "h:mm:ss" (`num` in seconds: "2:00" → 120). */
  readonly clock?: boolean;
}

const MAGNITUDE: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, mn: 1e6, million: 1e6, b: 1e9, bn: 1e9, billion: 1e9, trillion: 1e12 };
const ORDINAL_SUFFIX = new Set(['st', 'nd', 'rd', 'th']);

function isWordChar(c: string): boolean {
  const code = c.charCodeAt(0);
  if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) return true;
  if (code < 128) return false;
  return /\p{L}|\p{N}/u.test(c);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Lower case and strip combining accents (linear). */
export function normalizeText(s: string): string {
  const n = s.normalize('NFKD').toLowerCase();
  let out = '';
  for (let i = 0; i < n.length; i++) {
    const code = n.charCodeAt(i);
    if (code >= 0x300 && code <= 0x36f) continue;
    out += n[i];
  }
  return out;
}

/**
 * Splits text into tokens in one left-to-right pass (no regular expression backtracking): words,
 * numbers (with thousands separators, decimals, magnitudes, percentages and ordinal suffixes) and
 * the punctuation that matters (`,`). Accepts at most `maxLength` characters (`E_LIMIT`).
 *
 * @example
 * ```ts
 * tokenize('Customers in Texas with 1,200 orders?').map((t) => t.text); // ['customers', 'in', 'texas', 'with', '1200', 'orders']
 * ```
 */
export function tokenize(text: string, maxLength = MAX_QUESTION_LENGTH): Token[] {
  if (typeof text !== 'string') throw new TesseraError('E_TYPE', 'a question must be a string');
  if (text.length > maxLength)
    throw new TesseraError('E_LIMIT', `question is ${text.length} characters long; the limit is ${maxLength}`, { observed: text.length, limit: maxLength });
  const s = normalizeText(text);
  const out: Token[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s[i] as string;
    if (isDigit(c) || (c === '.' && isDigit(s[i + 1]))) {
      const start = i;
      let digits = '';
      while (i < n) {
        const d = s[i] as string;
        if (isDigit(d)) digits += d;
        else if (d === ',' && isDigit(s[i + 1]) && isDigit(s[i + 2]) && isDigit(s[i + 3]) && !isDigit(s[i + 4])) {
          /* thousands separator */
        } else if (d === '.' && isDigit(s[i + 1]) && !digits.includes('.')) digits += '.';
        else break;
        i++;
      }
      let num = Number(digits);
      // "2:00", "1:08.89", "2:03:59": a duration in seconds
      if (!digits.includes('.') && s[i] === ':' && isDigit(s[i + 1]) && isDigit(s[i + 2]) && !isDigit(s[i + 3])) {
        let secs = Number(s.slice(i + 1, i + 3));
        let mins = Number(digits);
        let hours = 0;
        let e = i + 3;
        if (s[e] === ':' && isDigit(s[e + 1]) && isDigit(s[e + 2]) && !isDigit(s[e + 3])) {
          hours = mins;
          mins = secs;
          secs = Number(s.slice(e + 1, e + 3));
          e += 3;
        }
        let frac = '';
        if (s[e] === '.' && isDigit(s[e + 1])) {
          e++;
          while (e < n && isDigit(s[e])) frac += s[e++];
        }
        const value = hours * 3600 + mins * 60 + secs + (frac ? Number(`0.${frac}`) : 0);
        out.push({ kind: 'number', text: s.slice(start, e), start, num: value, clock: true });
        i = e;
        continue;
      }
      // suffix letters glued to the number: 5k, 3rd, 1990s, 2nd
      let suffix = '';
      let j = i;
      while (j < n && isWordChar(s[j] as string) && !isDigit(s[j])) suffix += s[j++];
      let ordinal = false;
      let decade = false;
      let textOut = digits;
      const base = num;
      if (suffix !== '' && (j >= n || !isWordChar(s[j] as string))) {
        if (Object.hasOwn(MAGNITUDE, suffix)) {
          num *= MAGNITUDE[suffix] as number;
          textOut = digits + suffix;
          i = j;
        } else if (ORDINAL_SUFFIX.has(suffix)) {
          ordinal = true;
          textOut = digits + suffix;
          i = j;
        } else if (suffix === 's') {
          textOut = `${digits}s`;
          i = j;
          decade = true;
        }
      }
      // "1.2 million": a magnitude word after a space
      if (!ordinal && s[i] === ' ') {
        let e = i + 1;
        let w = '';
        while (e < n && isWordChar(s[e] as string)) w += s[e++];
        if (w.length > 2 && Object.hasOwn(MAGNITUDE, w)) {
          num *= MAGNITUDE[w] as number;
          textOut = `${digits} ${w}`;
          i = e;
        }
      }
      // "1990's"
      if (!decade && (s[i] === "'" || s[i] === '\u2019') && s[i + 1] === 's' && !isWordChar(s[i + 2] ?? ' ')) {
        decade = true;
        textOut = `${digits}s`;
        i += 2;
      }
      let percent = false;
      if (s[i] === '%') {
        percent = true;
        i++;
      }
      let b = start - 1;
      while (b >= 0 && s[b] === ' ') b--;
      let dash = false;
      if (b >= 0 && (s[b] === '-' || s[b] === '\u2013' || s[b] === '\u2014')) {
        b--;
        while (b >= 0 && s[b] === ' ') b--;
        dash = b >= 0 && isDigit(s[b]);
      }
      if (Number.isFinite(num))
        out.push({
          kind: 'number',
          text: textOut,
          start,
          num,
          ...(percent ? { percent } : {}),
          ...(ordinal ? { ordinal } : {}),
          ...(dash ? { dash } : {}),
          ...(num !== base ? { base } : {}),
          ...(decade ? { decade } : {}),
        });
      continue;
    }
    if (isWordChar(c)) {
      const start = i;
      let w = '';
      while (i < n) {
        const d = s[i] as string;
        if (isWordChar(d)) w += d;
        else if ((d === "'" || d === '\u2019') && isWordChar(s[i + 1] ?? ' ') && w.length > 0) {
          // possessive 's is dropped; inner apostrophes (d'lsere, o'neil) are kept as one word
          if (s[i + 1] === 's' && !isWordChar(s[i + 2] ?? ' ')) {
            i += 2;
            break;
          }
          w += "'";
        } else break;
        i++;
      }
      out.push({ kind: 'word', text: w, start });
      continue;
    }
    if (c === ',' || c === ';') out.push({ kind: 'punct', text: ',', start: i });
    else if (c === '>' || c === '<' || c === '=' || (c === '!' && s[i + 1] === '=')) {
      if (s[i + 1] === '=' && c !== '=') {
        out.push({ kind: 'punct', text: `${c}=`, start: i });
        i += 2;
        continue;
      }
      out.push({ kind: 'punct', text: c, start: i });
    }
    i++;
  }
  return out;
}

const IRREGULAR: Record<string, string> = {
  people: 'person',
  men: 'man',
  women: 'woman',
  children: 'child',
  wrote: 'write',
  written: 'write',
  won: 'win',
  wins: 'win',
  victories: 'win',
  losses: 'lose',
  loss: 'lose',
  defeats: 'lose',
  lost: 'lose',
  held: 'hold',
  built: 'build',
  sang: 'sing',
  sung: 'sing',
  ran: 'run',
  led: 'lead',
  made: 'make',
  took: 'take',
  taken: 'take',
  gave: 'give',
  given: 'give',
  began: 'begin',
  begun: 'begin',
  drove: 'drive',
  driven: 'drive',
  sold: 'sell',
  bought: 'buy',
  paid: 'pay',
  spent: 'spend',
  scored: 'score',
  born: 'birth',
  died: 'death',
  elected: 'elect',
  directed: 'direct',
  produced: 'produce',
  feet: 'foot',
  heights: 'height',
  tall: 'height',
  taller: 'height',
  shorter: 'height',
  heavier: 'weight',
  lighter: 'weight',
  older: 'age',
  oldest: 'age',
  youngest: 'age',
  tallest: 'height',
  younger: 'age',
  old: 'age',
  young: 'age',
  nation: 'country',
  nations: 'country',
};

/**
 * A crude English root for matching: irregular forms, plurals, and common derivational endings
 * (`writer`, `writes`, `written` → `writ`). Used on both sides, so over-stemming is consistent.
 *
 * @example
 * ```ts
 * root('directors') === root('directed'); // true
 * ```
 */
export function root(word: string): string {
  let w = Object.hasOwn(IRREGULAR, word) ? (IRREGULAR[word] as string) : word;
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  for (const suf of ['ation', 'ition', 'tion', 'ment', 'ings', 'ing', 'ers', 'ors', 'er', 'or', 'ed', 'ly', 'e']) {
    if (w.endsWith(suf) && w.length - suf.length >= 3) {
      w = w.slice(0, -suf.length);
      break;
    }
  }
  return w;
}

const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_SHORT = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Month index (0-11) of a month name or abbreviation, or -1. @example `monthOf('sept') // 8` */
export function monthOf(w: string): number {
  let i = MONTH_NAMES.indexOf(w);
  if (i < 0) i = MONTH_SHORT.indexOf(w);
  if (w === 'sept') i = 8;
  return i;
}

/**
 * A calendar date written in tokens at position `i`: "March 28, 1991", "28 March 1991",
 * "March 28", "March 1991", "2023-03-28" (as three numbers). Returns the end position and the
 * parts, or undefined.
 *
 * @example
 * ```ts
 * dateAt(tokenize('on march 28, 1991'), 1); // { end: 4, y: 1991, m: 2, d: 28 }
 * ```
 */
export function dateAt(tokens: readonly Token[], i: number): { end: number; y?: number; m: number; d?: number } | undefined {
  const t = tokens[i];
  if (!t) return undefined;
  const skipComma = (k: number): number => (tokens[k]?.kind === 'punct' && tokens[k]?.text === ',' ? k + 1 : k);
  const isDay = (x: Token | undefined): boolean =>
    x !== undefined && x.kind === 'number' && Number.isInteger(x.num) && (x.num as number) >= 1 && (x.num as number) <= 31;
  const isYear = (x: Token | undefined): boolean =>
    x !== undefined && x.kind === 'number' && !x.ordinal && Number.isInteger(x.num) && (x.num as number) >= 1000 && (x.num as number) < 3000;
  if (t.kind === 'word') {
    const m = monthOf(t.text);
    if (m < 0) return undefined;
    const d = tokens[i + 1];
    if (isDay(d)) {
      const k = skipComma(i + 2);
      const y = tokens[k];
      if (isYear(y)) return { end: k + 1, y: (y as Token).num as number, m, d: (d as Token).num as number };
      return { end: i + 2, m, d: (d as Token).num as number };
    }
    if (isYear(d)) return { end: i + 2, y: (d as Token).num as number, m };
    return undefined;
  }
  if (isYear(t) && tokens[i + 1]?.kind === 'number' && tokens[i + 1]?.dash && tokens[i + 2]?.dash) {
    const mo = tokens[i + 1]?.num as number;
    const da = tokens[i + 2]?.num as number;
    if (mo >= 1 && mo <= 12 && da >= 1 && da <= 31) return { end: i + 3, y: t.num as number, m: mo - 1, d: da };
  }
  if (isDay(t)) {
    const mt = tokens[i + 1];
    const m = mt && mt.kind === 'word' ? monthOf(mt.text) : -1;
    if (m < 0) return undefined;
    const k = skipComma(i + 2);
    const y = tokens[k];
    if (isYear(y)) return { end: k + 1, y: (y as Token).num as number, m, d: t.num as number };
    return { end: i + 2, m, d: t.num as number };
  }
  return undefined;
}

/** Canonical keys of a date: `@d:1991-03-28`, `@md:03-28`, `@m:1991-03`. @example `dateKeys({ y: 1991, m: 2, d: 28 })` */
export function dateKeys(x: { y?: number; m: number; d?: number }): string[] {
  const mm = String(x.m + 1).padStart(2, '0');
  const out: string[] = [];
  if (x.d !== undefined) {
    const dd = String(x.d).padStart(2, '0');
    if (x.y !== undefined) out.push(`@d:${x.y}-${mm}-${dd}`);
    out.push(`@md:${mm}-${dd}`);
  } else if (x.y !== undefined) out.push(`@m:${x.y}-${mm}`);
  return out;
}
