import { editDistance } from '../core/errors.js';
import type { ColumnKind } from '../dataset/index.js';
import { type CellValue, cellValue, Dataset } from '../dataset/index.js';
import { dateAt, dateKeys, root, type Token, tokenize } from './tokenize.js';

/**
 * A column as the parser sees it: name and kind (a Dataset's schema fields fit).
 *
 * @example
 * ```ts
 * const cols: QueryColumn[] = [{ name: 'state', kind: 'category' }, { name: 'revenue', kind: 'number' }];
 * ```
 */
export interface QueryColumn {
  readonly name: string;
  readonly kind: ColumnKind;
}

/** Words that carry no column or value meaning on their own. */
export const STOP = new Set(
  (
    'a an the of in on at to for from by with and or is was were are be been being am do does did done has have had ' +
    'what which who whom whose when where why how that this these those there their them they it its he she his her ' +
    'i me my we our you your as than then so if into out up down about per each all any some only also just ' +
    'list name tell give show find get number amount count many much total times time listed table'
  ).split(' '),
);

/** Stop words that still name columns ("Time", "Number", "Name", "Total"). */
export const COLUMN_WORDS = new Set(['number', 'name', 'total', 'time', 'count', 'amount']);

const MAX_PHRASE = 10;
const MAX_INDEXED_VALUES = 200_000;

interface ColumnPhrase {
  readonly column: string;
  readonly score: number;
}
/** A value of a column that a question phrase names. */
export interface ValueLink {
  readonly column: string;
  readonly value: string | number | boolean;
}

/** Built-in general synonyms: column word → words people use for it. */
const BUILTIN_SYNONYMS: Record<string, readonly string[]> = {
  country: ['nation', 'nationality'],
  nationality: ['country', 'nation'],
  nation: ['country'],
  population: ['people', 'inhabitant', 'populated'],
  attendance: ['attended', 'crowd', 'spectator', 'audience', 'attendee', 'attendees', 'fans'],
  money: ['prize', 'earnings', 'purse', 'winnings', 'cash', 'paid'],
  earnings: ['money', 'prize', 'winnings'],
  jan: ['january'],
  feb: ['february'],
  mar: ['march'],
  apr: ['april'],
  jun: ['june'],
  jul: ['july'],
  aug: ['august'],
  sep: ['september'],
  sept: ['september'],
  oct: ['october'],
  nov: ['november'],
  dec: ['december'],
  points: ['pts'],
  pts: ['points', 'point'],
  position: ['pos', 'place', 'rank', 'finish', 'finished'],
  pos: ['position', 'place'],
  place: ['position', 'finish', 'finished', 'rank'],
  rank: ['ranking', 'ranked', 'place', 'position'],
  year: ['season', 'when'],
  season: ['year'],
  date: ['day', 'when'],
  no: ['number'],
  number: ['no', 'num'],
  name: ['called', 'named'],
  player: ['athlete', 'who'],
  athlete: ['player', 'competitor'],
  location: ['venue', 'where', 'place', 'held'],
  venue: ['location', 'where', 'stadium', 'held'],
  city: ['town', 'where'],
  title: ['titled', 'named'],
  result: ['outcome', 'won', 'lost'],
  score: ['scored', 'result'],
  time: ['duration', 'long'],
  height: ['tall', 'taller', 'shorter'],
  length: ['long', 'longer', 'longest'],
  margin: ['difference'],
  opponent: ['against', 'versus', 'vs', 'opposing'],
  winner: ['won', 'win', 'champion'],
  director: ['directed'],
  notes: ['note'],
  total: ['overall', 'combined', 'altogether'],
  gold: ['golds'],
  silver: ['silvers'],
  bronze: ['bronzes'],
  votes: ['vote', 'voted'],
  party: ['affiliation'],
  team: ['club', 'squad'],
  club: ['team'],
  album: ['record'],
  song: ['single', 'track'],
  track: ['song'],
  role: ['played', 'character'],
  film: ['movie'],
  movie: ['film'],
  capacity: ['hold', 'seat', 'seats'],
  area: ['size'],
  age: ['old', 'aged'],
  goals: ['scored'],
  weight: ['weigh', 'weighs', 'heavy'],
  price: ['cost'],
  cost: ['price'],
  revenue: ['sales', 'income'],
  sales: ['revenue'],
};

