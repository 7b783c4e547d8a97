import { closest, editDistance, TesseraError } from '../core/errors.js';
import { Dataset } from '../dataset/index.js';
import { cachedFor } from './cache.js';
import { extractNumber, hasListItem, matchRows } from './execute.js';
import { type QueryColumn, SchemaIndex, STOP, type ValueLink } from './link.js';
import type { AggregateFn, ChoicePlan, CompareOp, Condition, NumberExtract, OrderKey, OutputItem, PlanValue, QueryPlan, SelectPlan, TimeUnit } from './plan.js';
import { restate } from './restate.js';
import { dateAt, dateKeys, MAX_QUESTION_LENGTH, normalizeText, root, type Token, tokenize } from './tokenize.js';

/**
 * Options for {@link parse} and {@link ask}.
 *
 * @example
 * ```ts
 * const o: ParseOptions = { synonyms: { revenue: ['sales', 'turnover'] }, now: new Date('2024-06-30') };
 * ```
 */
export interface ParseOptions {
  /** Extra words for columns: `{ revenue: ['sales', 'turnover'] }`. */
  synonyms?: Record<string, readonly string[]>;
  /** "Now" for relative time ranges ("last 30 days"). Default: the current time. */
  now?: Date | number;
  /** How many alternative readings to return besides the chosen one. Default 3. */
  maxAlternatives?: number;
  /** Longest question accepted, in characters (at most 10,000). Default 1,000. */
  maxLength?: number;
}

/**
 * One reading of a question.
 *
 * @example
 * ```ts
 * const r: Reading = parse('how many rows', ds);
 * r.restatement; // 'count the rows'
 * ```
 */
export interface Reading {
  readonly plan: QueryPlan;
  /** The plan said back in plain English. */
  readonly restatement: string;
  /** In [0, 1]: how sure the parser is, relative to the other readings. */
  readonly confidence: number;
}

/**
 * What {@link parse} returns: the best reading, ranked alternatives, and the words it did not use.
 *
 * @example
 * ```ts
 * const r = parse('average price by make', ds);
 * r.plan; r.alternatives; r.unknownWords;
 * ```
 */
export interface ParseResult extends Reading {
  readonly alternatives: readonly Reading[];
  /** Content words that matched nothing (reported, not fatal). */
  readonly unknownWords: readonly string[];
}

// ---------------------------------------------------------------- analysis

interface Mention {
  start: number;
  end: number;
  cols: { column: string; score: number }[];
  vals: ValueLink[];
  num?: number;
  /** the number before a magnitude ("11.35" of "11.35 million") */
  base?: number;
  percent?: boolean;
  ordinal?: boolean;
  used?: boolean;
  /** a calendar day (epoch ms) for datetime columns */
  date?: number;
  /** matched some words of a value, not all */
  partial?: boolean;
}

type Kw =
  | 'count'
  | 'sum'
  | 'avg'
  | 'median'
  | 'max'
  | 'min'
  | 'more'
  | 'less'
  | 'gt'
  | 'lt'
  | 'ge'
  | 'le'
  | 'between'
  | 'not'
  | 'first'
  | 'last'
  | 'after'
  | 'before'
  | 'diff'
  | 'ratio'
  | 'distinct'
  | 'group'
  | 'contains'
  | 'starts'
  | 'empty'
  | 'or'
  | 'and'
  | 'than'
  | 'top'
  | 'bottom'
  | 'who'
  | 'when'
  | 'where'
  | 'common';

const SINGLE: Record<string, Kw> = {
  count: 'count',
  total: 'sum',
  sum: 'sum',
  combined: 'sum',
  altogether: 'sum',
  average: 'avg',
  mean: 'avg',
  avg: 'avg',
  median: 'median',
  most: 'max',
  highest: 'max',
  largest: 'max',
  biggest: 'max',
  greatest: 'max',
  maximum: 'max',
  max: 'max',
  longest: 'max',
  tallest: 'max',
  heaviest: 'max',
  oldest: 'max',
  best: 'max',
  deepest: 'max',
  widest: 'max',
  farthest: 'max',
  furthest: 'max',
  least: 'min',
  lowest: 'min',
  smallest: 'min',
  fewest: 'min',
  minimum: 'min',
  min: 'min',
  shortest: 'min',
  youngest: 'min',
  worst: 'min',
  more: 'more',
  higher: 'more',
  larger: 'more',
  greater: 'more',
  bigger: 'more',
  taller: 'more',
  longer: 'more',
  heavier: 'more',
  older: 'more',
  better: 'more',
  less: 'less',
  fewer: 'less',
  lower: 'less',
  smaller: 'less',
  shorter: 'less',
  younger: 'less',
  lighter: 'less',
  worse: 'less',
  over: 'gt',
  above: 'gt',
  exceeding: 'gt',
  exceeds: 'gt',
  under: 'lt',
  below: 'lt',
  between: 'between',
  not: 'not',
  no: 'not',
  non: 'not',
  except: 'not',
  besides: 'not',
  excluding: 'not',
  without: 'not',
  never: 'not',
  first: 'first',
  earliest: 'first',
  earlier: 'first',
  sooner: 'first',
  later: 'last',
  last: 'last',
  final: 'last',
  latest: 'last',
  after: 'after',
  next: 'after',
  following: 'after',
  since: 'ge',
  before: 'before',
  previous: 'before',
  preceding: 'before',
  prior: 'before',
  difference: 'diff',
  ratio: 'ratio',
  different: 'distinct',
  distinct: 'distinct',
  unique: 'distinct',
  by: 'group',
  per: 'group',
  each: 'group',
  every: 'group',
  contains: 'contains',
  contain: 'contains',
  containing: 'contains',
  include: 'contains',
  includes: 'contains',
  including: 'contains',
  empty: 'empty',
  missing: 'empty',
  blank: 'empty',
  or: 'or',
  and: 'and',
  than: 'than',
  top: 'max',
  bottom: 'min',
  who: 'who',
  whom: 'who',
  when: 'when',
  where: 'where',
  common: 'common',
  frequent: 'common',
  often: 'common',
  popular: 'common',
  '>': 'gt',
  '<': 'lt',
  '>=': 'ge',
  '<=': 'le',
  '!=': 'not',
};

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_ABBR = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ORDINAL_WORDS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
};
const NUMBER_WORDS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  fifty: 50,
  hundred: 100,
  dozen: 12,
};
/** Words after "how many years" that ask for a distance in time. */
const TIME_GAP = new Set(['after', 'before', 'earlier', 'later', 'apart', 'between', 'passed', 'separated', 'elapsed']);
const TIME_UNITS = new Set(['day', 'days', 'week', 'weeks', 'month', 'months', 'quarter', 'quarters', 'year', 'years', 'daily', 'weekly', 'monthly', 'yearly']);
/** Words that make an ordinal a place in a ranking ("finished first", "second place"). */
const PLACE_WORDS = new Set(['place', 'placed', 'position', 'pos', 'finish', 'finished', 'finishing', 'rank', 'ranked', 'ranking', 'came', 'spot', 'standing']);
/** Column name words of a ranking. */
const RANK_WORDS = new Set(['rank', 'pos', 'position', 'place', 'finish', 'standing', 'placing', 'pl']);
/** Column name words of an overall measure ("Total", "Points"). */
const TOTAL_WORDS = new Set(['total', 'totals', 'points', 'pts', 'overall', 'sum', 'score', 'tally']);
/** People and adjectives of countries → the country as written in tables (general English, not tied to any data). */
const DEMONYMS: Record<string, string> = {
  american: 'united states',
  canadian: 'canada',
  mexican: 'mexico',
  brazilian: 'brazil',
  argentine: 'argentina',
  argentinian: 'argentina',
  chilean: 'chile',
  colombian: 'colombia',
  peruvian: 'peru',
  british: 'united kingdom',
  english: 'england',
  scottish: 'scotland',
  welsh: 'wales',
  irish: 'ireland',
  french: 'france',
  german: 'germany',
  italian: 'italy',
  spanish: 'spain',
  portuguese: 'portugal',
  dutch: 'netherlands',
  belgian: 'belgium',
  swiss: 'switzerland',
  austrian: 'austria',
  swedish: 'sweden',
  swede: 'sweden',
  norwegian: 'norway',
  danish: 'denmark',
  finnish: 'finland',
  polish: 'poland',
  czech: 'czech republic',
  hungarian: 'hungary',
  romanian: 'romania',
  russian: 'russia',
  ukrainian: 'ukraine',
  greek: 'greece',
  turkish: 'turkey',
  chinese: 'china',
  japanese: 'japan',
  korean: 'south korea',
  indian: 'india',
  australian: 'australia',
  kenyan: 'kenya',
  ethiopian: 'ethiopia',
  nigerian: 'nigeria',
  egyptian: 'egypt',
  jamaican: 'jamaica',
  cuban: 'cuba',
  israeli: 'israel',
  iranian: 'iran',
  pakistani: 'pakistan',
};
const UNIT_DAYS: Record<string, number> = { day: 1, days: 1, week: 7, weeks: 7 };
const PERSON = new Set([
  'name',
  'player',
  'driver',
  'artist',
  'winner',
  'athlete',
  'candidate',
  'rider',
  'person',
  'member',
  'actor',
  'coach',
  'author',
  'writer',
  'director',
  'singer',
  'composer',
  'manager',
  'president',
  'incumbent',
  'representative',
  'cyclist',
  'runner',
  'swimmer',
  'boxer',
  'wrestler',
  'performer',
  'pilot',
  'holder',
  'champion',
  'nominee',
  'recipient',
  'leader',
  'owner',
  'governor',
  'mayor',
  'senator',
  'chairman',
  'minister',
  'skater',
  'jockey',
  'trainer',
  'team',
  'club',
]);
const ENTITY = new Set([
  ...PERSON,
  'title',
  'show',
  'film',
  'movie',
  'album',
  'song',
  'single',
  'event',
  'ship',
  'model',
  'station',
  'building',
  'school',
  'institution',
  'company',
  'country',
  'nation',
  'city',
  'competition',
  'tournament',
  'race',
  'work',
  'series',
  'program',
  'programme',
  'game',
  'opponent',
]);
const WHEN = new Set([
  'year',
  'date',
  'season',
  'time',
  'day',
  'month',
  'period',
  'term',
  'years',
  'dates',
  'founded',
  'established',
  'opened',
  'released',
  'release',
]);
const WHERE = new Set([
  'location',
  'venue',
  'city',
  'country',
  'place',
  'site',
  'stadium',
  'town',
  'state',
  'region',
  'province',
  'county',
  'address',
  'ground',
  'arena',
  'nation',
  'hometown',
]);

interface Analysis {
  tokens: Token[];
  mentions: Mention[];
  /** token index → mention index */
  at: Int32Array;
  kw: (Kw | undefined)[];
  corrected: string[];
}

const KEYWORDS = Object.keys(SINGLE).filter((k) => k.length >= 5);
/** A keyword one edit away ("larges" → "largest", "averge" → "average"). */
function keywordTypo(w: string): string | undefined {
  if (w.length < 5) return undefined;
  for (const k of KEYWORDS) if (Math.abs(k.length - w.length) <= 1 && k[0] === w[0] && editDistance(w, k, 1) <= 1) return k;
  return undefined;
}

function numberWord(t: Token): { num: number; ordinal: boolean } | undefined {
  if (t.kind === 'number' && t.num !== undefined) return { num: t.num, ordinal: t.ordinal === true };
  if (Object.hasOwn(NUMBER_WORDS, t.text)) return { num: NUMBER_WORDS[t.text] as number, ordinal: false };
  if (Object.hasOwn(ORDINAL_WORDS, t.text) && t.text !== 'first') return { num: ORDINAL_WORDS[t.text] as number, ordinal: true };
  return undefined;
}

function analyze(index: SchemaIndex, raw: Token[]): Analysis {
  const corrected: string[] = [];
  // typo correction against the vocabulary of column names and values
  const tokens = raw.map((t) => {
    // "dq'ed", "ko'd": a verb made of a stored abbreviation ("DQ", "KO")
    if (t.kind === 'word') {
      const ap = t.text.indexOf("'");
      const suf = ap > 0 ? t.text.slice(ap + 1) : '';
      if ((suf === 'ed' || suf === 'd' || suf === 'ing') && index.valuesByKey(t.text.slice(0, ap)).length > 0) return { ...t, text: t.text.slice(0, ap) };
    }
    if (t.kind !== 'word' || STOP.has(t.text) || Object.hasOwn(SINGLE, t.text) || index.knows(t.text) || t.text.length < 4) return t;
    if (index.columnsAt([t], 0, 1).length > 0) return t;
    const fix = index.fuzzyWord(t.text) ?? keywordTypo(t.text) ?? index.fuzzyColumnWord(t.text);
    if (fix && fix !== t.text) {
      corrected.push(`${t.text}→${fix}`);
      return { ...t, text: fix };
    }
    return t;
  });
  const n = tokens.length;
  const roots = tokens.map((t) => root(t.text));
  const mentions: Mention[] = [];
  const at = new Int32Array(n).fill(-1);
  let i = 0;
  while (i < n) {
    const t = tokens[i] as Token;
    if (t.kind === 'punct') {
      i++;
      continue;
    }
    let best: Mention | undefined;
    const dt = dateAt(tokens, i);
    if (dt) {
      const vals = dateKeys(dt).flatMap((k) => index.valuesByKey(k));
      const uniq = vals.filter((v, q) => vals.findIndex((x) => x.column === v.column && x.value === v.value) === q);
      if (uniq.length > 0) best = { start: i, end: dt.end, cols: [], vals: uniq.slice(0, 4) };
      else if (dt.d !== undefined && dt.y !== undefined && index.columns.some((c) => c.kind === 'datetime'))
        best = { start: i, end: dt.end, cols: [], vals: [], date: Date.UTC(dt.y, dt.m, dt.d) };
    }
    // keys grow one token at a time (linear work per position); the longest match wins
    let k1 = '';
    let r1 = '';
    const maxLen = Math.min(10, n - i);
    for (let len = 1; len <= maxLen && !best?.date && !(dt && best); len++) {
      const j = i + len;
      const tj = tokens[j - 1] as Token;
      if (tj.kind === 'punct') continue;
      k1 += (k1 === '' ? '' : ' ') + tj.text;
      r1 += (r1 === '' ? '' : ' ') + (roots[j - 1] as string);
      let vals = index.valuesByKey(k1);
      const cols = index.columnsByRootKey(r1);
      // an inflected word of a one-word value ("win" → "Won", "lost" → "Loss"), unless it names a column outright
      // (never a time unit, nor the word after "by"/"per": those group)
      const prevW = tokens[i - 1]?.text;
      if (
        len === 1 &&
        vals.length === 0 &&
        t.kind === 'word' &&
        !STOP.has(t.text) &&
        !TIME_UNITS.has(t.text) &&
        prevW !== 'by' &&
        prevW !== 'per' &&
        t.text.length >= 3 &&
        !cols.some((c) => c.score >= 0.9)
      )
        vals = index.valuesByRoot(roots[i] as string);
      if (vals.length === 0 && cols.length === 0) continue;
      const single = len === 1;
      const w = t.text;
      const usableVals = single && (STOP.has(w) || (Object.hasOwn(SINGLE, w) && !['total', 'or', 'and'].includes(w) && SINGLE[w] !== 'who')) ? [] : [...vals];
      // negations never name a column ("not" and "Notes" share a crude root)
      const negation = single && ['not', 'never', 'without', 'except', 'non', 'besides', 'excluding'].includes(w);
      const usableCols = (single && STOP.has(w) && !['number', 'name', 'total', 'time', 'count', 'amount'].includes(w)) || negation ? [] : [...cols];
      if (usableVals.length > 0 || usableCols.length > 0) best = { start: i, end: j, cols: usableCols, vals: usableVals };
    }
    const nw = numberWord(t);
    if (best && nw && best.end === i + 1 && !best.cols.some((c) => c.score >= 1)) {
      best.num = nw.num;
      if (t.base !== undefined) best.base = t.base;
      best.ordinal = nw.ordinal;
      if (t.percent) best.percent = true;
    }
    if (!best && nw && (t.kind === 'number' || !Object.hasOwn(SINGLE, t.text))) {
      best = {
        start: i,
        end: i + 1,
        cols: [],
        vals: [],
        num: nw.num,
        ordinal: nw.ordinal,
        ...(t.percent ? { percent: true } : {}),
        ...(t.base !== undefined ? { base: t.base } : {}),
      };
    }
    if (!best && t.kind === 'word' && t.text.length >= 4) {
      // demonyms: "canadians" → "Canada", "a german driver" → "Germany"
      const w = t.text.endsWith('s') ? t.text.slice(0, -1) : t.text;
      const country = Object.hasOwn(DEMONYMS, w) ? DEMONYMS[w] : Object.hasOwn(DEMONYMS, t.text) ? DEMONYMS[t.text] : undefined;
      if (country) {
        const vals = index.valuesByKey(country);
        if (vals.length > 0) best = { start: i, end: i + 1, cols: [], vals: [...vals] };
      }
    }
    if (!best && t.kind === 'word' && t.text.length >= 4 && t.text.endsWith('y') && !STOP.has(t.text)) {
      // adjectives of values: "sunny" → "sun", "rainy" → "rain", "foggy" → "fog"
      const w = t.text.slice(0, -1);
      const base = w.length >= 3 && w[w.length - 1] === w[w.length - 2] ? [w, w.slice(0, -1)] : [w];
      for (const b of base) {
        const vals = index.valuesByKey(b);
        if (vals.length > 0) {
          best = { start: i, end: i + 1, cols: [], vals: [...vals] };
          break;
        }
      }
    }
    if (!best && t.kind === 'word' && !STOP.has(t.text) && !Object.hasOwn(SINGLE, t.text) && t.text.length >= 4 && tokens[i - 1]?.kind !== 'number') {
      // partial value: words of one stored value ("macneill" → "Gordon MacNeill"); never the unit after a number ("20 goals")
      let vals = index.valuesWithWord(t.text);
      let j = i + 1;
      while (vals.length > 0 && j < n && j < i + 6) {
        const nt = tokens[j] as Token;
        if (nt.kind !== 'word' || STOP.has(nt.text)) break;
        const next = index.valuesWithWord(nt.text);
        const both = vals.filter((v) => next.some((x) => x.column === v.column && x.value === v.value));
        if (both.length === 0) break;
        vals = both;
        j++;
      }
      if (vals.length === 1) best = { start: i, end: j, cols: [], vals: [...vals], partial: true };
    }
    if (best) {
      for (let k = best.start; k < best.end; k++) at[k] = mentions.length;
      mentions.push(best);
      i = best.end;
    } else i++;
  }
  // partial value mentions only count when nothing matched a whole value
  if (mentions.some((m) => m.vals.length > 0 && !m.partial)) {
    for (const m of mentions) {
      if (!m.partial) continue;
      m.vals = [];
      for (let k = m.start; k < m.end; k++) at[k] = -1;
    }
  }
  const kw: (Kw | undefined)[] = tokens.map((t, k) => {
    if (at[k] !== -1) {
      const m = mentions[at[k] as number] as Mention;
      // a lone keyword that also names a column part is still a keyword when the column link is weak
      const lone = m.end - m.start === 1 && m.vals.length === 0 && m.num === undefined;
      // superlatives that name their measure ("oldest" → age) stay superlatives
      const sup = Object.hasOwn(SINGLE, t.text) && (SINGLE[t.text] === 'max' || SINGLE[t.text] === 'min');
      if (!(lone && ((m.cols[0]?.score ?? 1) < 0.9 || sup))) return undefined;
    }
    return Object.hasOwn(SINGLE, t.text) ? SINGLE[t.text] : t.text.endsWith("n't") ? 'not' : undefined;
  });
  // multi-word keywords
  for (let k = 0; k < n; k++) {
    const a = tokens[k]?.text;
    const b = tokens[k + 1]?.text;
    if (a === 'how' && (b === 'many' || b === 'much')) {
      kw[k] = 'count';
      const c = tokens[k + 2]?.text;
      if (
        c === 'more' ||
        c === 'less' ||
        c === 'fewer' ||
        c === 'higher' ||
        c === 'larger' ||
        c === 'bigger' ||
        c === 'longer' ||
        c === 'greater' ||
        c === 'older' ||
        c === 'taller' ||
        c === 'lower' ||
        c === 'shorter'
      )
        kw[k] = 'diff';
    }
    if (a === 'how' && b === 'often') kw[k] = 'count';
    // "how many years after A was B", "how many days apart": the distance between two rows in time
    if (a === 'how' && b === 'many' && TIME_UNITS.has(tokens[k + 2]?.text ?? '') && TIME_GAP.has(tokens[k + 3]?.text ?? '')) kw[k] = 'diff';
    if (a === 'number' && b === 'of') {
      const prev = mentions[at[k - 1] ?? -1];
      const pk = kw[k - 1];
      if (pk === 'max' || pk === 'min') {
        /* "the greatest number of X": a superlative over X */
      } else if (!prev || prev.cols.length === 0 || tokens[k - 1]?.text === 'total') kw[k] = 'count';
    }
    if ((a === 'many' || a === 'much') && b === 'total') {
      kw[k + 1] = undefined;
      const mm = mentions[at[k + 1] as number];
      const nx = mentions[at[k + 2] ?? -1];
      if (mm && mm.end - mm.start === 1 && nx && nx.start === k + 2 && nx.cols.length > 0) mm.cols = [];
    }
    if (kw[k] === 'count' && a === 'number') {
      const mm = mentions[at[k] as number];
      if (mm && mm.end - mm.start === 1) mm.cols = [];
    }
    if (a === 'total' && at[k] !== -1 && b !== 'of') {
      // "total gold": an aggregate over the next numeric column, not the Total column
      const mm = mentions[at[k] as number];
      const nx = mentions[at[k + 1] as number];
      if (mm && mm.end - mm.start === 1 && nx && nx.start === k + 1 && nx.cols.some((c) => isNumericKind(index.kindOf(c.column)))) {
        mm.cols = [];
        kw[k] = 'sum';
      }
    }
    if (a === 'total' && (b === 'number' || b === 'amount' || b === 'count')) kw[k] = 'count';
    if (a === 'total' && tokens[k - 1]?.text === 'a' && b === 'of') kw[k] = undefined;
    // "this country has a count of 13 medals": a statement of a number, not a count
    if (a === 'count' && tokens[k - 1]?.text === 'a' && b === 'of') kw[k] = undefined;
    if ((a === 'starts' || a === 'start' || a === 'starting' || a === 'begins' || a === 'begin' || a === 'beginning') && b === 'with') kw[k] = 'starts';
    if (a === 'at' && b === 'least') {
      kw[k] = 'ge';
      kw[k + 1] = undefined;
    }
    if (a === 'at' && b === 'most') {
      kw[k] = 'le';
      kw[k + 1] = undefined;
    }
    if (a === 'or' && (b === 'more' || b === 'greater' || b === 'higher' || b === 'above')) {
      kw[k] = 'ge';
      kw[k + 1] = undefined;
    }
    if (a === 'or' && (b === 'less' || b === 'fewer' || b === 'lower' || b === 'below')) {
      kw[k] = 'le';
      kw[k + 1] = undefined;
    }
    if (a === 'other' && b === 'than') {
      kw[k] = 'not';
      kw[k + 1] = undefined;
    }
    if (a === 'up' && b === 'to') kw[k] = 'le';
    if (kw[k] === undefined && b === 'than' && Object.hasOwn(SINGLE, a ?? '') && (SINGLE[a ?? ''] === 'more' || SINGLE[a ?? ''] === 'less'))
      kw[k] = SINGLE[a ?? ''];
    if ((kw[k] === 'more' || kw[k] === 'less') && b === 'than') {
      kw[k] = kw[k] === 'more' ? 'gt' : 'lt';
      kw[k + 1] = undefined;
    }
    if ((a === 'how' || a === 'what') && b === 'times') kw[k] = 'count';
    // "at the bottom of the chart", "the top of the list": the last / first row, not a superlative
    if ((a === 'top' || a === 'bottom') && b === 'of' && ['list', 'chart', 'table', 'page'].includes(tokens[k + 3]?.text ?? tokens[k + 2]?.text ?? '')) {
      kw[k] = a === 'top' ? 'first' : 'last';
      if (kw.some((x, q) => q !== k && (x === 'first' || x === 'last'))) kw[k] = undefined;
    }
  }
  return { tokens, mentions, at, kw, corrected };
}

