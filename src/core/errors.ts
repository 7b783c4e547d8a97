/**
 * Stable error codes. A code never changes meaning once published; new codes may be added.
 *
 * @example
 * ```ts
 * import { TesseraError } from 'tessera';
 * try { ds.column('nope'); } catch (e) { if (e instanceof TesseraError && e.code === 'E_COLUMN') console.log(e.message); }
 * ```
 */
export type ErrorCode =
  | 'E_OPTION'
  | 'E_SCHEMA'
  | 'E_COLUMN'
  | 'E_EMPTY'
  | 'E_MISSING_VALUES'
  | 'E_NON_FINITE'
  | 'E_NOT_FITTED_COLUMNS'
  | 'E_PARSE'
  | 'E_ENCODING'
  | 'E_LIMIT'
  | 'E_SHAPE'
  | 'E_TYPE'
  | 'E_UNKNOWN_CATEGORY'
  | 'E_SERIALIZATION'
  | 'E_ABORTED'
  | 'E_UNSUPPORTED'
  | 'E_NOT_CONVERGED'
  | 'E_SINGULAR'
  | 'E_NETWORK'
  | 'E_QUERY'
  | 'E_INTERNAL';

/**
 * Where an error points: the column, row, option, or line/column in a text input.
 *
 * @example
 * ```ts
 * const where: ErrorDetails = { column: 'age', row: 12 };
 * ```
 */
export interface ErrorDetails {
  /** Column name at fault. */
  column?: string;
  /** Several columns at fault. */
  columns?: readonly string[];
  /** 0-based row index in the Dataset at fault. */
  row?: number;
  /** Option name at fault. */
  option?: string;
  /** 1-based line in a text input. */
  line?: number;
  /** 1-based character column in that line. */
  col?: number;
  /** Closest valid alternatives (column names, option values). */
  suggestions?: readonly string[];
  /** Free-form extra data (observed value, allowed range...). */
  [key: string]: unknown;
}

/**
 * The one error class tessera throws for bad input or bad use. `code` is stable and machine
 * readable; `message` names the column, row or option at fault; `details` carries the same as data.
 *
 * @example
 * ```ts
 * import { TesseraError } from 'tessera';
 * const err = new TesseraError('E_OPTION', 'option "k" must be >= 1, got 0', { option: 'k' });
 * err.code; // 'E_OPTION'
 * ```
 */
export class TesseraError extends Error {
  /** Stable code, e.g. `E_OPTION`. */
  readonly code: ErrorCode;
  /** Structured pointer to what was wrong. */
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TesseraError';
    this.code = code;
    this.details = details;
  }
}

/**
 * Type guard for {@link TesseraError}, optionally checking the code.
 *
 * @example
 * ```ts
 * if (isTesseraError(e, 'E_PARSE')) console.log(e.details.line);
 * ```
 */
export function isTesseraError(e: unknown, code?: ErrorCode): e is TesseraError {
  return e instanceof TesseraError && (code === undefined || e.code === code);
}

/**
 * Levenshtein distance, bounded: returns `max + 1` as soon as the distance exceeds `max`.
 * Linear memory, O(|a|·|b|) time; used to suggest close names in error messages.
 *
 * @example
 * ```ts
 * editDistance('incom', 'income'); // 1
 * ```
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] as number;
}

/**
 * The names closest to `name` (case-insensitive edit distance, at most 3 and at most 40% of the
 * length), best first. Used for "did you mean" suggestions.
 *
 * @example
 * ```ts
 * closest('incme', ['income', 'age']); // ['income']
 * ```
 */
export function closest(name: string, candidates: readonly string[], limit = 3): string[] {
  const lower = name.toLowerCase();
  const max = Math.max(1, Math.min(3, Math.floor(name.length * 0.4)));
  const scored: Array<[string, number]> = [];
  for (const c of candidates) {
    const cl = c.toLowerCase();
    const d = cl === lower ? 0 : cl.includes(lower) || lower.includes(cl) ? 1 : editDistance(lower, cl, max);
    if (d <= max) scored.push([c, d]);
  }
  scored.sort((x, y) => x[1] - y[1]);
  return scored.slice(0, limit).map((s) => s[0]);
}

/**
 * Throws `E_COLUMN` for an unknown column, naming the closest existing columns.
 *
 * @example
 * ```ts
 * unknownColumn('incme', ['income', 'age']); // throws: unknown column "incme"; did you mean "income"?
 * ```
 */
export function unknownColumn(name: string, available: readonly string[]): never {
  const near = closest(name, available);
  const hint = near.length > 0 ? `; did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : '';
  throw new TesseraError('E_COLUMN', `unknown column "${name}"${hint}`, { column: name, suggestions: near });
}
