/**
 * Evaluation of suggested suites on the shared tabular sets (used by reference.node.test.ts and by
 * `npx tsx benchmarks/quality.bench.ts --suggest`): for each set and seed, a random half A is the
 * reference, the other half B is checked clean (any finding is a false alarm) and with 30% of its
 * rows corrupted in one cell (see corrupt.ts). Figures are kept per severity level: `error` (the
 * alarm level: a report fails) and `all` (warnings included).
 */
import { type ColumnKind, Dataset, type Finding, Rng, runChecks, type SuggestOptions, type Suite, suggestChecks } from '../../src/index.js';
import { type Corruption, corrupt } from './corrupt.js';
import { readRows, TABULAR } from './shared-data.js';

export const SEEDS = [11, 12, 13, 14, 15];
/** Seeds kept for checking generalisation: figures are reported, rules are not tuned on them. */
export const HELD_OUT_SEEDS = [21, 22, 23, 24, 25, 26, 27, 28, 29, 30];

export interface LevelFigures {
  /** Corrupted rows flagged / corrupted rows, overall and per corruption kind. */
  flagged: number;
  corrupted: number;
  byKind: Record<Corruption, { flagged: number; corrupted: number }>;
  /** `set/seed` runs whose clean half has at least one finding at this level. */
  alarmRuns: string[];
  /** One line per clean-half finding at this level. */
  alarms: string[];
  /** Clean-half rows named by a finding at this level / clean-half rows (a per-row false-positive rate). */
  cleanRowsFlagged: number;
  cleanRows: number;
}

export interface SuggestEvaluation {
  error: LevelFigures;
  all: LevelFigures;
  /** Per set: corrupted rows flagged at any level / corrupted rows. */
  perSet: Record<string, { flagged: number; corrupted: number }>;
  /** Per set, level and corruption kind: corrupted rows flagged / corrupted rows. */
  perSetKind: Record<string, Record<'error' | 'all', Record<Corruption, { flagged: number; corrupted: number }>>>;
  /** Corrupted rows flagged by no finding at all (set/seed, kind, what changed), for analysis. */
  missed: string[];
  /** Corrupted rows flagged by no error finding (set/seed, kind, what changed), for analysis. */
  missedError: string[];
}

/** Zeroed counters per corruption kind. */
function kindCounts(): Record<Corruption, { flagged: number; corrupted: number }> {
  const k = () => ({ flagged: 0, corrupted: 0 });
  return { swap: k(), outOfRange: k(), newCategory: k(), nullNeverNull: k() };
}

function emptyLevel(): LevelFigures {
  return {
    flagged: 0,
    corrupted: 0,
    byKind: kindCounts(),
    alarmRuns: [],
    alarms: [],
    cleanRowsFlagged: 0,
    cleanRows: 0,
  };
}

function describeFinding(f: Finding): string {
  return `${f.check} [${f.severity}] (${f.failing} rows, e.g. ${JSON.stringify(f.sample[0])})`;
}

/**
 * Runs the evaluation on `sets` (default: the 16 shared tabular sets) and `seeds`.
 */
export function evaluateSuggestions(
  sets: readonly string[] = TABULAR,
  seeds: readonly number[] = SEEDS,
  options: SuggestOptions = {},
  /** How the checked halves are read: with the reference's kinds (a cell that does not fit becomes missing), or with kinds inferred afresh (a text cell turns a numeric column to text). */
  read: 'schema' | 'infer' = 'schema',
  /** Corruptions without the generator's artefacts (see corrupt.ts). */
  plain = false,
): SuggestEvaluation {
  const levels = { error: emptyLevel(), all: emptyLevel() };
  const perSet: SuggestEvaluation['perSet'] = {};
  const perSetKind: SuggestEvaluation['perSetKind'] = {};
  const missed: string[] = [];
  const missedError: string[] = [];
  for (const name of sets) {
    const rows = readRows(name);
    const full = Dataset.from(rows);
    perSet[name] = { flagged: 0, corrupted: 0 };
    const setKind = { error: kindCounts(), all: kindCounts() };
    perSetKind[name] = setKind;
    for (const seed of seeds) {
      const rng = new Rng(seed);
      const idx = rows.map((_, i) => i);
      for (let i = idx.length - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
      }
      const half = Math.floor(rows.length / 2);
      const rowsA = idx.slice(0, half).map((i) => rows[i] as Record<string, string>);
      const rowsB = idx.slice(half).map((i) => rows[i] as Record<string, string>);
      const A = Dataset.from(rowsA);
      const schema: Record<string, { kind: ColumnKind }> = {};
      // integer columns are read as numbers: a corrupted non-integer value (e.g. 250.68 in an integer
      // rating) must reach the checks instead of being turned into a missing value by the reader.
      for (const f of A.schema.fields) schema[f.name] = { kind: f.kind === 'integer' ? 'number' : f.kind };
      const suite = JSON.parse(JSON.stringify(suggestChecks(A, options))) as Suite;
      const load = (rs: Record<string, string>[]) => (read === 'schema' ? Dataset.from(rs, { schema, onInvalid: 'null' }) : Dataset.from(rs));
      const clean = runChecks(load(rowsB), suite);
      const bad = corrupt(rowsB, full, 0.3, seed, plain);
      const r = runChecks(load(bad.rows), suite);
      for (const [level, fig] of Object.entries(levels) as Array<['error' | 'all', LevelFigures]>) {
        const keep = (f: Finding) => (level === 'all' ? f.severity !== 'info' : f.severity === 'error');
        const cf = clean.findings.filter(keep);
        for (const f of cf) fig.alarms.push(`${name}/${seed}: ${describeFinding(f)}`);
        if (cf.length > 0) fig.alarmRuns.push(`${name}/${seed}`);
        fig.cleanRows += rowsB.length;
        fig.cleanRowsFlagged += new Set(cf.flatMap((f) => f.rows as number[])).size;
        const flagged = new Set(r.findings.filter(keep).flatMap((f) => f.rows as number[]));
        for (const [i, kind] of bad.corrupted) {
          const hit = flagged.has(i);
          fig.corrupted++;
          fig.byKind[kind].corrupted++;
          setKind[level][kind].corrupted++;
          if (hit) setKind[level][kind].flagged++;
          if (hit) {
            fig.flagged++;
            fig.byKind[kind].flagged++;
          }
          if (level === 'all') {
            (perSet[name] as { corrupted: number }).corrupted++;
            if (hit) (perSet[name] as { flagged: number }).flagged++;
          }
          if (!hit) {
            const before = rowsB[i] as Record<string, string>;
            const after = bad.rows[i] as Record<string, string>;
            const diff = Object.keys(before)
              .filter((k) => before[k] !== after[k])
              .map((k) => `${k}: ${JSON.stringify(before[k])} -> ${JSON.stringify(after[k])}`);
            (level === 'all' ? missed : missedError).push(`${name}/${seed} ${kind} ${diff.join(', ')}`);
          }
        }
      }
    }
  }
  return { ...levels, perSet, perSetKind, missed, missedError };
}

/** Percentage with one decimal. */
export function pct(a: number, b: number): string {
  return b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`;
}