// ---------------------------------------------------------------- building

interface Ctx {
  index: SchemaIndex;
  a: Analysis;
  now: number;
  /** which option of each ambiguous value mention to take */
  valueChoice: Map<number, number>;
  targetShift: number;
  /** read no ordinal as a place in a ranking (an alternative reading) */
  skipPlace?: boolean;
}

interface Candidate {
  plan: QueryPlan;
  score: number;
}

function isNumericKind(k: string | undefined): boolean {
  return k === 'number' || k === 'integer';
}

function nameWords(col: string): string[] {
  return tokenize(col, 100_000)
    .filter((t) => t.kind === 'word')
    .map((t) => t.text);
}

const ID_WORDS = new Set(['no', 'id', 'number', 'code', 'pick', 'episode', 'game', 'match', 'round', 'track', 'series', 'position', 'pos', 'rank', 'sr', 'nr']);
/** A numeric column that numbers rows (all distinct integers, or an id-like name): counted, never summed. */
function isIdentifier(index: SchemaIndex, col: string): boolean {
  const words = nameWords(col);
  if (words.includes('of')) return false; // "No. of Athletes", "# of Bids": a count column
  if (words.some((w) => ID_WORDS.has(w)) || col.trim() === '#' || col.trim().startsWith('#')) return true;
  if (index.columns[0]?.name === col && words.length <= 2) return true;
  const s = index.numbers.get(col);
  if (!s || !index.ds) return false;
  if (s.size < index.ds.nrows || s.size < 3) return false;
  let max = 0;
  for (const v of s) {
    if (!Number.isInteger(v) || v < 0) return false;
    max = Math.max(max, v);
  }
  return max <= s.size + 1;
}

const CURRENCY = new Set(['$', '£', '€', '¥', '₹']);
/** How a text column's cells look (see `textShape`). */
interface TextShape {
  lead: boolean;
  half: boolean;
  year: boolean;
  month: boolean;
  range: boolean;
  clock: boolean;
  spaced: boolean;
  date: boolean;
}
const textShapes = new WeakMap<SchemaIndex, Map<string, TextShape>>();
/** How a text column's values look: mostly starting with a digit (`lead`), mostly holding a year (`year`). Cached per index. */
function textShape(index: SchemaIndex, col: string): TextShape {
  return cachedFor(
    textShapes,
    index,
    col,
    () => new Map(),
    () => measureTextShape(index, col),
  );
}

function measureTextShape(index: SchemaIndex, col: string): TextShape {
  const ds = index.ds;
  const out = { lead: false, half: false, year: false, month: false, range: false, clock: false, spaced: false, date: false };
  const k = index.kindOf(col);
  if (ds?.has(col) && (k === 'text' || k === 'category')) {
    let digits = 0;
    let years = 0;
    let months = 0;
    let ranges = 0;
    let clocks = 0;
    let grouped = 0;
    let ungrouped = 0;
    let dates = 0;
    let total = 0;
    for (let i = 0; i < ds.nrows && total < 200; i++) {
      const v = ds.get(i, col);
      if (typeof v !== 'string' || v.trim() === '' || v.trim() === '-' || v.trim() === '—') continue;
      total++;
      // a digit first, or after a currency sign ("$26,000", "£5.00")
      const tv = v.trim();
      const c = CURRENCY.has(tv[0] as string) ? tv.charCodeAt(1) : tv.charCodeAt(0);
      if (c >= 48 && c <= 57) digits++;
      if (extractNumber(v, 'year') !== null) years++;
      if (namesMonth(v)) months++;
      if (extractNumber(v, 'span') !== null) ranges++;
      // "1:08.89", "+0.27" behind a leader's time: a column of durations
      if (extractNumber(v, 'duration') !== null) clocks++;
      if (extractNumber(v, 'date') !== null) dates++;
      const g = firstNumberGrouping(tv);
      if (g === 'space') grouped++;
      else if (g === 'other') ungrouped++;
    }
    out.lead = total > 0 && digits >= 0.8 * total;
    out.half = total > 0 && digits >= 0.5 * total;
    out.year = total > 0 && years >= 0.8 * total;
    out.month = total > 0 && months >= 0.5 * total;
    out.range = total > 0 && ranges >= 0.5 * total;
    out.clock = total > 0 && clocks >= 0.6 * total;
    // thousands grouped by spaces ("98 453") in every cell whose first number has four digits or more
    out.date = total > 0 && dates >= 0.5 * total;
    out.spaced = grouped > 0 && ungrouped === 0 && out.half && !out.clock;
  }
  return out;
}

/**
 * How the first number of a cell groups its thousands: `space` ("98 453", "1 234 567 people"), `other` (four
 * digits or more written together or with commas: "98453", "98,453"), `none` (under 1,000 or no number).
 */