/** Text outside (...) and [...] (one linear pass). */
function stripBrackets(v: string): string {
  let out = '';
  let depth = 0;
  for (const ch of v) {
    if (ch === '(' || ch === '[') depth++;
    else if ((ch === ')' || ch === ']') && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out.trim();
}

function key(tokens: readonly Token[], from: number, to: number): string {
  let s = '';
  for (let k = from; k < to; k++) {
    const t = tokens[k] as Token;
    if (t.kind !== 'punct') s += (s === '' ? '' : ' ') + t.text;
  }
  return s;
}

function rootKey(tokens: readonly Token[], from: number, to: number): string {
  let s = '';
  for (let k = from; k < to; k++) {
    const t = tokens[k] as Token;
    if (t.kind !== 'punct') s += (s === '' ? '' : ' ') + root(t.text);
  }
  return s;
}

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

/**
 * What the parser knows about a table: columns, their words (with roots and synonyms) and an
 * index of the values of text and category columns (and the numbers of numeric columns), so that
 * "customers in Texas" finds the column holding "Texas". Built once per Dataset and reused.
 *
 * @example
 * ```ts
 * const index = new SchemaIndex(ds, { synonyms: { revenue: ['turnover'] } });
 * index.columns.map((c) => c.name);
 * ```
 */
export class SchemaIndex {
  readonly columns: readonly QueryColumn[];
  /** root-key phrase → columns */
  private readonly colPhrases = new Map<string, ColumnPhrase[]>();
  /** exact key phrase → values */
  private readonly valPhrases = new Map<string, ValueLink[]>();
  /** words of values and column names, for fuzzy matching, by length */
  private readonly vocab = new Map<number, Set<string>>();
  /** numeric column → set of its values */
  readonly numbers = new Map<string, Set<number>>();
  readonly ds: Dataset | undefined;
  /** word of a multi-word value → the values holding it (partial mentions: "macneill" → "Gordon MacNeill") */
  private readonly wordValues = new Map<string, ValueLink[]>();
  /** number-like token of a text value → columns holding it ("2007" in "October 5, 2007") */
  private readonly numberTokens = new Map<string, string[]>();
  /** root of a one-word value of a low-cardinality column → values ("win" → "Won", "lose" → "Lost") */
  private readonly rootValues = new Map<string, ValueLink[]>();
  /** words of column names (4+ letters), for typos of short words */
  private readonly columnWords = new Set<string>();
  /** column → number of distinct values indexed */
  readonly distinct = new Map<string, number>();

  constructor(source: Dataset | readonly QueryColumn[], options: { synonyms?: Record<string, readonly string[]> } = {}) {
    this.ds = source instanceof Dataset ? source : undefined;
    this.columns = source instanceof Dataset ? source.schema.fields.map((f) => ({ name: f.name, kind: f.kind })) : [...source];
    for (const c of this.columns) this.indexColumn(c, options.synonyms);
    if (this.ds) this.indexValues(this.ds);
  }

  private addVocab(w: string): void {
    if (w.length < 4) return;
    let s = this.vocab.get(w.length);
    if (!s) {
      s = new Set();
      this.vocab.set(w.length, s);
    }
    s.add(w);
  }

  private addColPhrase(phrase: string, column: string, score: number): void {
    const existing = this.colPhrases.get(phrase)?.find((p) => p.column === column);
    if (existing && existing.score >= score) return;
    push(this.colPhrases, phrase, { column, score });
  }

  private indexColumn(c: QueryColumn, userSyn: Record<string, readonly string[]> | undefined): void {
    const toks = tokenize(c.name, 10_000).filter((t) => t.kind !== 'punct');
    const n = Math.min(toks.length, MAX_PHRASE);
    const isStop = (w: string): boolean => STOP.has(w) && !COLUMN_WORDS.has(w);
    const content = toks.filter((t) => !isStop(t.text) && t.text.length > 1);
    for (const t of toks) {
      this.addVocab(t.text);
      if (t.kind === 'word' && t.text.length >= 4) this.columnWords.add(t.text);
    }
    if (n > 0) this.addColPhrase(rootKey(toks, 0, n), c.name, 1);
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b <= n; b++) {
        if (a === 0 && b === n) continue;
        const span = toks.slice(a, b);
        if (span.every((t) => isStop(t.text) || t.text.length <= 1)) continue;
        const cover = (b - a) / Math.max(1, content.length);
        this.addColPhrase(rootKey(toks, a, b), c.name, Math.min(0.85, 0.45 + 0.4 * cover));
      }
    }
    const syn = (w: string, score: number, list: readonly string[] | undefined): void => {
      for (const s of list ?? []) {
        const st = tokenize(s, 10_000).filter((t) => t.kind !== 'punct');
        if (st.length > 0) this.addColPhrase(rootKey(st, 0, st.length), c.name, score);
        void w;
      }
    };
    const lowerName = c.name.toLowerCase();
    if (userSyn) {
      for (const [k, list] of Object.entries(userSyn)) if (k.toLowerCase() === lowerName) syn(k, 1, list);
    }
    for (const t of content) {
      const b = Object.hasOwn(BUILTIN_SYNONYMS, t.text) ? BUILTIN_SYNONYMS[t.text] : undefined;
      syn(t.text, content.length === 1 ? 0.7 : 0.5, b);
    }
  }

  private indexValues(ds: Dataset): void {
    let budget = MAX_INDEXED_VALUES;
    for (const col of ds.columns()) {
      if (col.kind === 'number' || col.kind === 'integer') {
        const s = new Set<number>();
        for (let i = 0; i < col.length; i++) {
          const v = col.values[i] as number;
          if (!Number.isNaN(v)) s.add(v);
        }
        this.numbers.set(col.name, s);
        continue;
      }
      if (col.kind !== 'category' && col.kind !== 'text') continue;
      const seen = new Set<string>();
      for (let i = 0; i < col.length && budget > 0; i++) {
        const v: CellValue = cellValue(col, i);
        if (typeof v !== 'string' || seen.has(v)) continue;
        seen.add(v);
        budget--;
        const toks = tokenize(v, 100_000).filter((t) => t.kind !== 'punct');
        if (toks.length === 0 || toks.length > MAX_PHRASE) continue;
        if (toks.every((t) => STOP.has(t.text))) continue;
        for (const t of toks) {
          this.addVocab(t.text);
          if (t.kind === 'number') {
            const l = this.numberTokens.get(t.text);
            if (!l) this.numberTokens.set(t.text, [col.name]);
            else if (!l.includes(col.name)) l.push(col.name);
          }
        }
        const allToks = tokenize(v, 100_000);
        const dt = dateAt(allToks, 0);
        if (dt && dt.end === allToks.length) {
          // dates written as text are also found by their calendar date, whatever the format
          for (const dk of dateKeys(dt)) push(this.valPhrases, dk, { column: col.name, value: v });
          if (dt.y !== undefined && dt.d !== undefined)
            for (const dk of dateKeys({ m: dt.m, d: dt.d })) push(this.valPhrases, dk, { column: col.name, value: v });
        }
        const k = key(toks, 0, toks.length);
        const list = this.valPhrases.get(k);
        if (!list?.some((l) => l.column === col.name && l.value === v)) push(this.valPhrases, k, { column: col.name, value: v });
        // "United States (USA)" is also "United States"; "Jervis [1]" is also "Jervis"
        const cut = stripBrackets(v);
        if (cut !== v) {
          const ct = tokenize(cut, 100_000).filter((t) => t.kind !== 'punct');
          if (ct.length > 0 && ct.length <= MAX_PHRASE && !ct.every((t) => STOP.has(t.text))) {
            const ck = key(ct, 0, ct.length);
            if (!this.valPhrases.get(ck)?.some((l) => l.column === col.name && l.value === v)) push(this.valPhrases, ck, { column: col.name, value: v });
          }
        }
        // "the beatles" is also "beatles"
        if (toks.length > 1 && (toks[0] as Token).text === 'the') push(this.valPhrases, key(toks, 1, toks.length), { column: col.name, value: v });
        if (toks.length > 1) {
          for (const t of toks) {
            if (t.kind !== 'word' || t.text.length < 3 || STOP.has(t.text)) continue;
            const l = this.wordValues.get(t.text);
            if (!l) this.wordValues.set(t.text, [{ column: col.name, value: v }]);
            else if (l.length <= 4 && !l.some((x) => x.value === v && x.column === col.name)) l.push({ column: col.name, value: v });
          }
        }
      }
      this.distinct.set(col.name, seen.size);
      if (seen.size <= 30) {
        for (const v of seen) {
          const vt = tokenize(v, 100_000).filter((t) => t.kind !== 'punct');
          const w = vt[0];
          if (vt.length !== 1 || !w || w.kind !== 'word' || w.text.length < 3 || STOP.has(w.text)) continue;
          const r = root(w.text);
          const l = this.rootValues.get(r);
          if (!l) this.rootValues.set(r, [{ column: col.name, value: v }]);
          else if (!l.some((x) => x.column === col.name && x.value === v)) l.push({ column: col.name, value: v });
        }
      }
    }
  }

  /** Columns named by tokens [from, to) (roots compared), best first. */
  columnsAt(tokens: readonly Token[], from: number, to: number): readonly ColumnPhrase[] {
    return this.colPhrases.get(rootKey(tokens, from, to)) ?? [];
  }

  /** Columns whose root phrase is exactly `k` (roots joined by spaces). */
  columnsByRootKey(k: string): readonly ColumnPhrase[] {
    return this.colPhrases.get(k) ?? [];
  }

  /** One-word values of low-cardinality columns whose root is `r` ("win" → "Won"). */
  valuesByRoot(r: string): readonly ValueLink[] {
    return this.rootValues.get(r) ?? [];
  }

  /** Values whose token phrase is exactly `k`. */
  valuesByKey(k: string): readonly ValueLink[] {
    return this.valPhrases.get(k) ?? [];
  }

  /** Values that contain this word, when it is distinctive (at most 4 values). */
  valuesWithWord(w: string): readonly ValueLink[] {
    const l = this.wordValues.get(w);
    const first = l?.length === 1 ? l[0] : undefined;
    if (!l || !first || this.colPhrases.has(root(w))) return [];
    const c = first.column;
    const ds = this.ds;
    // only in name-like columns (mostly distinct values)
    return ds && (this.distinct.get(c) ?? 0) * 2 > ds.nrows ? l : [];
  }

  /** Values named exactly by tokens [from, to). */
  valuesAt(tokens: readonly Token[], from: number, to: number): readonly ValueLink[] {
    return this.valPhrases.get(key(tokens, from, to)) ?? [];
  }

  /** A known word within a small edit distance of `w` (typos), or undefined. */
  fuzzyWord(w: string): string | undefined {
    if (w.length < 6) return undefined;
    const max = w.length >= 8 ? 2 : 1;
    let best: string | undefined;
    let bestD = max + 1;
    for (let len = w.length - max; len <= w.length + max; len++) {
      const set = this.vocab.get(len);
      if (!set) continue;
      let budget = 5000;
      for (const cand of set) {
        if (--budget < 0) break;
        if (cand[0] !== w[0]) continue;
        const d = editDistance(w, cand, max);
        if (d < bestD) {
          bestD = d;
          best = cand;
        }
      }
    }
    return best;
  }

  /**
   * A column-name word one letter longer or shorter than a short unknown word, with the same first and last
   * letter ("dics" → "discs"): typos of 4- and 5-letter words, where a substitution would be too loose.
   */
  fuzzyColumnWord(w: string): string | undefined {
    if (w.length < 4 || w.length > 5) return undefined;
    for (const c of this.columnWords) {
      if (Math.abs(c.length - w.length) !== 1 || c[0] !== w[0] || c[c.length - 1] !== w[w.length - 1]) continue;
      if (editDistance(w, c, 1) <= 1) return c;
    }
    return undefined;
  }

  /** Text columns whose values contain this number token. */
  textColumnsWithToken(t: string): readonly string[] {
    return this.numberTokens.get(t) ?? [];
  }

  /** Whether a word is a known column or value word. */
  knows(w: string): boolean {
    return this.vocab.get(w.length)?.has(w) ?? false;
  }

  /** Every column name and a sample of values, for "did you mean" suggestions. */
  suggestionPool(): string[] {
    const out = this.columns.map((c) => c.name);
    let k = 0;
    for (const list of this.valPhrases.values()) {
      for (const v of list) if (typeof v.value === 'string') out.push(v.value);
      if (++k > 5000) break;
    }
    return out;
  }

  kindOf(column: string): ColumnKind | undefined {
    return this.columns.find((c) => c.name === column)?.kind;
  }
}