function firstNumberGrouping(v: string): 'space' | 'other' | 'none' {
  const n = v.length;
  let i = 0;
  while (i < n && !isDigit(v.charCodeAt(i))) i++;
  if (i >= n) return 'none';
  let j = i;
  while (j < n && isDigit(v.charCodeAt(j))) j++;
  if (j - i >= 4 || (v[j] === ',' && isDigit(v.charCodeAt(j + 1)))) return 'other';
  let spaced = false;
  while (v[j] === ' ' && isDigit(v.charCodeAt(j + 1)) && isDigit(v.charCodeAt(j + 2)) && isDigit(v.charCodeAt(j + 3)) && !isDigit(v.charCodeAt(j + 4))) {
    spaced = true;
    j += 4;
  }
  return spaced ? 'space' : 'none';
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A full calendar date from token `i`, also "7th of november 1959" (see `dateAt`). */
function calendarDateAt(tokens: readonly Token[], i: number): { end: number; y?: number; m: number; d?: number } | undefined {
  const t = tokens[i];
  if (t?.kind === 'number' && tokens[i + 1]?.text === 'of' && Number.isInteger(t.num) && (t.num as number) >= 1 && (t.num as number) <= 31) {
    const r = dateAt(tokens, i + 2);
    return r && r.d === undefined && r.y !== undefined ? { end: r.end, y: r.y, m: r.m, d: t.num as number } : undefined;
  }
  return dateAt(tokens, i);
}

const yearsCache = new WeakMap<SchemaIndex, Map<string, number[] | undefined>>();
/** The distinct years of a datetime column (first 5,000 rows), ascending; undefined past 50 years or without data. Cached. */
function yearsOf(index: SchemaIndex, col: string): number[] | undefined {
  return cachedFor(
    yearsCache,
    index,
    col,
    () => new Map(),
    () => distinctYears(index, col),
  );
}

function distinctYears(index: SchemaIndex, col: string): number[] | undefined {
  const ds = index.ds;
  let out: number[] | undefined;
  if (ds?.has(col)) {
    const ys = new Set<number>();
    for (let i = 0; i < ds.nrows && i < 5000 && ys.size <= 50; i++) {
      const v = ds.get(i, col);
      if (v instanceof Date && !Number.isNaN(v.getTime())) ys.add(v.getUTCFullYear());
    }
    out = ys.size <= 50 ? [...ys].sort((x, y) => x - y) : undefined;
  }
  return out;
}

/** Whether a text names a month ("3 Nov 1990", "November 3"). */
function namesMonth(v: string): boolean {
  const low = v.toLowerCase();
  for (const m of MONTH_ABBR) if (low.includes(m)) return true;
  return false;
}

/** A text column whose values mostly start with a digit (times, scores, "2 miles"): ordering it makes sense. */
function numericLikeText(index: SchemaIndex, col: string): boolean {
  const sh = textShape(index, col);
  return sh.lead || sh.clock;
}

/** A numeric column, or a text column of numbers written with units ("2 miles", "7,000 (est.)"). */
function numLike(index: SchemaIndex, col: string): boolean {
  return isNumericKind(index.kindOf(col)) || numericLikeText(index, col);
}

/** A column whose values can be added up: numeric, or text quantities with units that are not dates or years. */
function summable(index: SchemaIndex, col: string): boolean {
  if (isNumericKind(index.kindOf(col))) return true;
  const sh = textShape(index, col);
  return sh.lead && !sh.year;
}

/** `{ extract: 'number' }` for a text column read as numbers, else nothing (spread into plan nodes). */
function ex(index: SchemaIndex, col: string, how: NumberExtract = 'number'): { extract?: NumberExtract } {
  const k = index.kindOf(col);
  if (k !== 'text' && k !== 'category') return {};
  // durations ("1:08.89") are read as seconds, not as their first number
  const sh = textShape(index, col);
  return { extract: how === 'number' && sh.clock ? 'duration' : how === 'number' && sh.spaced ? 'spaced' : how };
}

/** A one-cell plan: the sum of `column` (numbers read out of its text where it is text, see `ex`) over the rows `where` keeps. */
function sumPlan(index: SchemaIndex, column: string, where: Condition | undefined): SelectPlan {
  return {
    type: 'select',
    items: [{ type: 'aggregate', fn: 'sum', column, as: column, ...ex(index, column) }],
    groupBy: [],
    orderBy: [],
    ...(where ? { where } : {}),
  };
}

const SUMMARY = new Set(['total', 'totals', 'grand total', 'overall', 'sum', 'all']);
/** A row labelled as a summary ("Total") in the first text column, if the data has one. */
function summaryRow(index: SchemaIndex): { column: string; value: string } | undefined {
  const ds = index.ds;
  const first = index.columns.find((c) => c.kind === 'text' || c.kind === 'category');
  if (!ds || !first) return undefined;
  for (let i = ds.nrows - 1; i >= Math.max(0, ds.nrows - 3); i--) {
    const v = ds.get(i, first.name);
    if (typeof v === 'string' && SUMMARY.has(v.trim().toLowerCase())) return { column: first.name, value: v };
  }
  return undefined;
}

function looksTime(col: string): boolean {
  return nameWords(col).some((w) => WHEN.has(w));
}

function kwBefore(a: Analysis, pos: number, want: readonly Kw[], window: number): number {
  for (let k = pos - 1; k >= Math.max(0, pos - window); k--) {
    const w = a.kw[k];
    if (w !== undefined && want.includes(w)) return k;
    if (a.at[k] !== -1 && window > 1 && a.mentions[a.at[k] as number]?.vals.length) break;
  }
  return -1;
}

function numericValue(index: SchemaIndex, column: string, num: number, percent: boolean): number {
  if (!percent) return num;
  const s = index.numbers.get(column);
  if (s && s.size > 0) {
    let max = 0;
    for (const v of s) max = Math.max(max, Math.abs(v));
    if (max <= 1) return num / 100;
  }
  return num;
}

function dateValue(ms: number): PlanValue {
  return { date: new Date(ms).toISOString() };
}

function timeColumn(index: SchemaIndex, mentioned: readonly string[]): string | undefined {
  const dt = index.columns.filter((c) => c.kind === 'datetime').map((c) => c.name);
  return mentioned.find((m) => dt.includes(m)) ?? dt[0];
}

function build(ctx: Ctx): Candidate | undefined {
  const { index, a } = ctx;
  const { tokens, mentions, kw } = a;
  const n = tokens.length;
  let score = 0;
  const conds: Condition[] = [];
  const filterCols = new Set<string>();
  const usedTok = new Uint8Array(n);
  const has = (k: Kw): number => kw.indexOf(k);
  const text = (k: number): string => tokens[k]?.text ?? '';
  /** The column mention of the noun a count keyword counts ("how many [total] players", "the number of districts"). */
  const countedNoun = (cAt: number): Mention | undefined => {
    if (cAt < 0) return undefined;
    let q = cAt + 1;
    while (['many', 'much', 'of', 'the', 'total', 'number', 'different'].includes(text(q)) && (a.at[q] === -1 || !mentions[a.at[q] as number]?.cols.length))
      q++;
    const m = mentions[a.at[q] ?? -1];
    return m && m.start === q && m.vals.length === 0 && m.cols.length > 0 ? m : undefined;
  };

  // ---- "position one is vacant, but who holds position two?": a clause before "but" that has no question word
  // is context; the question is the clause with the question word
  let contextEnd = -1;
  {
    const wh = (k: number): boolean => ['what', 'which', 'who', 'whom', 'when', 'where', 'how'].includes(text(k));
    let cut = -1;
    for (let k = 1; k < n; k++) {
      if (wh(k) && cut < 0) break;
      // (full stops are not tokens: only "but" separates the clauses)
      if (text(k) === 'but') {
        let w = k + 1;
        while (w < n && !wh(w)) w++;
        if (w < n && w <= k + 3) cut = k;
        break;
      }
    }
    if (cut > 0) {
      contextEnd = cut;
      // "X has over 40 appearances but what is his goal count": a pronoun after the cut refers back to the named row
      const refers = tokens.slice(cut).some((t) => ['his', 'her', 'its', 'their', 'he', 'she', 'it', 'they', 'him', 'them'].includes(t.text));
      for (const m of mentions) if (m.end <= cut && !(refers && m.vals.length > 0 && m.num === undefined)) m.used = true;
      for (let k = 0; k < cut; k++) kw[k] = undefined;
    }
  }

  // ---- "the count of athletes, including those classified as DSQ": what follows "including those" adds to the
  // rows, it does not filter them
  for (let k = 0; k + 1 < n; k++) {
    if (text(k) !== 'including' || !['those', 'ones', 'all', 'any'].includes(text(k + 1))) continue;
    for (const m of mentions) if (m.start > k) m.used = true;
    for (let q = k; q < n; q++) kw[q] = undefined;
    break;
  }

  // ---- "what was the number of the Boston Patriots selection": the row's number (an identifier column), not a count
  let numberCol: string | undefined;
  for (let k = 3; k + 2 < n; k++) {
    if (text(k) !== 'number' || text(k + 1) !== 'of' || text(k - 1) !== 'the' || !['is', 'was'].includes(text(k - 2)) || text(k - 3) !== 'what') continue;
    const q = text(k + 2) === 'the' ? k + 3 : k + 2;
    const vm = mentions[a.at[q] ?? -1];
    if (!vm || vm.start !== q || vm.vals.length === 0 || vm.partial || vm.num !== undefined || !index.ds) continue;
    // one row only ("the Boston Patriots selection"); "the number of 2nd place finishes" counts several
    const v0 = vm.vals[0] as ValueLink;
    if (matchRows(index.ds, { type: 'compare', column: v0.column, op: '=', value: v0.value }).length !== 1) continue;
    const idc = index.columns.find((c) => isNumericKind(c.kind) && isIdentifier(index, c.name) && !vm.vals.some((v) => v.column === c.name));
    if (idc) {
      numberCol = idc.name;
      kw[k] = undefined;
    }
  }

  // ---- time expressions on datetime columns
  const mentionedCols = mentions.flatMap((m) => m.cols.map((c) => c.column));
  const tcol = timeColumn(index, mentionedCols);
  let bucket: TimeUnit | undefined;
  if (tcol) {
    for (let k = 0; k < n; k++) {
      const w = text(k);
      const nx = text(k + 1);
      if ((w === 'by' || w === 'per' || w === 'each') && (nx === 'year' || nx === 'month' || nx === 'quarter' || nx === 'day')) {
        bucket = nx as TimeUnit;
        usedTok[k] = usedTok[k + 1] = 1;
      }
      if (w === 'monthly' || w === 'yearly' || w === 'annually' || w === 'daily' || w === 'quarterly') {
        bucket = w === 'monthly' ? 'month' : w === 'daily' ? 'day' : w === 'quarterly' ? 'quarter' : 'year';
        usedTok[k] = 1;
      }
      // last/past N days|weeks|months|years
      if ((w === 'last' || w === 'past') && k + 2 < n + 1) {
        const m = a.mentions[a.at[k + 1] ?? -1];
        const numTok = m?.num !== undefined ? m.num : undefined;
        const unitTok = numTok !== undefined ? text(k + 2) : nx;
        const count = numTok ?? 1;
        const unit = unitTok.replace(/s$/, '');
        if (['day', 'week', 'month', 'year'].includes(unit)) {
          const now = new Date(ctx.now);
          let from: number;
          if (unit === 'day' || unit === 'week') from = ctx.now - count * (UNIT_DAYS[unit] as number) * 86_400_000;
          else if (unit === 'month')
            from = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - count, now.getUTCDate(), now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds());
          else from = Date.UTC(now.getUTCFullYear() - count, now.getUTCMonth(), now.getUTCDate(), now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds());
          conds.push({ type: 'between', column: tcol, low: dateValue(from), high: dateValue(ctx.now) });
          for (let q = k; q <= k + (numTok !== undefined ? 2 : 1); q++) usedTok[q] = 1;
          if (m && numTok !== undefined) m.used = true;
          filterCols.add(tcol);
          kw[k] = undefined;
        }
      }
      if ((w === 'this' || w === 'last') && nx === 'year') {
        const y = new Date(ctx.now).getUTCFullYear() - (w === 'last' ? 1 : 0);
        conds.push({ type: 'compare', column: tcol, op: '>=', value: dateValue(Date.UTC(y, 0, 1)) });
        conds.push({ type: 'compare', column: tcol, op: '<', value: dateValue(Date.UTC(y + 1, 0, 1)) });
        usedTok[k] = usedTok[k + 1] = 1;
        kw[k] = undefined;
        filterCols.add(tcol);
      }
      // months: "in march [2023]", "between march and may [2023]", "from march to may"
      const mi = monthIndex(w);
      if (mi >= 0 && a.at[k] === -1) {
        const yearAfter = (q: number): number | undefined => {
          const m = a.mentions[a.at[q] ?? -1];
          return m?.num !== undefined && m.num >= 1000 && m.num < 3000 && Number.isInteger(m.num) ? m.num : undefined;
        };
        const prev = text(k - 1);
        if ((prev === 'between' || prev === 'from') && monthIndex(text(k + 2)) >= 0 && (text(k + 1) === 'and' || text(k + 1) === 'to')) {
          const m2 = monthIndex(text(k + 2));
          const y = yearAfter(k + 3) ?? new Date(ctx.now).getUTCFullYear();
          conds.push({ type: 'compare', column: tcol, op: '>=', value: dateValue(Date.UTC(y, mi, 1)) });
          conds.push({ type: 'compare', column: tcol, op: '<', value: dateValue(Date.UTC(y, m2 + 1, 1)) });
          for (let q = k - 1; q <= k + 2; q++) usedTok[q] = 1;
          kw[k - 1] = undefined;
          kw[k + 1] = undefined;
          const ym = a.mentions[a.at[k + 3] ?? -1];
          if (ym && yearAfter(k + 3) !== undefined) ym.used = true;
          filterCols.add(tcol);
        } else if (!usedTok[k]) {
          const thisYear = new Date(ctx.now).getUTCFullYear();
          const y = yearAfter(k + 1) ?? thisYear;
          const ym = a.mentions[a.at[k + 1] ?? -1];
          if (ym && yearAfter(k + 1) !== undefined) ym.used = true;
          const years = yearAfter(k + 1) === undefined ? yearsOf(index, tcol) : undefined;
          if (years && years.length > 0 && !years.includes(thisYear)) {
            // "in March" on data that does not reach this year: March of every year the column holds
            conds.push({
              type: 'or',
              conditions: years.map(
                (yy): Condition => ({
                  type: 'and',
                  conditions: [
                    { type: 'compare', column: tcol, op: '>=', value: dateValue(Date.UTC(yy, mi, 1)) },
                    { type: 'compare', column: tcol, op: '<', value: dateValue(Date.UTC(yy, mi + 1, 1)) },
                  ],
                }),
              ),
            });
          } else {
            conds.push({ type: 'compare', column: tcol, op: '>=', value: dateValue(Date.UTC(y, mi, 1)) });
            conds.push({ type: 'compare', column: tcol, op: '<', value: dateValue(Date.UTC(y, mi + 1, 1)) });
          }
          usedTok[k] = 1;
          filterCols.add(tcol);
        }
      }
    }
  }

  // ---- a calendar date compared with dates written as text: "after October 31, 1959", "on 5 May 2001"
  if (!tcol) {
    for (let k = 0; k + 3 < n; k++) {
      const w = text(k);
      const op: CompareOp | undefined =
        w === 'after' ? '>' : w === 'before' ? '<' : w === 'since' ? '>=' : w === 'until' || w === 'till' ? '<=' : w === 'on' ? '=' : undefined;
      if (!op || usedTok[k] || k < contextEnd) continue;
      const dt = calendarDateAt(tokens, text(k + 1) === 'the' ? k + 2 : k + 1);
      if (!dt || dt.y === undefined || dt.d === undefined) continue;
      const d = { value: dt.y * 10000 + (dt.m + 1) * 100 + dt.d, end: dt.end };
      // a date the table holds: "on X" is its row, "who played after X" the next row (kept to the rules below),
      // but "how many games after X" compares
      let ctxUsed = false;
      for (let q = k + 1; q < d.end; q++) if (mentions[a.at[q] ?? -1]?.used) ctxUsed = true;
      // words of a context clause ("X was used on 6 September 1996, but what …") filter nothing
      if (ctxUsed) continue;
      const held = mentions[a.at[text(k + 1) === 'the' ? k + 2 : k + 1] ?? -1];
      const exact = held?.vals.some((v) => typeof v.value === 'string' && extractNumber(v.value, 'date') === d.value) === true;
      if (exact && (op === '=' || has('count') < 0)) continue;
      const dcol = index.columns.find((c) => !filterCols.has(c.name) && textShape(index, c.name).date);
      if (!dcol) break;
      conds.push({ type: 'compare', column: dcol.name, op, value: d.value, extract: 'date' });
      for (let q = k; q < d.end; q++) {
        usedTok[q] = 1;
        kw[q] = undefined;
        const mm = mentions[a.at[q] ?? -1];
        if (mm && mm.start >= k + 1 && mm.end <= d.end) mm.used = true;
      }
      filterCols.add(dcol.name);
      score += 0.5;
    }
  }

  // ---- month names on dates written as text (no datetime column): "games in november" → the cell names the month
  if (!tcol) {
    for (let k = 0; k < n; k++) {
      const mi = monthIndex(text(k));
      // (a month in a context clause before "but" filters nothing)
      if (mi < 0 || a.at[k] !== -1 || usedTok[k] || k < contextEnd) continue;
      const mcol = index.columns.find((c) => !filterCols.has(c.name) && textShape(index, c.name).month);
      if (!mcol) break;
      conds.push({ type: 'contains', column: mcol.name, value: (MONTHS[mi] as string).slice(0, 3) });
      usedTok[k] = 1;
      filterCols.add(mcol.name);
      score += 0.5;
    }
  }

  // ---- calendar days on a datetime column
  if (tcol) {
    for (const m of mentions) {
      if (m.date === undefined || m.used) continue;
      // "after / before / since / until <day>" compares; a day alone is that day
      const pk = text(m.start - 1) === 'the' ? m.start - 2 : m.start - 1;
      const pw = text(pk);
      const next = dateValue(m.date + 86_400_000);
      if (pw === 'after') conds.push({ type: 'compare', column: tcol, op: '>=', value: next });
      else if (pw === 'before') conds.push({ type: 'compare', column: tcol, op: '<', value: dateValue(m.date) });
      else if (pw === 'since') conds.push({ type: 'compare', column: tcol, op: '>=', value: dateValue(m.date) });
      else if (pw === 'until' || pw === 'till') conds.push({ type: 'compare', column: tcol, op: '<', value: next });
      else {
        conds.push({ type: 'compare', column: tcol, op: '>=', value: dateValue(m.date) });
        conds.push({ type: 'compare', column: tcol, op: '<', value: next });
      }
      if (['after', 'before', 'since', 'until', 'till'].includes(pw)) kw[pk] = undefined;
      m.used = true;
      filterCols.add(tcol);
      score += 1;
    }
  }

  // ---- a place in a ranking: "who finished first", "won second place", "in 3rd position" → rank column = N
  for (let k = 0; k < n; k++) {
    const t = tokens[k] as Token;
    const ord = t.kind === 'number' && t.ordinal ? t.num : Object.hasOwn(ORDINAL_WORDS, t.text) ? ORDINAL_WORDS[t.text] : undefined;
    if (ord === undefined || ord > 50 || ctx.skipPlace) continue;
    // a stored value ("1st") is matched as a value instead
    if (mentions[a.at[k] ?? -1]?.vals.length) continue;
    let ctxAt = -1;
    const near = ord === 1 && t.kind === 'word' ? [k + 1, k - 1] : [k + 2, k - 2, k - 1, k + 1];
    for (const q of near) if (PLACE_WORDS.has(text(q))) ctxAt = q;
    if (ctxAt < 0) continue;
    const rankCols = index.columns.filter(
      // a ranking column may hold a few "Ret" / "DNF" among its places: half of the cells starting with a digit is enough
      (c) => !filterCols.has(c.name) && (isNumericKind(c.kind) || textShape(index, c.name).half) && nameWords(c.name).some((w) => RANK_WORDS.has(w)),
    );
    const named = mentions.find((m) => !m.used && Math.abs(m.start - ctxAt) <= 1 && m.cols.some((c) => rankCols.some((r) => r.name === c.column)));
    const col = named?.cols.find((c) => rankCols.some((r) => r.name === c.column))?.column ?? rankCols[0]?.name;
    if (!col) continue;
    for (const m of mentions) if (!m.used && m.vals.length === 0 && m.start >= k - 2 && m.end <= k + 3 && m.cols.some((c) => c.column === col)) m.used = true;
    const om = mentions[a.at[k] ?? -1];
    if (om && om.start === k && om.end === k + 1) om.used = true;
    kw[k] = undefined;
    usedTok[k] = 1;
    conds.push({ type: 'compare', column: col, op: '=', value: ord, ...ex(index, col) });
    filterCols.add(col);
    score += 1;
    break;
  }

  // ---- top/bottom N, first N
  let limitN: number | undefined;
  let limitDir: 'asc' | 'desc' | undefined;
  for (let k = 0; k < n; k++) {
    const w = kw[k];
    const tw = text(k);
    const m = a.mentions[a.at[k + 1] ?? -1];
    if (
      (tw === 'top' || tw === 'bottom' || w === 'first' || w === 'last') &&
      m &&
      m.num !== undefined &&
      !m.used &&
      m.start === k + 1 &&
      Number.isInteger(m.num) &&
      m.num > 0 &&
      m.num <= 1000
    ) {
      limitN = m.num;
      limitDir = tw === 'top' || w === 'last' ? 'desc' : 'asc';
      if (w === 'first' || w === 'last') limitDir = w === 'first' ? 'asc' : 'desc';
      m.used = true;
      usedTok[k] = 1;
    }
  }

  // ---- "which two teams ranked last", "what three songs …": that many rows of a superlative; never a filter
  for (let k = 0; k + 2 < n; k++) {
    if (text(k) !== 'which' && text(k) !== 'what') continue;
    const m = a.mentions[a.at[k + 1] ?? -1];
    const t1 = tokens[k + 1] as Token;
    if (!m || m.start !== k + 1 || m.num === undefined || m.ordinal || t1.kind === 'number' || !Number.isInteger(m.num) || m.num < 2 || m.num > 20) continue;
    if (tokens[k + 2]?.kind !== 'word' || kw[k + 2] !== undefined) continue;
    m.used = true;
    if (limitN === undefined && kw.some((x) => x === 'max' || x === 'min' || x === 'first' || x === 'last')) limitN = m.num;
    break;
  }

  // ---- group by
  const groupCols: string[] = [];
  for (let k = 0; k < n; k++) {
    if (kw[k] !== 'group') continue;
    let q = k + 1;
    if (text(q) === 'each' || text(q) === 'every' || text(q) === 'the') q++;
    const m = a.mentions[a.at[q] ?? -1];
    const rankBy = limitN !== undefined || kw.some((x) => x === 'max' || x === 'min');
    if (m && rankBy && text(k) === 'by' && m.cols.some((c) => isNumericKind(index.kindOf(c.column)))) {
      kw[k] = undefined;
      if (limitDir === undefined) continue;
      // "top 3 customers by charges": keep the mention for the superlative ordering
      const sup = kw.findIndex((x) => x === 'max' || x === 'min');
      if (sup < 0) kw[k] = limitDir === 'desc' ? 'max' : 'min';
      continue;
    }
    if (m && m.start === q && m.cols.length > 0 && m.vals.length === 0) {
      const c = (m.cols[0] as { column: string }).column;
      if (!groupCols.includes(c)) groupCols.push(c);
      m.used = true;
    } else if (m && m.start === q && m.cols.length > 0 && text(k) !== 'by') {
      const c = (m.cols[0] as { column: string }).column;
      if (!groupCols.includes(c)) groupCols.push(c);
      m.used = true;
    }
  }

  // ---- value mentions → filters (same column joined by or/and/, → IN)
  // "at least 7 miles" where "7 miles (est.)" is a stored value: a comparison on the number, not that value
  for (const m of mentions) {
    const t0 = tokens[m.start];
    if (m.used || m.vals.length === 0 || m.num !== undefined || t0?.kind !== 'number' || t0.num === undefined) continue;
    if (kwBefore(a, m.start, ['gt', 'lt', 'ge', 'le', 'more', 'less', 'between'], 3) < 0) continue;
    if (!m.vals.every((v) => numericLikeText(index, v.column))) continue;
    m.vals = [];
    m.num = t0.num;
  }
  const valueMentions = mentions.map((m, mi) => ({ m, mi })).filter(({ m }) => m.vals.length > 0 && !m.used);
  const chosen = new Map<number, ValueLink>();
  for (const { m, mi } of valueMentions) {
    // a column mention of the same words beats a single-word value only if the value column is mentioned nowhere
    const opts = rankValueOptions(m, mentions, index, groupCols);
    const pick = opts[Math.min(ctx.valueChoice.get(mi) ?? 0, opts.length - 1)] as ValueLink;
    if (m.cols.length > 0 && (m.cols[0]?.score ?? 0) >= 1 && m.end - m.start === 1 && m.num === undefined) {
      // a word that is exactly a column name: prefer the column reading unless chosen otherwise
      if ((ctx.valueChoice.get(mi) ?? 0) === 0) continue;
    }
    // "the giant slalom 48": words that name a column outright, right before a number, are that column
    if (m.cols.some((c) => c.score >= 1) && m.end - m.start > 1 && mentions[a.at[m.end] ?? -1]?.num !== undefined && (ctx.valueChoice.get(mi) ?? 0) === 0) {
      m.vals = [];
      continue;
    }
    // "the Val d'Isère, France location", "the Allsvenskan league": a one-word value right after another value
    // is the noun that value names (its kind), not a second value
    const prevM = mentions[a.at[m.start - 1] ?? -1];
    if (
      m.end - m.start === 1 &&
      m.num === undefined &&
      prevM &&
      prevM !== m &&
      prevM.vals.length > 0 &&
      !prevM.partial &&
      tokens[m.start - 1]?.kind !== 'punct' &&
      // the word is the value itself ("league" = "League"), not an inflected verb reaching it ("win" → "Won")
      m.vals.some((v) => typeof v.value === 'string' && v.value.trim().toLowerCase() === text(m.start)) &&
      !isVerbForm(text(m.start)) &&
      !WIN_WORDS.has(text(m.start)) &&
      !LOSE_WORDS.has(text(m.start))
    ) {
      m.vals = [];
      continue;
    }
    if (m.num !== undefined && m.end - m.start === 1 && m.vals.length > 0) {
      // "the Auto Club 400": a number after a word nothing names, itself after "the", is part of a name
      let q = m.start - 1;
      while (q >= 0 && tokens[q]?.kind === 'word' && a.at[q] === -1 && kw[q] === undefined && !STOP.has(text(q))) q--;
      if (q < m.start - 1 && text(q) === 'the') {
        m.used = true;
        continue;
      }
      // "2006" as a text value: keep it as a value when its column is named nearby, or no numeric column has the number
      const near = mentions.some((x) => x !== m && Math.abs(x.start - m.start) <= 3 && x.cols.some((c) => m.vals.some((v) => v.column === c.column)));
      const numericHas = [...index.numbers.entries()].some(([, s]) => s.has(m.num as number));
      const opBefore = kwBefore(a, m.start, ['gt', 'lt', 'ge', 'le', 'between', 'more', 'less'], 3) >= 0;
      if ((numericHas && !near) || opBefore) continue;
    }
    chosen.set(mi, pick);
    score += m.partial ? 0.5 : m.end - m.start > 1 ? 1.2 : 0.8;
    if (opts.length > 1) score -= 0.1 * Math.min(ctx.valueChoice.get(mi) ?? 0, opts.length - 1);
  }
  // group values by column, in order
  const byCol = new Map<string, { mi: number; v: ValueLink; neg: boolean }[]>();
  for (const [mi, v] of chosen) {
    const m = mentions[mi] as Mention;
    const negAt = kwBefore(a, m.start, ['not'], 3);
    const neg = negAt >= 0 && (text(negAt) !== 'non' || negAt === m.start - 1);
    const list = byCol.get(v.column) ?? [];
    list.push({ mi, v, neg });
    byCol.set(v.column, list);
    m.used = true;
  }

  // ---- "how long (in years) does the table cover", "the span of years": max − min of the year column
  const howLong = tokens.findIndex((t, k) => t.text === 'how' && tokens[k + 1]?.text === 'long');
  const spanWord = tokens.some((t) => t.text === 'span' || t.text === 'cover' || t.text === 'covers' || t.text === 'spanned');
  if ((howLong >= 0 || spanWord) && byCol.size === 0 && tokens.some((t) => t.text === 'years' || t.text === 'year')) {
    const yc = index.columns.find((c) => isNumericKind(c.kind) && looksTime(c.name));
    if (yc) {
      const agg = (fn: 'max' | 'min'): SelectPlan => ({
        type: 'select',
        items: [{ type: 'aggregate', fn, column: yc.name, as: fn }],
        groupBy: [],
        orderBy: [],
        ...(conds.length ? { where: and(conds) as Condition } : {}),
      });
      return { plan: { type: 'arithmetic', op: 'difference', left: agg('max'), right: agg('min'), as: 'span' }, score: score + 1.5 };
    }
  }

  // ---- "how many years was X's career", "how long was X with the Hawks": the years a range cell of X's row
  // spans ("1954–1965" → 11)
  const manyYears = tokens.findIndex((t, k) => t.text === 'how' && tokens[k + 1]?.text === 'many' && tokens[k + 2]?.text === 'years');
  if ((howLong >= 0 || manyYears >= 0) && byCol.size > 0 && [...byCol.values()].every((l) => l.every((x) => !x.neg))) {
    const isRange = (c: string): boolean => !byCol.has(c) && textShape(index, c).range;
    const named = mentions.find((m) => !m.used && m.cols.some((c) => isRange(c.column)));
    const rc = named?.cols.find((c) => isRange(c.column))?.column ?? index.columns.find((c) => isRange(c.name))?.name;
    if (rc) {
      if (named) named.used = true;
      const where = and([
        ...conds,
        ...[...byCol.values()].map((l): Condition => {
          const v0 = (l[0] as { v: ValueLink }).v;
          return l.length === 1
            ? { type: 'compare', column: v0.column, op: '=', value: v0.value }
            : { type: 'in', column: v0.column, values: l.map((x) => x.v.value) };
        }),
      ]);
      return {
        plan: {
          type: 'select',
          // the longest span among the named rows (a repeated cell is not counted twice)
          items: [{ type: 'aggregate', fn: 'max', column: rc, as: `years ${rc}`, extract: 'span' }],
          groupBy: [],
          orderBy: [],
          ...(where ? { where } : {}),
        },
        score: score + 1.5,
      };
    }
  }

  // ---- "the difference between the highest and the lowest attendance", "… between the most attended game and the
  // least attended game": the largest value minus the smallest
  {
    const dAt = has('diff');
    const hi = kw.findIndex((w, k) => w === 'max' && k > dAt);
    const lo = kw.findIndex((w, k) => w === 'min' && k > dAt);
    if (dAt >= 0 && hi > dAt && lo > dAt && byCol.size === 0) {
      const near = Math.min(hi, lo);
      const cand = mentions
        .filter((m) => !m.used && m.cols.some((c) => summable(index, c.column) && !isIdentifier(index, c.column)))
        .sort((x, y) => Math.abs(x.start - near) - Math.abs(y.start - near))[0];
      const mc = cand?.cols.find((c) => summable(index, c.column) && !isIdentifier(index, c.column))?.column;
      if (cand && mc) {
        cand.used = true;
        const where = and(conds);
        const side = (fn: 'max' | 'min'): SelectPlan => ({
          type: 'select',
          items: [{ type: 'aggregate', fn, column: mc, as: fn, ...ex(index, mc) }],
          groupBy: [],
          orderBy: [],
          ...(where ? { where } : {}),
        });
        return { plan: { type: 'arithmetic', op: 'difference', left: side('max'), right: side('min'), as: 'difference' }, score: score + 2 };
      }
    }
  }

  // ---- difference / ratio between two values
  const diffAt = has('diff');
  const ratioAt = has('ratio');
  const thanAt = has('than');
  const anchorSets: Array<[string, Array<{ mi: number; v: ValueLink }>]> = [...byCol.entries()];
  if (diffAt >= 0 && anchorSets.every(([, l]) => l.length !== 2)) {
    // "the difference in length between track 8 and track 5": two numbers held by one column
    const nums = mentions.map((m, mi) => ({ m, mi })).filter(({ m }) => m.num !== undefined && !m.used && !chosen.has(mentions.indexOf(m)));
    if (nums.length === 2) {
      const [p, q] = nums as [{ m: Mention; mi: number }, { m: Mention; mi: number }];
      const holder = [...index.numbers.entries()].find(([, st]) => st.has(p.m.num as number) && st.has(q.m.num as number));
      if (holder) {
        p.m.used = true;
        q.m.used = true;
        anchorSets.push([
          holder[0],
          [
            { mi: p.mi, v: { column: holder[0], value: p.m.num as number } },
            { mi: q.mi, v: { column: holder[0], value: q.m.num as number } },
          ],
        ]);
      }
    }
  }
  for (const [col, list] of anchorSets) {
    if (list.length === 2 && (diffAt >= 0 || ratioAt >= 0 || (thanAt >= 0 && (has('count') >= 0 || has('more') >= 0)))) {
      const x = list[0] as { mi: number; v: ValueLink };
      const y = list[1] as { mi: number; v: ValueLink };
      let left = x;
      let right = y;
      if (thanAt >= 0 && (mentions[x.mi] as Mention).start > thanAt) {
        left = y;
        right = x;
      }
      // "how many years after A was B released": the year column (or years written in text) measures the distance
      const gapInYears = diffAt >= 0 && (text(diffAt + 2) === 'years' || text(diffAt + 2) === 'year') && TIME_GAP.has(text(diffAt + 3));
      const yearCol = gapInYears
        ? (index.columns.find((c) => c.name !== col && isNumericKind(c.kind) && looksTime(c.name))?.name ??
          index.columns.find((c) => c.name !== col && (c.kind === 'text' || c.kind === 'category') && textShape(index, c.name).year)?.name)
        : undefined;
      const measure = yearCol ?? pickMeasure(ctx, new Set([col]), groupCols, diffAt >= 0 ? diffAt : ratioAt);
      // "how many years earlier / fewer …": the smaller side comes first
      const cmpWord =
        tokens.find((t, k) => k > Math.max(diffAt, 0) - 1 && Object.hasOwn(SINGLE, t.text) && SINGLE[t.text] === 'less') ??
        tokens.find((t) => t.text === 'earlier');
      if (cmpWord && thanAt >= 0) {
        const l2 = left;
        left = right;
        right = l2;
      }
      const other = conds.slice();
      const mk = (v: ValueLink): SelectPlan => ({
        type: 'select',
        items: [
          measure
            ? { type: 'aggregate', fn: gapInYears ? 'min' : 'sum', column: measure, as: measure, ...ex(index, measure, yearCol ? 'year' : 'number') }
            : { type: 'aggregate', fn: 'count', column: null, as: 'count' },
        ],
        where: and([...other, { type: 'compare', column: v.column, op: '=', value: v.value }]) as Condition,
        groupBy: [],
        orderBy: [],
      });
      if (diffAt >= 0 || thanAt >= 0 || ratioAt >= 0) {
        // "the difference between A and B" has no direction: its size
        const op = ratioAt >= 0 ? 'ratio' : thanAt < 0 && (text(diffAt) === 'difference' || gapInYears) ? 'absDifference' : 'difference';
        return { plan: { type: 'arithmetic', op, left: mk(left.v), right: mk(right.v), as: op }, score: score + 2 };
      }
    }
  }

  // ---- comparisons with a named row: "a higher density than Santiago", "the same nationality as Ann"
  for (const [col, list] of [...byCol.entries()]) {
    if (list.length !== 1 || (list[0] as { neg: boolean }).neg) continue;
    const x = list[0] as { mi: number; v: ValueLink };
    const m = mentions[x.mi] as Mention;
    let k = m.start - 1;
    while (k >= 0 && (text(k) === 'the' || text(k) === 'that' || text(k) === 'of' || text(k) === 'those')) k--;
    const w = text(k);
    let op: CompareOp | undefined;
    let from = -1;
    if (w === 'than') {
      for (let q = k - 1; q >= Math.max(0, k - 6); q--) {
        const kq = kw[q];
        if (kq === 'gt' || kq === 'more' || kq === 'lt' || kq === 'less') {
          op = kq === 'gt' || kq === 'more' ? '>' : '<';
          from = q;
          break;
        }
      }
    } else if (w === 'as') {
      for (let q = k - 1; q >= Math.max(0, k - 6); q--) {
        if (text(q) === 'same' || (text(q) === 'as' && q < k)) {
          op = '=';
          from = q;
          break;
        }
      }
    } else if (kw[k] === 'gt' || kw[k] === 'lt') {
      // "more than Santiago" (the comparative and "than" read as one keyword)
      op = kw[k] === 'gt' ? '>' : '<';
      from = k;
    }
    if (!op || from < 0) continue;
    // the compared column: named between the comparative and the value, or by the comparative itself ("taller")
    const fits = (c: string): boolean => c !== col && (op === '=' ? index.kindOf(c) !== 'boolean' : numLike(index, c));
    // the closest to the value wins ("a higher population density than X": density)
    let measureM = mentions
      .slice()
      .reverse()
      .find((mm) => !mm.used && mm.start >= from && mm.end <= m.start && mm.cols.some((c) => fits(c.column)));
    if (!measureM && op !== '=') {
      // "how many people are older than Ann", "a larger area than X": a measure named before the comparative
      measureM = mentions.find(
        (mm) => !mm.used && mm.end <= from && mm.end >= from - 3 && mm.cols.some((c) => fits(c.column) && isNumericKind(index.kindOf(c.column))),
      );
    }
    const measureCol = measureM?.cols.find((c) => fits(c.column))?.column;
    if (!measureCol || !measureM) continue;
    measureM.used = true;
    for (const mm of mentions) if (mm.start >= from && mm.end <= m.start && mm.vals.length === 0 && mm.num === undefined) mm.used = true;
    for (let q = from; q <= k; q++) kw[q] = undefined;
    byCol.delete(col);
    const anchor: Condition = { type: 'compare', column: x.v.column, op: '=', value: x.v.value };
    conds.push({ type: 'compareRow', column: measureCol, op, anchor, ...(numericLikeText(index, measureCol) && op !== '=' ? ex(index, measureCol) : {}) });
    conds.push({ type: 'compare', column: x.v.column, op: '!=', value: x.v.value });
    filterCols.add(measureCol);
    score += 1.5;
  }

  // ---- numbers → comparisons / equalities
  let having: SelectPlan['having'];
  let ordinalRow: number | undefined;
  for (const m of mentions) {
    if (m.num === undefined || m.used || chosen.has(mentions.indexOf(m))) continue;
    const opAt = kwBefore(a, m.start, ['gt', 'lt', 'ge', 'le', 'after', 'before', 'between', 'more', 'less', 'not'], 3);
    if (text(m.start) === 'one' && opAt < 0) continue;
    // "for all 13 series": how many rows there are, not a filter
    if (opAt < 0 && text(m.start - 1) === 'all' && !m.ordinal) {
      m.used = true;
      continue;
    }
    // "in the ninth round", "the third race": an ordinal before a noun no column or value names is that row
    // in row order (a count ignores it), never an equality on a column that happens to hold the number
    const nt = tokens[m.end];
    if (
      m.ordinal &&
      opAt < 0 &&
      nt?.kind === 'word' &&
      a.at[m.end] === -1 &&
      kw[m.end] === undefined &&
      !STOP.has(nt.text) &&
      !PLACE_WORDS.has(nt.text) &&
      !TIME_UNITS.has(nt.text) &&
      nt.text !== 'century' &&
      Number.isInteger(m.num) &&
      m.num >= 2 &&
      m.num <= 1000
    ) {
      if (ordinalRow === undefined) ordinalRow = m.num;
      m.used = true;
      continue;
    }
    let op: CompareOp = '=';
    const ok = opAt >= 0 ? kw[opAt] : undefined;
    if (ok === 'gt' || ok === 'after' || ok === 'more') op = '>';
    else if (ok === 'lt' || ok === 'before' || ok === 'less') op = '<';
    else if (ok === 'ge') op = '>=';
    else if (ok === 'le') op = '<=';
    else if (ok === 'not') op = '!=';
    const postOp = kw[m.end];
    if (postOp === 'ge' || postOp === 'le') op = postOp === 'ge' ? '>=' : '<=';
    // "did not have a population over 600,000": a negated comparison
    if (opAt >= 0 && op !== '=' && op !== '!=' && kwBefore(a, opAt, ['not'], 4) >= 0) {
      const flip: Record<CompareOp, CompareOp> = { '>': '<=', '>=': '<', '<': '>=', '<=': '>', '=': '!=', '!=': '=' };
      op = flip[op];
    }
    // between X and Y
    let high: number | undefined;
    const dashed = a.mentions[a.at[m.end] ?? -1];
    const tok = tokens[m.start];
    if (m.ordinal && text(m.end) === 'century' && Number.isInteger(m.num) && m.num >= 1 && m.num <= 30) {
      // "the 18th century" → 1700-1799
      m.num = (m.num - 1) * 100;
      high = m.num + 99;
      if (op !== '=') {
        // "before the 18th century" / "after the 18th century"
        if (op === '>' || op === '>=') m.num = high + 1;
        high = undefined;
      }
    } else if (tok?.decade && op === '=' && Number.isInteger(m.num) && m.num >= 1000 && m.num < 3000) {
      // "the 1990s" → 1990-1999, "the 1800s" → 1800-1899
      high = m.num + (m.num % 100 === 0 && m.num !== 2000 ? 99 : 9);
    } else if (dashed && dashed.num !== undefined && dashed.start === m.end && tokens[m.end]?.dash && !dashed.used) {
      high = dashed.num;
      // a season written "2008-09": the second year by its last two digits
      const yr = Number.isInteger(m.num) && m.num >= 1000 && m.num < 3000;
      if (yr && Number.isInteger(high) && high >= 0 && high < 100) {
        high += m.num - (m.num % 100);
        if (high < m.num) high += 100;
      }
      dashed.used = true;
    } else if (ok === 'between' || (text(m.start - 1) === 'from' && (text(m.end) === 'to' || text(m.end) === 'and'))) {
      const m2 = mentions[a.at[m.end + 1] ?? -1];
      if (m2 && m2.num !== undefined && (text(m.end) === 'and' || text(m.end) === 'to')) {
        high = m2.num;
        m2.used = true;
      }
    }
    if (groupCols.length > 0 && opAt >= 0 && high === undefined && op !== '=' && op !== '!=') {
      // "contracts with more than 2 customers": a filter on the group size
      const nx = mentions[a.at[m.end] ?? -1];
      const nxNumeric = nx?.cols.some((c) => isNumericKind(index.kindOf(c.column)));
      const pv = mentions[a.at[opAt - 1] ?? -1];
      const pvNumeric = pv?.cols.some((c) => isNumericKind(index.kindOf(c.column)));
      if (!nxNumeric && !pvNumeric && tokens[m.end]?.kind === 'word') {
        having = { fn: 'count', column: null, op, value: m.num };
        m.used = true;
        if (nx) nx.used = true;
        continue;
      }
    }
    const held = (x: number): boolean => [...index.numbers.values()].some((st) => st.has(x));
    if (m.base !== undefined && opAt < 0 && !held(m.num) && held(m.base)) m.num = m.base;
    if (opAt < 0 && high === undefined && index.ds && !held(m.num)) {
      // a number written inside text values ("in 2007" with dates stored as text): contains
      const holders = m.ordinal ? [] : index.textColumnsWithToken(String(m.num));
      const near = holders.find((h) => mentions.some((x) => !x.used && x.cols.some((c) => c.column === h)));
      const hc = near ?? (holders.length >= 1 && !numericMentionNear(ctx, m) ? holders[0] : undefined);
      if (hc) {
        conds.push({ type: 'contains', column: hc, value: String(m.num) });
        m.used = true;
        filterCols.add(hc);
        score += 0.5;
        continue;
      }
    }
    const col = numberColumn(ctx, m, opAt >= 0 ? opAt : postOp === 'ge' || postOp === 'le' ? m.end : -1, filterCols, opAt >= 0 || high !== undefined);
    if (!col) {
      // "the third race", "the 2nd game": that row in row order
      if (m.ordinal && opAt < 0 && Number.isInteger(m.num) && m.num >= 2 && m.num <= 1000 && ordinalRow === undefined) {
        ordinalRow = m.num;
        m.used = true;
      }
      continue;
    }
    m.used = true;
    filterCols.add(col.column);
    if (col.mention) col.mention.used = true;
    score += col.mention ? 1 : 0.5;
    if (index.kindOf(col.column) === 'datetime') {
      if (m.num >= 1000 && m.num < 3000) {
        const lo = Date.UTC(high === undefined ? m.num : Math.min(m.num, high), 0, 1);
        const hi = Date.UTC((high === undefined ? m.num : Math.max(m.num, high)) + 1, 0, 1);
        if (op === '=' || high !== undefined) {
          conds.push({ type: 'compare', column: col.column, op: '>=', value: dateValue(lo) });
          conds.push({ type: 'compare', column: col.column, op: '<', value: dateValue(hi) });
        } else if (op === '>' || op === '>=')
          conds.push({ type: 'compare', column: col.column, op: op === '>' ? '>=' : '>=', value: dateValue(op === '>' ? hi : lo) });
        else if (op === '<' || op === '<=') conds.push({ type: 'compare', column: col.column, op: '<', value: dateValue(op === '<' ? lo : hi) });
      }
      continue;
    }
    const v = numericValue(index, col.column, m.num, m.percent === true);
    const xt = col.extract ? { extract: col.extract } : {};
    if (high !== undefined) {
      const h = numericValue(index, col.column, high, m.percent === true);
      conds.push({ type: 'between', column: col.column, low: Math.min(v, h), high: Math.max(v, h), ...xt });
    } else conds.push({ type: 'compare', column: col.column, op, value: v, ...xt });
  }

  // ---- contains / starts with: the word(s) after the keyword
  const hint: string[] = [];
  for (let k = 0; k < n; k++) {
    if (kw[k] !== 'contains' && kw[k] !== 'starts') continue;
    let q = k + (kw[k] === 'starts' ? 2 : 1);
    if (text(q) === 'the' || text(q) === 'word' || text(q) === 'letter') q++;
    // "contains the color white": the column's own name, then the value
    const named = mentions[a.at[q] ?? -1];
    if (named && named.start === q && named.vals.length === 0 && named.cols.some((c) => c.score >= 0.9) && tokens[named.end]?.kind === 'word') q = named.end;
    const t = tokens[q];
    if (!t || STOP.has(t.text) || (a.at[q] !== -1 && (mentions[a.at[q] as number] as Mention).used)) continue;
    const colM = mentions
      .slice()
      .reverse()
      .find((mm) => mm.end <= k && mm.cols.length > 0 && !mm.used);
    const textCols = index.columns.filter((c) => c.kind === 'text' || c.kind === 'category');
    const col = colM?.cols.find((c) => textCols.some((x) => x.name === c.column))?.column ?? textCols[0]?.name;
    if (!col) continue;
    if (colM) colM.used = true;
    conds.push({ type: kw[k] === 'starts' ? 'startsWith' : 'contains', column: col, value: t.text });
    if (colM) hint.push(col);
    if (a.at[q] !== -1) (mentions[a.at[q] as number] as Mention).used = true;
    filterCols.add(col);
    score += 0.8;
  }
  // ---- is empty
  for (let k = 0; k < n; k++) {
    if (kw[k] !== 'empty') continue;
    const colM =
      mentions.find((mm) => mm.cols.length > 0 && !mm.used && mm.start > k && mm.start <= k + 2) ??
      mentions
        .slice()
        .reverse()
        .find((mm) => mm.cols.length > 0 && !mm.used && mm.end <= k && mm.end >= k - 3);
    if (!colM) continue;
    const col = (colM.cols[0] as { column: string }).column;
    colM.used = true;
    const neg = kwBefore(a, k, ['not'], 3) >= 0;
    conds.push(neg ? { type: 'not', condition: { type: 'isEmpty', column: col } } : { type: 'isEmpty', column: col });
    filterCols.add(col);
  }

  // ---- "the number of wins", "games this team lost": a column of results written "W 19–14" / "Won by 21 points"
  for (let k = 0; k < n; k++) {
    const w = text(k);
    const side = WIN_WORDS.has(w) ? 'w' : LOSE_WORDS.has(w) ? 'l' : undefined;
    if (!side || (a.at[k] !== -1 && (mentions[a.at[k] as number] as Mention).vals.length > 0)) continue;
    const rc = index.columns.find((c) => !filterCols.has(c.name) && resultColumn(index, c.name));
    if (!rc) break;
    const mm = mentions[a.at[k] ?? -1];
    if (mm?.cols.some((c) => c.score >= 0.9)) break;
    if (mm) mm.used = true;
    conds.push({ type: 'startsWith', column: rc.name, value: side });
    filterCols.add(rc.name);
    score += 0.5;
    break;
  }

  // ---- adjacency: "after X", "next after X", "before X"
  let adjacent: { direction: 'before' | 'after'; link: ValueLink } | undefined;
  for (const [col, list] of byCol) {
    if (list.length !== 1) continue;
    const x = list[0] as { mi: number; v: ValueLink };
    const m = mentions[x.mi] as Mention;
    const k = kwBefore(a, m.start, ['after', 'before', 'gt', 'lt'], 3);
    if (k < 0) continue;
    const w = text(k);
    if (kw[k] === 'gt' && w !== 'below' && w !== 'under') continue;
    const dir = kw[k] === 'after' || w === 'below' || w === 'under' ? 'after' : kw[k] === 'before' || w === 'above' ? 'before' : undefined;
    if (!dir) continue;
    const t0 = tokens[m.start];
    if (t0?.kind === 'number' && t0.num !== undefined && m.end - m.start === 1 && (kw[k] === 'after' || kw[k] === 'before')) {
      // "took office before 1966" where "1966" is also a stored text: a comparison on the year / number, not the row before
      const yr = Number.isInteger(t0.num) && t0.num >= 1000 && t0.num < 3000;
      const how: NumberExtract = yr && textShape(index, col).year ? 'year' : textShape(index, col).spaced ? 'spaced' : 'number';
      conds.push({
        type: 'compare',
        column: col,
        op: dir === 'after' ? '>' : '<',
        value: t0.num,
        ...ex(index, col, how),
      });
      filterCols.add(col);
      byCol.delete(col);
      continue;
    }
    if (has('count') >= 0) {
      // "how many players came before Watson": the rows before the first row naming him, in row order
      conds.push({ type: 'rowPosition', op: dir === 'before' ? '<' : '>', anchor: { type: 'compare', column: x.v.column, op: '=', value: x.v.value } });
      byCol.delete(col);
      score += 1;
      continue;
    }
    adjacent = { direction: dir, link: x.v };
    byCol.delete(col);
    break;
  }

  // "how many districts of Lima", "how many townships are in Ellsworth": the counted noun names a column of
  // (nearly) distinct values and a value of that same column follows: the value names the whole table (its
  // subject), not one row; counting that one row would answer 1 for every such question
  {
    const cAt = has('count');
    const ds = index.ds;
    const noun = countedNoun(cAt);
    const nc = noun?.cols[0]?.column;
    const list = nc ? byCol.get(nc) : undefined;
    if (ds && noun && nc && list && list.length === 1 && !(list[0] as { neg: boolean }).neg && ds.nrows >= 4) {
      const m = mentions[(list[0] as { mi: number }).mi] as Mention;
      // the value follows "of" / "in" / "at" / "within" (a container), not "called" / "named" / "for"
      let p = m.start - 1;
      if (text(p) === 'the') p--;
      const container = ['of', 'in', 'at', 'within', 'inside'].includes(text(p));
      if (container && m.start > noun.end && (index.distinct.get(nc) ?? 0) >= 0.8 * ds.nrows) {
        byCol.delete(nc);
        noun.used = true;
        score += 0.2;
      }
    }
  }

  let excludedCol: string | undefined;
  let choiceCol: string | undefined;
  for (const [, list] of byCol) {
    const pos = list.filter((x) => !x.neg);
    const neg = list.filter((x) => x.neg);
    if (pos.length === 1) {
      const x = pos[0] as { v: ValueLink };
      // a table laid out in several blocks of the same columns ("Arrangement", "Arrangement (2)"): the value in any block
      const sib = siblings(index, x.v.column).filter(
        (c) => index.ds && matchRows(index.ds, { type: 'compare', column: c, op: '=', value: x.v.value }).length > 0,
      );
      if (sib.length > 0)
        conds.push({ type: 'or', conditions: [x.v.column, ...sib].map((c): Condition => ({ type: 'compare', column: c, op: '=', value: x.v.value })) });
      else if (typeof x.v.value === 'string' && listItemMore(index, x.v.column, x.v.value))
        // a column of lists ("American, Spirit, United"): the cells that list the value
        conds.push({ type: 'contains', column: x.v.column, value: x.v.value, item: true });
      else conds.push({ type: 'compare', column: x.v.column, op: '=', value: x.v.value });
    } else if (pos.length > 1) {
      const col = (pos[0] as { v: ValueLink }).v.column;
      // "is X from the United States or Brazil?": the question is which of the values X's row holds
      const ms = pos.map((x) => mentions[(x as { mi: number }).mi] as Mention);
      const joinedByOr = ms.slice(1).some((mm, q) => tokens.slice((ms[q] as Mention).end, mm.start).some((t) => t.text === 'or'));
      if (joinedByOr && byCol.size >= 2 && [...byCol.entries()].some(([c, l]) => c !== col && l.length === 1 && !(l[0] as { neg: boolean }).neg))
        choiceCol = col;
      // "A and B" in one column means either (a row holds one value)
      conds.push({ type: 'in', column: col, values: pos.map((x) => x.v.value) });
    }
    for (const x of neg) {
      conds.push({ type: 'compare', column: x.v.column, op: '!=', value: x.v.value });
      // "other than X, name a Y" / "besides X, which ...": the answer is another value of X's column
      const nw = text(kwBefore(a, (mentions[x.mi] as Mention).start, ['not'], 3));
      if (nw === 'other' || nw === 'besides' || nw === 'except' || nw === 'excluding') excludedCol ??= x.v.column;
    }
    for (const x of list) filterCols.add(x.v.column);
  }

  // ---- "how many places have more Serbs than Jews": two numeric columns of the same row compared
  {
    const cAt = has('count');
    const k = kw.findIndex((w, q) => (w === 'more' || w === 'less') && q > cAt);
    const t = k >= 0 ? kw.findIndex((w, q) => w === 'than' && q > k) : -1;
    if (cAt >= 0 && k > cAt && t > k && t <= k + 4) {
      const numCol = (mm: Mention | undefined): string | undefined =>
        mm && !mm.used && mm.vals.length === 0 && mm.num === undefined ? mm.cols.find((c) => numLike(index, c.column))?.column : undefined;
      const am = mentions.find((mm) => mm.start > k && mm.end <= t && numCol(mm) !== undefined);
      const bm = mentions[a.at[t + 1] ?? -1];
      const x = numCol(am);
      const y = numCol(bm);
      if (am && bm && x && y && x !== y) {
        am.used = true;
        bm.used = true;
        // a text column of numbers ("110", "-") is read as numbers on both sides
        const spaced = [x, y].some((c) => textShape(index, c).spaced);
        const both = isNumericKind(index.kindOf(x)) && isNumericKind(index.kindOf(y)) ? {} : { extract: (spaced ? 'spaced' : 'number') as NumberExtract };
        conds.push({ type: 'compareColumns', column: x, op: kw[k] === 'more' ? '>' : '<', other: y, ...both });
        filterCols.add(x);
        filterCols.add(y);
        kw[k] = undefined;
        kw[t] = undefined;
        score += 1;
      }
    }
  }

  // ---- remaining column mentions: measure / order / target
  const free = mentions.filter((m) => !m.used && m.cols.length > 0);

  // ---- "nations that did not earn gold", "countries without silver medals": a count column that is zero or empty
  for (let k = 0; k < n; k++) {
    if (kw[k] !== 'not' || (text(k) === 'other' && text(k + 1) === 'than')) continue;
    const m = free.find((mm) => !mm.used && mm.start > k && mm.start <= k + 3 && mm.vals.length === 0 && mm.num === undefined);
    const c = m?.cols.find((x) => isNumericKind(index.kindOf(x.column)) && !isIdentifier(index, x.column) && !looksTime(x.column))?.column;
    // "titles that don't have listed songwriters", "places with no lower zip code": a text column left empty
    const hasVerb = text(k + 1) === 'have' || text(k + 1) === 'has' || text(k) === 'no' || text(k) === 'without';
    const tc = m && !c && hasVerb ? m.cols.find((x) => index.kindOf(x.column) === 'text' || index.kindOf(x.column) === 'category')?.column : undefined;
    if (m && tc && !filterCols.has(tc) && index.ds && matchRows(index.ds, { type: 'isEmpty', column: tc }).length > 0) {
      conds.push({ type: 'isEmpty', column: tc });
      m.used = true;
      filterCols.add(tc);
      score += 0.5;
      continue;
    }
    if (!m || !c || filterCols.has(c)) continue;
    // no number nearby ("did not have more than 16 wins" is a comparison, handled with the numbers)
    if (mentions.some((mm) => mm.num !== undefined && Math.abs(mm.start - m.start) <= 3)) continue;
    conds.push({
      type: 'or',
      conditions: [
        { type: 'compare', column: c, op: '=', value: 0 },
        { type: 'isEmpty', column: c },
      ],
    });
    m.used = true;
    filterCols.add(c);
    score += 0.8;
  }

  const aggAt0 = kw.indexOf('sum');
  // ---- the difference between two columns ("the difference between bronze and silver medals of X", "how many more A than B")
  {
    const dAt = has('diff');
    const tAt = has('than');
    const numCols = free.map((m) => m.cols.find((c) => numLike(index, c.column))?.column).filter((c): c is string => c !== undefined && !filterCols.has(c));
    const cols2 = numCols.filter((c, i) => numCols.indexOf(c) === i);
    const moreThan = tAt >= 0 && kw.some((w) => w === 'diff');
    if ((dAt >= 0 || moreThan || ratioAt >= 0) && cols2.length === 2) {
      let [x, y] = cols2 as [string, string];
      const xm = free.find((m) => m.cols.some((c) => c.column === x)) as Mention;
      if (tAt >= 0 && xm.start > tAt) [x, y] = [y, x];
      const where = and(conds);
      const op = ratioAt >= 0 ? 'ratio' : tAt < 0 ? 'absDifference' : 'difference';
      return { plan: { type: 'arithmetic', op, left: sumPlan(index, x, where), right: sumPlan(index, y, where), as: op }, score: score + 1.5 };
    }
  }

  // ---- "the total combined score of the game": one word naming two numeric columns equally ("Score JSU",
  // "Score TU") after a sum keyword: both added up over the selected rows
  if (aggAt0 >= 0 && kw[aggAt0] === 'sum' && tokens.some((t) => ['combined', 'together', 'altogether', 'both'].includes(t.text))) {
    const m = free.find((mm) => !mm.used && mm.start > aggAt0 && mm.start <= aggAt0 + 3);
    const top = m?.cols[0]?.score ?? 0;
    const pair = m ? m.cols.filter((c) => c.score === top && summable(index, c.column) && !filterCols.has(c.column)) : [];
    if (m && pair.length === 2 && m.cols.filter((c) => c.score === top).length === 2) {
      const where = and(conds);
      const x = pair[0]?.column as string;
      const y = pair[1]?.column as string;
      return { plan: { type: 'arithmetic', op: 'sum', left: sumPlan(index, x, where), right: sumPlan(index, y, where), as: 'sum' }, score: score + 1.5 };
    }
  }

  // ---- a choice between two named values: "who got more votes, A or B", "which came first, A or B"
  const orderWord = kw.findIndex((w) => w === 'more' || w === 'less' || w === 'max' || w === 'min' || w === 'first' || w === 'last');
  if (orderWord >= 0 && groupCols.length === 0) {
    for (const [col, list] of byCol) {
      const pos = list.filter((x) => !x.neg);
      if (pos.length !== 2) continue;
      const m1 = mentions[(pos[0] as { mi: number }).mi] as Mention;
      const m2 = mentions[(pos[1] as { mi: number }).mi] as Mention;
      const between = tokens.slice(Math.min(m1.end, m2.end), Math.max(m1.start, m2.start)).map((t) => t.text);
      if (!between.includes('or')) continue;
      const w = kw[orderWord] as Kw;
      const up = w === 'more' || w === 'max' || w === 'last';
      const numM = free.find((m) => m.cols.some((c) => numLike(index, c.column) && c.column !== col));
      const others = conds.filter((c) => !(c.type === 'in' && c.column === col));
      const inCond: Condition = { type: 'in', column: col, values: pos.map((x) => x.v.value) };
      const where = and([...others, inCond]) as Condition;
      if (numM || w === 'first' || w === 'last') {
        const oc = numM?.cols.find((c) => numLike(index, c.column))?.column;
        const key: OrderKey = oc
          ? { target: { type: 'column', column: oc, ...ex(index, oc) }, direction: up ? 'desc' : 'asc' }
          : { target: { type: 'rowOrder' }, direction: up ? 'desc' : 'asc' };
        return { plan: { type: 'select', items: [{ type: 'column', column: col, as: col }], where, groupBy: [], orderBy: [key], limit: 1 }, score: score + 2 };
      }
      const totalCol = index.columns.find((c) => isNumericKind(c.kind) && c.name !== col && nameWords(c.name).includes('total'));
      if (totalCol) {
        return {
          plan: {
            type: 'select',
            items: [{ type: 'column', column: col, as: col }],
            where,
            groupBy: [],
            orderBy: [{ target: { type: 'column', column: totalCol.name }, direction: up ? 'desc' : 'asc' }],
            limit: 1,
          },
          score: score + 1.5,
        };
      }
      return {
        plan: {
          type: 'select',
          items: [
            { type: 'column', column: col, as: col },
            { type: 'aggregate', fn: 'count', column: null, as: 'count' },
          ],
          where,
          groupBy: [col],
          orderBy: [{ target: { type: 'output', name: 'count' }, direction: up ? 'desc' : 'asc' }],
          limit: 1,
        },
        score: score + 1.5,
      };
    }
  }
  const supAt = kw.findIndex((w) => w === 'max' || w === 'min');
  const cmpAt = kw.findIndex((w) => w === 'more' || w === 'less');
  const aggAt = kw.findIndex((w) => w === 'sum' || w === 'avg' || w === 'median');
  const countAt = has('count');
  const firstAt = kw.findIndex((w) => w === 'first' || w === 'last');
  const distinctAt = has('distinct');

  const colOf = (m: Mention): string => (m.cols[0] as { column: string }).column;
  const numericFree = free.filter((m) => numLike(index, colOf(m)));

  let fn: AggregateFn | undefined;
  let measure: string | undefined;
  if (aggAt >= 0) {
    const w = kw[aggAt] as Kw;
    const measurable = (m: Mention): boolean => !looksTime(colOf(m)) && summable(index, colOf(m)) && (w !== 'sum' || !isIdentifier(index, colOf(m)));
    const nextNum = numericFree.find((m) => m.start > aggAt && measurable(m)) ?? numericFree.find(measurable);
    const afterTok = text(aggAt + 1);
    if (w === 'sum' && (afterTok === 'number' || afterTok === 'count' || (afterTok === 'amount' && !nextNum))) fn = 'count';
    else if (nextNum) {
      fn = w === 'sum' ? 'sum' : w === 'avg' ? 'avg' : 'median';
      measure = colOf(nextNum);
      nextNum.used = true;
    } else if (w === 'sum') fn = 'count';
  }
  if (!fn && countAt >= 0) {
    // "how many <numeric column>" → sum of that column
    const much = text(countAt + 1) === 'much';
    const next = much
      ? (free.find((m) => m.start > countAt && numLike(index, colOf(m))) ?? free.find((m) => m.start > countAt))
      : free.find((m) => m.start > countAt && m.start <= countAt + 4);
    const nc = next ? colOf(next) : undefined;
    if (next && nc && summable(index, nc) && !looksTime(nc) && !isIdentifier(index, nc) && distinctAt < 0) {
      fn = 'sum';
      measure = nc;
      next.used = true;
      score += 0.3;
      // "the number of games that the Canucks have won": a past-tense verb later on that names another numeric
      // column outright (Wins) is what is counted
      const verbM = free.find(
        (m) =>
          !m.used &&
          m.start > next.end &&
          m.end - m.start === 1 &&
          isVerbForm(text(m.start)) &&
          ['have', 'has', 'had', 'was', 'were', 'been', 'that', 'which'].includes(text(m.start - 1)) &&
          (m.cols[0]?.score ?? 0) >= 0.9 &&
          summable(index, colOf(m)) &&
          !isIdentifier(index, colOf(m)) &&
          colOf(m) !== nc,
      );
      if (verbM) {
        measure = colOf(verbM);
        verbM.used = true;
      } else if (siblings(index, nc).length > 0) {
        // "the total number of votes" where each block has its own Votes column: the Total column when there is one
        const tc = index.columns.find((c) => isNumericKind(c.kind) && !filterCols.has(c.name) && nameWords(c.name).includes('total'));
        if (tc) measure = tc.name;
      }
    } else if (distinctAt >= 0 && next && nc) {
      fn = 'countDistinct';
      measure = nc;
      next.used = true;
    } else fn = 'count';
  }

  // superlative / comparative
  let order: OrderKey | undefined;
  let orderCol: string | undefined;
  let orderMention: Mention | undefined;
  let countedCol: string | undefined;
  let supFn: 'max' | 'min' | undefined;
  let modeOfAsked = false;
  const supIdx = supAt >= 0 ? supAt : cmpAt;
  if (supIdx >= 0 && !fn) {
    const dir = kw[supIdx] === 'max' || kw[supIdx] === 'more' ? 'desc' : 'asc';
    // "the highest / best position" in a ranking is place 1: the smallest number
    const rankDir = (c: string): 'asc' | 'desc' =>
      nameWords(c).some((w) => RANK_WORDS.has(w)) && ['highest', 'best', 'top', 'lowest', 'worst', 'bottom'].includes(text(supIdx))
        ? dir === 'desc'
          ? 'asc'
          : 'desc'
        : dir;
    const after = numericFree.filter((m) => !m.used && m.start > supIdx);
    const anyNum = numericFree.filter((m) => !m.used);
    // the noun right after the superlative decides: a numeric column orders rows, anything else counts rows per target
    let q = supIdx + 1;
    while (['amount', 'number', 'of', 'total', 'the'].includes(text(q)) && a.at[q] === -1) q++;
    const nextM = a.mentions[a.at[q] ?? -1];
    const nounAfter = tokens[q] !== undefined && tokens[q]?.kind === 'word' && !STOP.has(text(q)) && kw[q] === undefined;
    // "the least amount of people attending": a numeric column one or two plain words after the noun still names the measure
    const closeAfter =
      after[0] !== undefined &&
      after[0].start > q &&
      after[0].start <= q + 2 &&
      tokens.slice(q, after[0].start).every((x, j) => x.kind === 'word' && a.at[q + j] === -1 && kw[q + j] === undefined);
    // "the most points in the swimsuit competition": an unknown noun, then a numeric column a few words on
    const laterAfter = nounAfter && !nextM && after[0] !== undefined && after[0].start <= q + 5 && kw[supIdx + 1] !== 'common';
    // "the lowest population that is not zero": the column right after the superlative orders even when a comparison also used it
    const usedNext =
      nextM && nextM.start === q && nextM.used && nextM.vals.length === 0 && isNumericKind(index.kindOf(nextM.cols[0]?.column ?? '')) ? nextM : undefined;
    const om =
      after[0] && (after[0].start === q || closeAfter || laterAfter)
        ? after[0]
        : usedNext
          ? usedNext
          : nounAfter
            ? undefined
            : (after[0] ?? anyNum[anyNum.length - 1]);
    // "which tier was X a part of the least": the superlative ends the question and the only measure is the
    // asked-for noun itself: its least / most frequent value
    modeOfAsked =
      om !== undefined &&
      tokens.slice(supIdx + 1).every((x) => x.kind === 'punct') &&
      ['which', 'what'].includes(text(om.start - 1)) &&
      numericFree.filter((m) => !m.used).length === 1;
    const common =
      kw[supIdx + 1] === 'common' ||
      text(supIdx + 1) === 'times' ||
      kw.includes('common') ||
      (nounAfter && !om && (!nextM || nextM.cols.length > 0 || nextM.vals.length === 0)) ||
      modeOfAsked;
    const whatForm = !tokens.some((x) => x.text === 'which' || x.text === 'who' || x.text === 'whom');
    const textOrder =
      !om &&
      nextM &&
      nextM.start === q &&
      nextM.cols.length > 0 &&
      nextM.vals.length === 0 &&
      !nextM.used &&
      kw[supIdx + 1] !== 'common' &&
      (numericLikeText(index, colOf(nextM)) || whatForm);
    // the superlative word itself names a numeric measure ("oldest" → Age)
    const selfM = a.mentions[a.at[supIdx] ?? -1];
    const selfCol = selfM && !selfM.used ? selfM.cols.find((c) => numLike(index, c.column))?.column : undefined;
    if (selfCol && selfM && !om) {
      orderCol = selfCol;
      orderMention = selfM;
      selfM.used = true;
      order = { target: { type: 'column', column: orderCol, ...ex(index, orderCol) }, direction: rankDir(orderCol) };
      supFn = rankDir(orderCol) === 'desc' ? 'max' : 'min';
    } else if (textOrder && nextM) {
      orderCol = colOf(nextM);
      orderMention = nextM;
      nextM.used = true;
      order = { target: { type: 'column', column: orderCol, ...ex(index, orderCol) }, direction: rankDir(orderCol) };
      supFn = rankDir(orderCol) === 'desc' ? 'max' : 'min';
    } else if (om && !common) {
      orderCol = colOf(om);
      orderMention = om;
      om.used = true;
      order = { target: { type: 'column', column: orderCol, ...ex(index, orderCol) }, direction: rankDir(orderCol) };
      supFn = rankDir(orderCol) === 'desc' ? 'max' : 'min';
      score += 0.8;
    } else {
      order = { target: { type: 'output', name: 'count' }, direction: dir };
      supFn = undefined;
      // "who captured the most vessels": the counted noun is not the answer
      if (nextM && nextM.start === q && nextM.cols.length > 0 && !nextM.used && tokens.some((x) => x.text === 'who' || x.text === 'which')) {
        nextM.used = true;
        countedCol = colOf(nextM);
      }
    }
  }

  // target columns
  const targetMs = free.filter((m) => !m.used);
  // a column named outright beats one reached only through a synonym ("what award did X win": not Result)
  // when it is the question's closing verb
  const direct = targetMs.some((m) => (m.cols[0]?.score ?? 0) >= 0.9);
  const lastWord = tokens.findLastIndex((t) => t.kind !== 'punct');
  let targets = targetMs.filter((m) => !direct || m.end - 1 !== lastWord || (m.cols[0]?.score ?? 0) >= 0.75).map(colOf);
  targets = targets.filter((c, i) => targets.indexOf(c) === i && !groupCols.includes(c) && !filterCols.has(c));
  if (ctx.targetShift > 0 && targets.length > ctx.targetShift) targets = [...targets.slice(ctx.targetShift), ...targets.slice(0, ctx.targetShift)];
  const whoAt = has('who');
  // "what/which X", "what is the X of": the noun the question asks for
  const whq = tokens.findIndex((x) => x.text === 'what' || x.text === 'which');
  let whNoun = whq >= 0 ? whq + 1 : -1;
  while (whNoun >= 0 && ['is', 'was', 'were', 'are', 'the', 'a', 'an'].includes(text(whNoun))) whNoun++;
  const whNounM = whNoun >= 0 ? a.mentions[a.at[whNoun] ?? -1] : undefined;
  // "in what year", "which season" with no column of that name: a "when" question
  const whenAt = has('when') >= 0 ? has('when') : whNoun >= 0 && !whNounM && WHEN.has(text(whNoun)) ? whNoun : -1;
  const whereAt = has('where');
  // "what was the date of the first game in november": the asked-for column is the answer even when it also filters
  const asked = whNounM && whNounM.start === whNoun && whNounM.vals.length === 0 && (whNounM.cols[0]?.score ?? 0) >= 0.9 ? whNounM.cols[0]?.column : undefined;
  if (asked && filterCols.has(asked) && !targets.includes(asked) && !groupCols.includes(asked) && asked !== orderCol && asked !== measure)
    targets = [asked, ...targets];
  if (choiceCol && !fn && supAt < 0 && cmpAt < 0) targets = [choiceCol];
  if (numberCol && !fn && !filterCols.has(numberCol)) targets = [numberCol, ...targets.filter((c) => c !== numberCol)];
  // "X is from what club?": a column named by the preposition before the question word ("From", "To")
  if (whq > 0 && tokens[whq - 1]?.kind === 'word' && !fn) {
    const pw = text(whq - 1);
    const pc = index.columns.find((c) => c.name.trim().toLowerCase() === pw && !groupCols.includes(c.name) && c.name !== orderCol);
    if (pc) targets = [pc.name, ...targets.filter((c) => c !== pc.name)];
  }
  const exclude = new Set<string>([...filterCols, ...(orderCol ? [orderCol] : []), ...(measure ? [measure] : []), ...(countedCol ? [countedCol] : [])]);
  if (whoAt >= 0 && targets.length > 0 && targets.every((c) => isNumericKind(index.kindOf(c)))) {
    const person = index.columns.find(
      (c) => !exclude.has(c.name) && (c.kind === 'text' || c.kind === 'category') && nameWords(c.name).some((w) => PERSON.has(w) || PERSON.has(root(w))),
    );
    if (person) targets = [];
  }
  // "when did X chart": the answer is a date or year column, not the column a verb happened to name
  if (whenAt >= 0 && targets.length > 0 && !targets.some((c) => index.kindOf(c) === 'datetime' || looksTime(c))) {
    const tc = index.columns.find((c) => !exclude.has(c.name) && (c.kind === 'datetime' || looksTime(c.name)));
    if (tc) targets = [];
  }
  // "where was X held": a place column
  if (whereAt >= 0 && targets.length > 0 && !targets.some((c) => nameWords(c).some((w) => WHERE.has(w) || WHERE.has(root(w))))) {
    const pc = index.columns.find((c) => !exclude.has(c.name) && nameWords(c.name).some((w) => WHERE.has(w) || WHERE.has(root(w))));
    if (pc) targets = [];
  }
  const pickDefault = (): string | undefined => {
    if (hint[0]) return hint[0];
    if (excludedCol && whenAt < 0 && whereAt < 0) return excludedCol;
    const cols = index.columns.filter((c) => !exclude.has(c.name));
    const byWords = (set: Set<string>): string | undefined => cols.find((c) => nameWords(c.name).some((w) => set.has(w) || set.has(root(w))))?.name;
    if (whenAt >= 0) {
      const c = cols.find((x) => x.kind === 'datetime')?.name ?? byWords(WHEN);
      if (c) return c;
    }
    if (whereAt >= 0) {
      const c = byWords(WHERE);
      if (c) return c;
    }
    if (whoAt >= 0) {
      const c = byWords(PERSON);
      if (c) return c;
    }
    const textual = cols.filter((c) => c.kind === 'text' || c.kind === 'category');
    // "which show …", "what play …": the noun after the question word, by root
    const wq = tokens.findIndex((x) => x.text === 'which' || x.text === 'what' || x.text === 'who');
    const noun = wq >= 0 ? tokens[wq + 1] : undefined;
    if (noun && noun.kind === 'word' && !STOP.has(noun.text)) {
      const r = root(noun.text);
      const c = cols.find((x) => nameWords(x.name).some((w) => root(w) === r));
      if (c) return c.name;
    }
    const entity = textual.find((c) => nameWords(c.name).some((w) => ENTITY.has(w) || ENTITY.has(root(w))));
    // the name of a row is rarely a column of digits written as text ("1", "2", … in a Rank column)
    const named = textual.find((c) => {
      const sh = textShape(index, c.name);
      return !sh.half || sh.year || sh.month;
    });
    return entity?.name ?? named?.name ?? textual[0]?.name ?? cols[0]?.name;
  };

  // adjacency plan
  if (adjacent) {
    const tcols = targets.length > 0 ? targets : [adjacent.link.column];
    const ordCol = mentionedCols.find((c) => index.kindOf(c) === 'datetime');
    return {
      plan: {
        type: 'adjacent',
        direction: adjacent.direction,
        anchor: { type: 'compare', column: adjacent.link.column, op: '=', value: adjacent.link.value },
        order: ordCol ? { type: 'column', column: ordCol } : { type: 'rowOrder' },
        columns: tcols,
      },
      score: score + 1.5,
    };
  }

  /** The rows whose (numeric) column equals its largest / smallest value among the rows the other filters keep. */
  const tiedAtExtreme = (col: string, direction: 'asc' | 'desc'): Condition => ({
    type: 'compareRow',
    column: col,
    op: '=',
    anchor: and([...conds, { type: 'not', condition: { type: 'isEmpty', column: col } }]) as Condition,
    ref: direction === 'desc' ? 'max' : 'min',
  });

  /** Leaves out a summary row ("Total") at the bottom of the table, if it has one. */
  const dropSummaryRow = (): void => {
    const summary = summaryRow(index);
    if (summary) conds.push({ type: 'compare', column: summary.column, op: '!=', value: summary.value });
  };

  /** The numeric column a superlative over one-row-per-entity data implies, when the rows of `t` are (nearly) all distinct. */
  const impliedMeasure = (t: string | undefined): string | undefined => {
    if (!t || !index.ds || kw.includes('common') || text(supIdx + 1) === 'times') return undefined;
    const nd = index.distinct.get(t) ?? index.numbers.get(t)?.size ?? 0;
    if (nd < 0.9 * index.ds.nrows || index.ds.nrows < 3) return undefined;
    const avoid = (c: string): boolean => c === t || filterCols.has(c) || isIdentifier(index, c) || looksTime(c);
    const nearM = numericFree.find((m) => !m.used && m.start > supIdx && m.start <= supIdx + 5 && !avoid(colOf(m)));
    if (nearM) return colOf(nearM);
    return index.columns.find((c) => isNumericKind(c.kind) && !avoid(c.name) && nameWords(c.name).some((w) => TOTAL_WORDS.has(w)))?.name;
  };
  const items: OutputItem[] = [];
  const groupBy: string[] = [];
  for (const g of groupCols) {
    items.push({ type: 'column', column: g, as: g });
    groupBy.push(g);
  }
  if (bucket && tcol) {
    const as = `${tcol} ${bucket}`;
    items.push({ type: 'bucket', column: tcol, unit: bucket, as });
    groupBy.push(as);
  }
  const orderBy: OrderKey[] = [];
  let limit: number | undefined;
  let offset: number | undefined;

  const where0 = and(conds);
  if (fn === 'count' && !measure && where0 && index.ds && groupBy.length === 0 && countAt >= 0) {
    const rows = matchRows(index.ds, where0);
    const totalCol = index.columns.find((c) => isNumericKind(c.kind) && !filterCols.has(c.name) && nameWords(c.name).includes('total'));
    // "how many total players has Dublin had": a counted noun that names a text column counts its rows
    const nounM = countedNoun(countAt);
    const countsEntity = nounM?.cols.some((c) => !numLike(index, c.column)) === true;
    if (rows.length === 1 && totalCol && !countsEntity) {
      fn = 'sum';
      measure = totalCol.name;
    }
  }
  // "how many drivers completed the most laps": the rows tied at the extreme, counted
  if (fn === 'count' && !measure && countAt >= 0 && supAt > countAt && groupBy.length === 0 && limitN === undefined) {
    const om = numericFree.find(
      (m) => !m.used && m.start > supAt && m.start <= supAt + 4 && isNumericKind(index.kindOf(colOf(m))) && !isIdentifier(index, colOf(m)),
    );
    if (om) {
      om.used = true;
      dropSummaryRow();
      conds.push(tiedAtExtreme(colOf(om), kw[supAt] === 'max' ? 'desc' : 'asc'));
      score += 0.5;
    }
  }
  // "how many teachers are at the school that enrolls the largest number of students": the measure of the row
  // the superlative picks, not a sum over all rows
  let topRow = false;
  if (fn === 'sum' && measure && countAt >= 0 && supAt > countAt && groupBy.length === 0 && limitN === undefined) {
    const om = numericFree.find((m) => !m.used && m.start > supAt && m.start <= supAt + 4 && colOf(m) !== measure && !isIdentifier(index, colOf(m)));
    if (om) {
      const oc = colOf(om);
      om.used = true;
      items.push({ type: 'column', column: measure, as: measure });
      orderBy.push({ target: { type: 'column', column: oc, ...ex(index, oc) }, direction: kw[supAt] === 'max' ? 'desc' : 'asc' });
      limit = 1;
      topRow = true;
      score += 0.5;
    }
  }
  if (topRow) {
    /* built above */
  } else if (fn) {
    // "which weather has the highest average wind": the superlative ranks the groups of the entity the
    // question asks for by the aggregate (group by it, order by the aggregate, keep the top)
    if (supIdx >= 0 && groupBy.length === 0 && fn !== 'count' && measure && (whoAt >= 0 || tokens.some((x) => x.text === 'which'))) {
      const ent = targets.find((c) => c !== measure && !isNumericKind(index.kindOf(c))) ?? pickDefault();
      if (ent && ent !== measure && !isNumericKind(index.kindOf(ent))) {
        items.push({ type: 'column', column: ent, as: ent });
        groupBy.push(ent);
      }
    }
    if (fn === 'count' && (distinctAt >= 0 || targets.length > 0) && distinctAt >= 0 && targets[0]) {
      fn = 'countDistinct';
      measure = targets[0];
    }
    const as = fn === 'count' ? 'count' : `${fn} ${measure}`;
    items.push({
      type: 'aggregate',
      fn,
      column: fn === 'count' ? null : (measure ?? null),
      as,
      ...(measure && fn !== 'count' && fn !== 'countDistinct' ? ex(index, measure) : {}),
    });
    score += 1;
    if (groupBy.length > 0) {
      // having: "with more than N" after grouping → handled as where on the measure (kept simple)
      if (supIdx >= 0) {
        orderBy.push({ target: { type: 'output', name: as }, direction: kw[supIdx] === 'max' || kw[supIdx] === 'more' ? 'desc' : 'asc' });
        limit = limitN ?? 1;
      } else if (limitN) {
        orderBy.push({ target: { type: 'output', name: as }, direction: limitDir ?? 'desc' });
        limit = limitN;
      }
    }
  } else if (order && supFn && orderCol) {
    // a summary row ("Total", "Totals") is never the answer to a superlative
    dropSummaryRow();
    // "which X has the highest Y": the row(s) with the extreme Y
    // "what game had the most attendees": "what" before a noun the table does not name asks for a row, as "which" does
    const whatNoun =
      whq >= 0 &&
      text(whq) === 'what' &&
      tokens[whq + 1]?.kind === 'word' &&
      !STOP.has(text(whq + 1)) &&
      a.at[whq + 1] === -1 &&
      kw[whq + 1] === undefined &&
      !WHEN.has(text(whq + 1));
    const wh = whoAt >= 0 || tokens.some((x) => x.text === 'which') || whatNoun;
    // "what was the least amount of points scored in a season": a column named after the measure is context, not the answer
    const orderAt = orderMention?.start ?? -1;
    const tg = !wh && orderAt >= 0 ? targets.filter((c) => !free.some((m) => colOf(m) === c && m.start > orderAt)) : targets;
    const t = tg.length > 0 ? tg : wh ? [pickDefault() ?? orderCol] : [orderCol];
    if (t.length === 1 && t[0] === orderCol && groupBy.length === 0 && ex(index, orderCol).extract) {
      // numbers written as text ("10,000 m"): answer with the cell as written, ordered by its number
      items.push({ type: 'column', column: orderCol, as: orderCol });
      orderBy.push(order);
      limit = limitN ?? 1;
    } else if (t.length === 1 && t[0] === orderCol && groupBy.length === 0) {
      items.push({ type: 'aggregate', fn: supFn, column: orderCol, as: `${supFn} ${orderCol}` });
    } else if (groupBy.length > 0) {
      const as = `${supFn} ${orderCol}`;
      items.push({ type: 'aggregate', fn: supFn, column: orderCol, as, ...ex(index, orderCol) });
      if (wh) {
        orderBy.push({ target: { type: 'output', name: as }, direction: order.direction });
        limit = limitN ?? 1;
      }
    } else {
      for (const c of t) items.push({ type: 'column', column: c, as: c });
      orderBy.push(order);
      // "which nation won the fewest silver medals": every row tied at the extreme, not just the first
      if (limitN === undefined && isNumericKind(index.kindOf(orderCol)) && order.target.type === 'column' && !order.target.extract)
        conds.push(tiedAtExtreme(orderCol, order.direction));
      else limit = limitN ?? 1;
    }
  } else if (
    order &&
    !supFn &&
    !modeOfAsked &&
    groupBy.length === 0 &&
    targets.length === 1 &&
    isNumericKind(index.kindOf(targets[0] as string)) &&
    !isIdentifier(index, targets[0] as string) &&
    (whoAt >= 0 || tokens.some((x) => x.text === 'which'))
  ) {
    // "which country won the most games" where "won" names a numeric column: order by it, answer with the entity
    const mcol = targets[0] as string;
    exclude.add(mcol);
    const t = pickDefault();
    dropSummaryRow();
    if (t && t !== mcol) items.push({ type: 'column', column: t, as: t });
    else items.push({ type: 'column', column: mcol, as: mcol });
    orderBy.push({ target: { type: 'column', column: mcol }, direction: order.direction });
    if (limitN === undefined) conds.push(tiedAtExtreme(mcol, order.direction));
    else limit = limitN;
    score += 0.3;
  } else if (order && !supFn && impliedMeasure(groupBy.length > 0 ? undefined : (targets[0] ?? pickDefault())) !== undefined) {
    // "which country won the most medals" where each row is one country: counting rows per country says nothing;
    // order the rows by the measure the question implies (a numeric column named after it, or a Total)
    const t = targets[0] ?? (pickDefault() as string);
    const mcol = impliedMeasure(t) as string;
    dropSummaryRow();
    items.push({ type: 'column', column: t, as: t });
    orderBy.push({ target: { type: 'column', column: mcol, ...ex(index, mcol) }, direction: order.direction });
    if (limitN === undefined && isNumericKind(index.kindOf(mcol))) conds.push(tiedAtExtreme(mcol, order.direction));
    else limit = limitN ?? 1;
    score += 0.3;
  } else if (order && !supFn) {
    // "which X is the most common": group by X, count, order
    const t = groupBy.length > 0 ? undefined : (targets[0] ?? pickDefault());
    const k = t ? index.kindOf(t) : undefined;
    if (
      t &&
      (text(whNoun) === 'year' || text(whNoun) === 'years') &&
      (k === 'text' || k === 'category') &&
      textShape(index, t).year &&
      !index.columns.some((c) => c.name !== t && nameWords(c.name).includes('year'))
    ) {
      // "which year had the most flights" over dates written as text: group by the year read out of the date
      const as = `${t} year`;
      items.push({ type: 'bucket', column: t, unit: 'year', as, extract: 'year' });
      groupBy.push(as);
    } else if (t) {
      items.push({ type: 'column', column: t, as: t });
      groupBy.push(t);
    }
    items.push({ type: 'aggregate', fn: 'count', column: null, as: 'count' });
    orderBy.push({ target: { type: 'output', name: 'count' }, direction: order.direction });
    limit = limitN ?? 1;
    score += 0.2;
  } else {
    let t = targets.length > 0 ? targets : groupBy.length > 0 ? [] : [pickDefault()].filter((x): x is string => x !== undefined);
    // "who was the first member to be elected": a year column named among the targets orders the rows, the other
    // target answers
    const yearish = (c: string): boolean =>
      (isNumericKind(index.kindOf(c)) && (looksTime(c) || holdsYears(index, c))) ||
      ((index.kindOf(c) === 'text' || index.kindOf(c) === 'category') && textShape(index, c).year);
    let timeTarget = firstAt >= 0 && groupBy.length === 0 && t.length > 1 ? t.find((c) => yearish(c)) : undefined;
    if (timeTarget) t = t.filter((c) => c !== timeTarget);
    // "who was the last member to be elected": a year column the question names (even in passing) orders the rows
    else if (firstAt >= 0 && groupBy.length === 0)
      timeTarget = mentions
        .filter((m) => !(m.start <= firstAt && firstAt < m.end))
        .flatMap((m) => m.cols.map((c) => c.column))
        .find((c) => yearish(c) && !t.includes(c) && index.kindOf(c) !== 'datetime');
    if (groupBy.length > 0) items.push({ type: 'aggregate', fn: 'count', column: null, as: 'count' });
    else for (const c of t) items.push({ type: 'column', column: c, as: c });
    score += targets.length > 0 ? 0.5 : 0;
    if (firstAt >= 0 && groupBy.length === 0) {
      const ordCol = mentionedCols.find((c) => index.kindOf(c) === 'datetime' && !t.includes(c));
      const dir = kw[firstAt] === 'first' ? 'asc' : 'desc';
      orderBy.push(
        timeTarget
          ? {
              target: { type: 'column', column: timeTarget, ...ex(index, timeTarget, 'year') },
              direction: dir,
            }
          : ordCol
            ? { target: { type: 'column', column: ordCol }, direction: dir }
            : { target: { type: 'rowOrder' }, direction: dir },
      );
      limit = limitN ?? 1;
    } else if (limitN) {
      orderBy.push({ target: { type: 'rowOrder' }, direction: limitDir ?? 'asc' });
      limit = limitN;
    } else if (ordinalRow !== undefined && groupBy.length === 0) {
      orderBy.push({ target: { type: 'rowOrder' }, direction: 'asc' });
      limit = 1;
      offset = ordinalRow - 1;
    }
  }
  if (items.length === 0) return undefined;
  // "name a ...", "tell me one ...": one row (the first in row order), not the whole list
  if (limit === undefined && groupBy.length === 0 && orderBy.length === 0 && items.every((it) => it.type === 'column') && asksForOne(tokens)) {
    orderBy.push({ target: { type: 'rowOrder' }, direction: 'asc' });
    limit = 1;
  }
  const where = and(conds);
  // "how many consecutive wins", "how many games in a row": the longest run of matching rows in row order
  const streakWord = tokens.some(
    (t, k) =>
      (a.at[k] === -1 && (t.text === 'consecutive' || t.text === 'consecutively' || t.text === 'streak' || t.text === 'straight')) ||
      (t.text === 'in' && tokens[k + 1]?.text === 'a' && tokens[k + 2]?.text === 'row'),
  );
  if (
    streakWord &&
    where &&
    groupBy.length === 0 &&
    items.length === 1 &&
    items[0]?.type === 'aggregate' &&
    (items[0].fn === 'count' || (items[0].fn === 'max' && supIdx >= 0))
  )
    return { plan: { type: 'streak', condition: where, as: 'streak' }, score: score + 1 };
  if (having && groupBy.length > 0) score += 0.5;
  const plan: SelectPlan = {
    type: 'select',
    items,
    groupBy,
    orderBy,
    ...(where ? { where } : {}),
    ...(having && groupBy.length > 0 ? { having } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(offset !== undefined && limit !== undefined ? { offset } : {}),
  };
  return { plan, score };
}

/** "name a/an/one ...", "tell me a ...", "give one ...", "one of the ...": the question wants a single answer. */
function asksForOne(tokens: readonly Token[]): boolean {
  for (let k = 0; k + 1 < tokens.length; k++) {
    const w = tokens[k]?.text;
    // "tell me a ...": skip the "me"
    const nx = (w === 'tell' || w === 'give') && tokens[k + 1]?.text === 'me' ? tokens[k + 2]?.text : tokens[k + 1]?.text;
    if ((w === 'name' || w === 'tell' || w === 'give' || w === 'list') && (nx === 'a' || nx === 'an' || nx === 'one' || nx === 'any')) return true;
    if (w === 'one' && nx === 'of' && k <= 2) return true;
  }
  return false;
}

function monthIndex(w: string): number {
  let i = MONTHS.indexOf(w);
  if (i < 0 && w !== 'may' && w !== 'mar') i = MONTH_ABBR.indexOf(w);
  if (w === 'sept') i = 8;
  return i;
}

function and(input: readonly Condition[]): Condition | undefined {
  // "in 2008 and 2009": two values of one column can only mean either (a row holds one value)
  let conds = input;
  const eq = (c: Condition): c is Extract<Condition, { type: 'compare' }> => c.type === 'compare' && c.op === '=' && c.extract === undefined;
  for (const c of input) {
    if (!eq(c)) continue;
    const same = conds.filter((x): x is Extract<Condition, { type: 'compare' }> => eq(x) && x.column === c.column);
    const values = same.map((x) => x.value).filter((v, i, all) => all.findIndex((w) => JSON.stringify(w) === JSON.stringify(v)) === i);
    if (same.length < 2 || values.length < 2) continue;
    const first = conds.indexOf(same[0] as Condition);
    conds = conds.flatMap((x, i): Condition[] => (i === first ? [{ type: 'in', column: c.column, values }] : same.includes(x as never) ? [] : [x]));
  }
  if (conds.length === 0) return undefined;
  if (conds.length === 1) return conds[0];
  return { type: 'and', conditions: conds };
}

function rankValueOptions(m: Mention, mentions: readonly Mention[], index: SchemaIndex, groupCols: readonly string[]): ValueLink[] {
  if (m.vals.length <= 1) return [...m.vals];
  const mentioned = new Set(mentions.filter((x) => x !== m).flatMap((x) => x.cols.map((c) => c.column)));
  const opts = [...m.vals];
  opts.sort((x, y) => {
    const mx = mentioned.has(x.column) ? 1 : 0;
    const my = mentioned.has(y.column) ? 1 : 0;
    if (mx !== my) return my - mx;
    const gx = groupCols.includes(x.column) ? 1 : 0;
    const gy = groupCols.includes(y.column) ? 1 : 0;
    if (gx !== gy) return gx - gy;
    return index.columns.findIndex((c) => c.name === x.column) - index.columns.findIndex((c) => c.name === y.column);
  });
  return opts;
}

function pickMeasure(ctx: Ctx, exclude: Set<string>, groupCols: readonly string[], near = -1): string | undefined {
  const ms = [...ctx.a.mentions].sort((x, y) => (near >= 0 ? Math.abs(x.start - near) - Math.abs(y.start - near) : 0) || x.start - y.start);
  for (const m of ms) {
    if (m.used) continue;
    for (const c of m.cols) {
      if (!exclude.has(c.column) && !groupCols.includes(c.column) && numLike(ctx.index, c.column)) {
        m.used = true;
        return c.column;
      }
    }
  }
  return undefined;
}

function numericMentionNear(ctx: Ctx, m: Mention): boolean {
  const { a, index } = ctx;
  for (const k of [m.end, m.start - 1]) {
    const mm = a.mentions[a.at[k] ?? -1];
    if (mm?.cols.some((c) => isNumericKind(index.kindOf(c.column)))) return true;
  }
  return false;
}

function numberColumn(
  ctx: Ctx,
  m: Mention,
  opAt: number,
  filterCols: Set<string>,
  allowText = false,
): { column: string; mention?: Mention; extract?: NumberExtract } | undefined {
  const r = numberColumnOf(ctx, m, opAt, filterCols, allowText);
  if (!r || isNumericKind(ctx.index.kindOf(r.column)) || ctx.index.kindOf(r.column) === 'datetime') return r;
  // a text column read as numbers: years out of dates written as text, else the first number
  const yearLike = m.num !== undefined && m.num >= 1000 && m.num < 3000 && Number.isInteger(m.num);
  const sh = textShape(ctx.index, r.column);
  return { ...r, extract: yearLike && sh.year ? 'year' : sh.clock ? 'duration' : sh.spaced ? 'spaced' : 'number' };
}

function numberColumnOf(ctx: Ctx, m: Mention, opAt: number, filterCols: Set<string>, allowText: boolean): { column: string; mention?: Mention } | undefined {
  const { index, a } = ctx;
  const yearLike = m.num !== undefined && m.num >= 1000 && m.num < 3000 && Number.isInteger(m.num);
  // text columns of quantities ("2 miles") or of dates written as text, when a comparison asks for them
  const textNum = (c: { name: string; kind: string }): boolean =>
    allowText &&
    (c.kind === 'text' || c.kind === 'category') &&
    (yearLike ? textShape(index, c.name).year || textShape(index, c.name).lead : textShape(index, c.name).lead);
  const numericCols = index.columns.filter((c) => isNumericKind(c.kind) || c.kind === 'datetime' || textNum(c)).map((c) => c.name);
  const usable = (mm: Mention | undefined): string | undefined =>
    mm?.cols.find((c) => numericCols.includes(c.column) && (yearLike || index.kindOf(c.column) !== 'datetime'))?.column;
  // the number's own mention names a column ("a total of 4" → no; "5 goals" → goals after); "10 or more losses": after the "or more"
  const skip = a.tokens[m.end]?.text === 'or' && a.kw[m.end] !== undefined ? 2 : 0;
  const after1 = a.mentions[a.at[m.end + skip] ?? -1];
  const after2 = a.mentions[a.at[m.end + skip + 1] ?? -1];
  const startOp = opAt >= 0 ? opAt : m.start;
  const before = [a.mentions[a.at[startOp - 1] ?? -1], a.mentions[a.at[startOp - 2] ?? -1], a.mentions[a.at[startOp - 3] ?? -1]];
  const num = m.num as number;
  if (a.tokens[m.start]?.clock) {
    // "shorter than 2:00": a column of durations, the one named nearby first
    const isClock = (c: string): boolean => !filterCols.has(c) && textShape(index, c).clock;
    const named = a.mentions.find((x) => !x.used && x !== m && x.cols.some((c) => isClock(c.column)));
    const c = named?.cols.find((x) => isClock(x.column))?.column ?? index.columns.find((x) => isClock(x.name))?.name;
    if (c) return named ? { column: c, mention: named } : { column: c };
  }
  const holds = (c: string): boolean => index.numbers.get(c)?.has(num) ?? !index.ds;
  const anyHolder = [...index.numbers.entries()].some(([c, st]) => st.has(num) && !filterCols.has(c));
  if (yearLike && opAt < 0 && !anyHolder) {
    // "in 2014" with no column holding 2014: the year of the time column
    const t = index.columns.find((c) => c.kind === 'datetime' && !filterCols.has(c.name));
    if (t) return { column: t.name };
  }
  const conj = ['and', 'or', 'but'].includes(a.tokens[m.end]?.text ?? '') || a.tokens[m.end]?.kind === 'punct';
  const atOp = opAt >= 0 ? a.mentions[a.at[opAt] ?? -1] : undefined;
  // a comparison with a number far outside a column's values is not about that column ("at least 10,000" and Game 1..80)
  const plausible = (c: string): boolean => {
    if (opAt < 0 || yearLike) return true;
    const st = index.numbers.get(c);
    if (!st || st.size < 3) return true;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of st) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return !(lo >= 0 && num > 0 && (num > 20 * Math.max(hi, 1) || (lo > 0 && num < lo / 20)));
  };
  // "teams that won 6 matches": a verb naming a numeric column right before the number is what is counted
  const b0 = before[0];
  const verbFirst =
    opAt < 0 && b0 !== undefined && b0.end === m.start && b0.end - b0.start === 1 && isVerbForm(a.tokens[b0.start]?.text ?? '') && usable(b0) !== undefined;
  const order = verbFirst
    ? [b0, atOp, after1, conj ? undefined : after2, before[1], before[2]]
    : [atOp, after1, before[0], conj ? undefined : after2, before[1], before[2]];
  for (const cand of order) {
    if (!cand || cand === m || cand.used) continue;
    const c = usable(cand);
    // a column named right next to the comparison is taken at its word ("tenure over 1.2 million")
    const adjacent = cand === atOp || cand === before[0] || (cand === after1 && skip === 0);
    if (c && !filterCols.has(c) && (adjacent || plausible(c)) && (opAt >= 0 || holds(c) || !anyHolder || index.kindOf(c) === 'datetime'))
      return { column: c, mention: cand };
  }
  // a numeric column holding exactly this number
  const holders = [...index.numbers.entries()].filter(([c, s]) => s.has(num) && !filterCols.has(c)).map(([c]) => c);
  if (holders.length >= 1 && opAt < 0) {
    const mentioned = holders.find((h) => a.mentions.some((mm) => !mm.used && mm.cols.some((c) => c.column === h)));
    const c = mentioned ?? holders.find((h) => looksTime(h) && num >= 1000 && num < 3000) ?? holders[0];
    if (c) {
      const mm = a.mentions.find((x) => !x.used && x !== m && x.cols.some((cc) => cc.column === c));
      return mm ? { column: c, mention: mm } : { column: c };
    }
  }
  const yearNum = num >= 1000 && num < 3000 && Number.isInteger(num);
  const timeLike = (c: string): boolean => index.kindOf(c) === 'datetime' || looksTime(c);
  if (yearNum && opAt >= 0) {
    // "joined after 2000": a mentioned time-like column first
    const tm = a.mentions.find((x) => !x.used && x !== m && usable(x) !== undefined && timeLike(usable(x) as string) && !filterCols.has(usable(x) as string));
    if (tm) return { column: usable(tm) as string, mention: tm };
  }
  if (yearNum) {
    const t =
      index.columns.find((c) => c.kind === 'datetime') ??
      index.columns.find((c) => isNumericKind(c.kind) && looksTime(c.name)) ??
      (allowText ? index.columns.find((c) => textNum(c) && textShape(index, c.name).year && !filterCols.has(c.name)) : undefined);
    if (t) return { column: t.name };
  }
  if (opAt >= 0) {
    const any = a.mentions.find((x) => !x.used && x !== m && usable(x) !== undefined && !filterCols.has(usable(x) as string) && plausible(usable(x) as string));
    if (any) return { column: usable(any) as string, mention: any };
    if (index.ds && !yearNum) {
      // a year is never compared with an arbitrary numeric column
      const cols = index.columns.filter((c) => isNumericKind(c.kind) && !filterCols.has(c.name));
      if (cols.length === 1) return { column: (cols[0] as { name: string }).name };
      // the one numeric column whose values are of this number's size
      const fit = cols.filter((c) => plausible(c.name) && !isIdentifier(index, c.name) && !looksTime(c.name));
      if (fit.length === 1) return { column: (fit[0] as { name: string }).name };
    }
  }
  return undefined;
}

/**
 * Whether a column holds comma-separated lists ("American, Spirit, United", at least 30% of its filled cells)
 * in which `value` is an item of at least one cell (matching whole items also keeps the cells that are the value).
 */
function listItemMore(index: SchemaIndex, col: string, value: string): boolean {
  const ds = index.ds;
  if (!ds || value.includes(',')) return false;
  let lists = 0;
  let filled = 0;
  let item = 0;
  // a sample of the first rows is enough to see the column's shape (parsing stays cheap on large tables)
  for (let i = 0; i < ds.nrows && i < 5000; i++) {
    const v = ds.get(i, col);
    if (typeof v !== 'string' || v.trim() === '') continue;
    filled++;
    if (!v.includes(',')) continue;
    lists++;
    // the executor's and SQL's item test (spaces around items ignored, not other whitespace)
    if (hasListItem(v, value)) item++;
  }
  return lists >= 0.3 * filled && item > 0;
}

const WIN_WORDS = new Set(['won', 'win', 'wins', 'victory', 'victories', 'winning']);
const LOSE_WORDS = new Set(['lost', 'lose', 'loss', 'losses', 'losing', 'defeat', 'defeats', 'defeated']);
const RESULT_HEADS = new Set(['w', 'l', 'd', 't', 'won', 'lost', 'win', 'loss', 'draw', 'drawn', 'drew', 'tie', 'tied', 'lose']);
const resultColumns = new WeakMap<SchemaIndex, Map<string, boolean>>();
/** A text column whose cells mostly start with a result word ("W 19–14", "L 3-4", "Won by 21 points"). Cached. */
function resultColumn(index: SchemaIndex, col: string): boolean {
  return cachedFor(
    resultColumns,
    index,
    col,
    () => new Map(),
    () => holdsResults(index, col),
  );
}

function holdsResults(index: SchemaIndex, col: string): boolean {
  const ds = index.ds;
  const k = index.kindOf(col);
  let out = false;
  if (ds && (k === 'text' || k === 'category')) {
    let total = 0;
    let heads = 0;
    let wins = 0;
    for (let i = 0; i < ds.nrows && total < 200; i++) {
      const v = ds.get(i, col);
      if (typeof v !== 'string' || v.trim() === '') continue;
      total++;
      const first = tokenize(v.slice(0, 40), 1000)[0];
      if (first?.kind === 'word' && RESULT_HEADS.has(first.text)) heads++;
      if (first?.text === 'w' || first?.text === 'won' || first?.text === 'win') wins++;
    }
    // one-word cells ("Win", "Loss") are linked as values already; this is for results with a score after them
    out = total >= 3 && heads >= 0.7 * total && wins > 0 && wins < total && (index.distinct.get(col) ?? 0) > 4;
  }
  return out;
}

/** A numeric column whose values are all whole years (1000 to 2999). */
function holdsYears(index: SchemaIndex, col: string): boolean {
  const s = index.numbers.get(col);
  if (!s || s.size < 2) return false;
  for (const v of s) if (!Number.isInteger(v) || v < 1000 || v > 2999) return false;
  return true;
}

/** A column name without a trailing block number: "Votes (2)" → "votes". */
function baseName(col: string): string {
  const t = col.trim().toLowerCase();
  const open = t.lastIndexOf(' (');
  if (open > 0 && t.endsWith(')')) {
    const inner = t.slice(open + 2, -1);
    if (inner.length > 0 && inner.length <= 2 && [...inner].every((ch) => ch >= '0' && ch <= '9')) return t.slice(0, open);
  }
  return t;
}

/** Other columns of the same name in a table laid out in blocks ("Votes", "Votes (2)", "Votes (3)"). */
function siblings(index: SchemaIndex, col: string): string[] {
  const b = baseName(col);
  return index.columns.filter((c) => c.name !== col && baseName(c.name) === b).map((c) => c.name);
}

const IRREGULAR_PAST = new Set([
  'won',
  'lost',
  'drew',
  'ran',
  'made',
  'took',
  'gave',
  'sold',
  'bought',
  'paid',
  'spent',
  'led',
  'held',
  'built',
  'sang',
  'drove',
  'got',
  'had',
  'hit',
  'beat',
  'threw',
  'caught',
  'shot',
  'stole',
  'fought',
]);
/** A past-tense verb ("scored", "won"): what a number right after it counts. */
function isVerbForm(w: string): boolean {
  return IRREGULAR_PAST.has(w) || (w.length >= 5 && w.endsWith('ed') && !w.endsWith('eed'));
}

// ---------------------------------------------------------------- questions answered with a word

/** Pairs of comparatives asked as a choice ("more or less", "above or below"): the word for greater first. */
const CHOICE_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['more', 'less'],
  ['more', 'fewer'],
  ['higher', 'lower'],
  ['greater', 'less'],
  ['greater', 'fewer'],
  ['larger', 'smaller'],
  ['bigger', 'smaller'],
  ['above', 'below'],
  ['over', 'under'],
  ['longer', 'shorter'],
  ['older', 'younger'],
  ['after', 'before'],
  ['later', 'earlier'],
];
const AUX = new Set(['is', 'are', 'was', 'were', 'did', 'does', 'do', 'has', 'have', 'had', 'can', 'could', 'will', 'would']);
const YES_NO_OPS: Record<string, { op: CompareOp; skip: number }> = { least: { op: '>=', skip: 2 }, most: { op: '<=', skip: 2 } };
let nesting = 0;

/** One select plan reduced to a single number (a sum of a projected numeric column), or undefined. */
function scalarPlan(p: QueryPlan, index: SchemaIndex): SelectPlan | undefined {
  if (p.type !== 'select' || p.groupBy.length > 0 || p.items.length !== 1) return undefined;
  const it = p.items[0] as OutputItem;
  if (it.type === 'aggregate') return p.limit === undefined ? p : undefined;
  if (it.type !== 'column' || !numLike(index, it.column) || p.limit !== undefined) return undefined;
  return sumPlan(index, it.column, p.where);
}

/**
 * A yes/no question whose subject is a name the table does not hold ("did jerry edwards win at least one
 * race?" when no cell names him): the words right after the auxiliary that nothing links (no column,
 * value or keyword; not a stop word), the last of two or more dropped as the verb when it is the word
 * right before the comparison. The rows are those
 * that mention the name in a text column (case-insensitive `contains`, `or` over the text columns): none
 * when the table does not hold it, so the count is 0 instead of the whole table's.
 */
function unlinkedName(tokens: readonly Token[], a: Analysis, from: number, to: number, index: SchemaIndex): Condition | undefined {
  const run: number[] = [];
  for (let k = from; k < to; k++) {
    const t = tokens[k] as Token;
    if (t.kind !== 'word' || a.at[k] !== -1 || a.kw[k] !== undefined || STOP.has(t.text) || t.text.length < 2) break;
    run.push(k);
  }
  if (run.length === 0 || run[0] !== from) return undefined;
  if (run.length >= 2 && run[run.length - 1] === to - 1) run.pop();
  const text = run.map((k) => (tokens[k] as Token).text).join(' ');
  const textCols = index.columns.filter((c) => c.kind === 'text' || c.kind === 'category');
  if (textCols.length === 0) return undefined;
  const conds: Condition[] = textCols.map((c) => ({ type: 'contains', column: c.name, value: text }));
  return conds.length === 1 ? (conds[0] as Condition) : { type: 'or', conditions: conds };
}

/**
 * "Was the attendance in 2011 more or less than 700?", "did X score above or below 3 goals?",
 * "are there at least 8 venues?": the two sides are parsed as questions of their own and compared;
 * the answer is a word ("more", "below", "yes").
 */
function choiceReading(norm: string, tokens: readonly Token[], index: SchemaIndex, options: ParseOptions, base: Analysis): ChoicePlan | undefined {
  if (nesting > 0) return undefined;
  const n = tokens.length;
  const span = (from: number, to: number): string => (from >= to ? '' : norm.slice((tokens[from] as Token).start, tokens[to]?.start ?? norm.length));
  const sub = (q: string): QueryPlan | undefined => {
    if (q.trim() === '') return undefined;
    nesting++;
    try {
      return parse(q, index, { ...options, maxAlternatives: 0 }).plan;
    } catch {
      return undefined;
    } finally {
      nesting--;
    }
  };
  const first = AUX.has(tokens[0]?.text ?? '') ? 1 : 0;
  for (let k = first + 1; k + 2 < n; k++) {
    if (tokens[k + 1]?.text !== 'or') continue;
    const a = tokens[k]?.text as string;
    const b = tokens[k + 2]?.text as string;
    const pair = CHOICE_PAIRS.find(([x, y]) => (a === x && b === y) || (a === y && b === x));
    if (!pair) continue;
    let r = k + 3;
    if (tokens[r]?.text === 'than') r++;
    const nt = tokens[r];
    const num = nt ? numberWord(nt) : undefined;
    let leftQ: string;
    let right: SelectPlan | number | undefined;
    if (num && !num.ordinal) {
      // "above or below 3 league goals": the words after the number still describe the left side
      leftQ = `${span(first, k)} ${span(r + 1, n)}`;
      right = num.num;
    } else {
      leftQ = span(first, k);
      const rp = sub(span(r, n));
      right = rp ? scalarPlan(rp, index) : undefined;
    }
    const lp = sub(leftQ);
    const left = lp ? scalarPlan(lp, index) : undefined;
    if (!left || right === undefined) return undefined;
    return { type: 'choice', left, right, labels: { greater: pair[0], less: pair[1], equal: 'same' }, as: 'answer' };
  }
  // yes/no: "are there at least 8 venues?", "did X win at least one race?"
  if (first === 1) {
    for (let k = 1; k + 2 < n; k++) {
      const w = tokens[k]?.text as string;
      const nx = tokens[k + 1]?.text as string;
      const yn =
        w === 'at' && Object.hasOwn(YES_NO_OPS, nx)
          ? YES_NO_OPS[nx]
          : (w === 'more' || w === 'over') && nx === 'than'
            ? { op: '>' as CompareOp, skip: 2 }
            : (w === 'fewer' || w === 'less') && nx === 'than'
              ? { op: '<' as CompareOp, skip: 2 }
              : undefined;
      if (!yn) continue;
      const nt = tokens[k + yn.skip];
      const num = nt ? numberWord(nt) : undefined;
      if (!num || num.ordinal) continue;
      // "a race with more than 55 laps": the number bounds a numeric column, it is not the count
      const after = base.mentions[base.at[k + yn.skip + 1] ?? -1];
      if (
        after?.cols.some((c) => isNumericKind(index.kindOf(c.column))) &&
        tokens.slice(first, k).some((t) => t.text === 'a' || t.text === 'an' || t.text === 'any')
      )
        continue;
      let from = 1;
      if (tokens[1]?.text === 'there') from = 2;
      const lp = sub(`how many ${span(from, k)} ${span(k + yn.skip + 1, n)}`);
      let left = lp && lp.type === 'select' && lp.items.length === 1 && lp.items[0]?.type === 'aggregate' && lp.groupBy.length === 0 ? lp : undefined;
      if (!left) return undefined;
      const named = unlinkedName(tokens, base, from, k, index);
      if (named) left = { ...left, where: left.where ? { type: 'and', conditions: [left.where, named] } : named };
      const yes = 'yes';
      const no = 'no';
      const labels =
        yn.op === '>='
          ? { greater: yes, equal: yes, less: no }
          : yn.op === '>'
            ? { greater: yes, equal: no, less: no }
            : yn.op === '<='
              ? { greater: no, equal: yes, less: yes }
              : { greater: no, equal: no, less: yes };
      return { type: 'choice', left, right: num.num, labels, as: 'answer' };
    }
    // "did X win a race?", "has X won any titles?": yes when at least one row matches
    if (DO_AUX.has(tokens[0]?.text ?? '')) {
      for (let k = 2; k + 1 < n; k++) {
        const w = tokens[k]?.text as string;
        if (w !== 'a' && w !== 'an' && w !== 'any') continue;
        if (tokens[k + 1]?.kind !== 'word' || STOP.has(tokens[k + 1]?.text as string)) continue;
        const lp = sub(`how many ${span(1, k)} ${span(k + 1, n)}`);
        let left =
          lp && lp.type === 'select' && lp.items.length === 1 && lp.items[0]?.type === 'aggregate' && lp.items[0].fn === 'count' && lp.groupBy.length === 0
            ? lp
            : undefined;
        if (!left) return undefined;
        const named = unlinkedName(tokens, base, 1, k, index);
        if (named) left = { ...left, where: left.where ? { type: 'and', conditions: [left.where, named] } : named };
        // with no condition at all the count is the whole table's: not a yes/no about anything
        if (!left.where) return undefined;
        return { type: 'choice', left, right: 1, labels: { greater: 'yes', equal: 'yes', less: 'no' }, as: 'answer' };
      }
    }
  }
  return undefined;
}

const DO_AUX = new Set(['did', 'does', 'do', 'has', 'have', 'had']);

// ---------------------------------------------------------------- API

const indexCache = new WeakMap<Dataset, { syn: unknown; index: SchemaIndex }>();

function getIndex(source: Dataset | readonly QueryColumn[] | SchemaIndex, options: ParseOptions): SchemaIndex {
  if (source instanceof SchemaIndex) return source;
  if (source instanceof Dataset) {
    const hit = indexCache.get(source);
    if (hit && hit.syn === options.synonyms) return hit.index;
    const index = new SchemaIndex(source, options.synonyms ? { synonyms: options.synonyms } : {});
    indexCache.set(source, { syn: options.synonyms, index });
    return index;
  }
  if (!Array.isArray(source)) throw new TesseraError('E_TYPE', 'parse expects a Dataset, a list of { name, kind } columns or a SchemaIndex');
  return new SchemaIndex(source, options.synonyms ? { synonyms: options.synonyms } : {});
}

function planKey(p: QueryPlan): string {
  return JSON.stringify(p);
}

/**
 * Parses a question into a typed query plan, deterministically (rules, a schema index and a
 * value index; no model, no network). Ambiguous questions give ranked alternatives. A question
 * that maps to nothing throws `E_QUERY` naming the words not understood and the closest columns
 * or values; a question longer than `maxLength` throws `E_LIMIT`.
 *
 * @example
 * ```ts
 * import { Dataset, parse } from 'tessera';
 * const ds = Dataset.from([{ state: 'Texas', revenue: 10 }, { state: 'Ohio', revenue: 7 }]);
 * const r = parse('total revenue in texas', ds);
 * r.plan;         // { type: 'select', items: [{ type: 'aggregate', fn: 'sum', column: 'revenue', ... }], where: { ... 'Texas' } ... }
 * r.restatement;  // 'the sum of revenue where state is "Texas"'
 * ```
 */
export function parse(question: string, source: Dataset | readonly QueryColumn[] | SchemaIndex, options: ParseOptions = {}): ParseResult {
  const maxLength = options.maxLength ?? MAX_QUESTION_LENGTH;
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > 10_000)
    throw new TesseraError('E_OPTION', `option "maxLength" must be an integer in [1, 10000], got ${maxLength}`, { option: 'maxLength' });
  const maxAlt = options.maxAlternatives ?? 3;
  if (!Number.isInteger(maxAlt) || maxAlt < 0 || maxAlt > 20)
    throw new TesseraError('E_OPTION', `option "maxAlternatives" must be an integer in [0, 20], got ${maxAlt}`, { option: 'maxAlternatives' });
  const nowMs = options.now === undefined ? Date.now() : options.now instanceof Date ? options.now.getTime() : options.now;
  if (!Number.isFinite(nowMs)) throw new TesseraError('E_OPTION', 'option "now" must be a valid date', { option: 'now' });
  const tokens = tokenize(question, maxLength);
  if (tokens.length > 200) throw new TesseraError('E_LIMIT', `question has ${tokens.length} tokens; the limit is 200`, { observed: tokens.length, limit: 200 });
  const index = getIndex(source, options);
  if (index.columns.length === 0) throw new TesseraError('E_QUERY', 'the table has no columns to ask about');

  const base = analyze(index, tokens);
  const choice = choiceReading(normalizeText(question), tokens, index, options, base);
  // a number that a column holds ("of 1984" with a Year column) links too
  const linked = base.mentions.some(
    (m) =>
      m.cols.length > 0 ||
      m.vals.length > 0 ||
      (m.num !== undefined && [...index.numbers.values()].some((s) => s.has(m.num as number))) ||
      // "shorter than 2:00" on a table with a column of durations
      (tokens[m.start]?.clock === true && index.columns.some((c) => textShape(index, c.name).clock)),
  );
  const hasIntent =
    base.kw.some((k) => k === 'count' || k === 'sum' || k === 'avg' || k === 'max' || k === 'min' || k === 'first' || k === 'last') ||
    tokens.some(
      (t, k) =>
        (t.ordinal || Object.hasOwn(ORDINAL_WORDS, t.text)) && (PLACE_WORDS.has(tokens[k - 1]?.text ?? '') || PLACE_WORDS.has(tokens[k + 1]?.text ?? '')),
    );
  const unknownWords = tokens
    .filter((t, k) => t.kind === 'word' && base.at[k] === -1 && base.kw[k] === undefined && !STOP.has(t.text) && t.text.length > 1)
    .map((t) => t.text);
  if (!linked && !hasIntent && !choice) {
    const pool = index.suggestionPool();
    const near = [...new Set(unknownWords.flatMap((w) => closest(w, pool, 2)))].slice(0, 5);
    const words = unknownWords.length > 0 ? unknownWords.map((w) => `"${w}"`).join(', ') : 'any word';
    throw new TesseraError(
      'E_QUERY',
      `could not understand ${words} in "${question.slice(0, 200)}": no column or value matched${near.length ? `; did you mean ${near.map((x) => `"${x}"`).join(', ')}?` : ''}`,
      { words: unknownWords, suggestions: near.length ? near : index.columns.slice(0, 5).map((c) => c.name) },
    );
  }

  // variations: each ambiguous value mention's options, and target order
  const variations: Array<{ valueChoice: Map<number, number>; targetShift: number; penalty: number; skipPlace?: boolean }> = [
    { valueChoice: new Map(), targetShift: 0, penalty: 0 },
  ];
  base.mentions.forEach((m, mi) => {
    const nOpt = m.vals.length + (m.cols.length > 0 && m.vals.length > 0 ? 1 : 0);
    for (let o = 1; o < Math.min(nOpt, 4) && variations.length < 12; o++)
      variations.push({ valueChoice: new Map([[mi, o]]), targetShift: 0, penalty: 0.3 * o });
  });
  variations.push({ valueChoice: new Map(), targetShift: 1, penalty: 0.4 });
  variations.push({ valueChoice: new Map(), targetShift: 0, penalty: 0.5, skipPlace: true });

  const cands: Candidate[] = [];
  const seen = new Set<string>();
  for (const v of variations) {
    const a: Analysis = { ...base, mentions: base.mentions.map((m) => ({ ...m, used: false })), kw: [...base.kw] };
    const c = build({ index, a, now: nowMs, valueChoice: v.valueChoice, targetShift: v.targetShift, ...(v.skipPlace ? { skipPlace: true } : {}) });
    if (!c) continue;
    const k = planKey(c.plan);
    if (seen.has(k)) continue;
    seen.add(k);
    cands.push({ plan: c.plan, score: c.score - v.penalty });
  }
  if (cands.length === 0 && choice) {
    const only: Reading = { plan: choice, restatement: restate(choice), confidence: 1 };
    return { ...only, alternatives: [], unknownWords };
  }
  if (cands.length === 0) {
    throw new TesseraError('E_QUERY', `could not build a query from "${question.slice(0, 200)}"`, {
      words: unknownWords,
      suggestions: index.columns.slice(0, 5).map((c) => c.name),
    });
  }
  const order = cands.map((c, i) => ({ c, i })).sort((x, y) => y.c.score - x.c.score || x.i - y.i);
  let z = 0;
  const top = (order[0] as { c: Candidate }).c.score;
  const w = order.map(({ c }) => Math.exp(2 * (c.score - top)));
  for (const x of w) z += x;
  const penaltyUnknown = Math.min(0.5, unknownWords.length * 0.05) + base.corrected.length * 0.05;
  const readings: Reading[] = order.map(({ c }, i) => ({
    plan: c.plan,
    restatement: restate(c.plan),
    confidence: Math.max(0.01, Math.round(((w[i] as number) / z) * (1 - penaltyUnknown) * 1000) / 1000),
  }));
  if (choice) readings.unshift({ plan: choice, restatement: restate(choice), confidence: Math.max(0.01, Math.round((1 - penaltyUnknown) * 1000) / 1000) });
  const best = readings[0] as Reading;
  return { ...best, alternatives: readings.slice(1, 1 + maxAlt), unknownWords };
}
