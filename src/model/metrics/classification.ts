import { TesseraError } from '../../core/errors.js';
import { type ClassLabel, sortLabels } from '../target.js';

/**
 * How per-class scores are combined: `binary` (the positive class only), `macro` (unweighted mean
 * over classes), `weighted` (mean weighted by each class's support in `yTrue`), `micro` (global counts).
 *
 * @example
 * ```ts
 * const avg: Average = 'macro';
 * ```
 */
export type Average = 'binary' | 'macro' | 'weighted' | 'micro';

/**
 * Options of {@link precision}, {@link recall} and {@link f1}.
 *
 * @example
 * ```ts
 * const o: PrfOptions = { average: 'binary', posLabel: 'Yes' };
 * ```
 */
export interface PrfOptions {
  /** Default `binary`. */
  average?: Average;
  /** Positive class for `binary`; default `1` or `true` when the labels are 0/1 or booleans, otherwise required. */
  posLabel?: ClassLabel;
  /** Classes to average over; default: every label in `yTrue` or `yPred`, sorted. */
  labels?: readonly ClassLabel[];
}

function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length)
    throw new TesseraError('E_SHAPE', `${what}: yTrue has ${a.length} values but the other input has ${b.length}`, { option: 'yPred' });
  if (a.length === 0) throw new TesseraError('E_EMPTY', `${what}: no values to score`);
}

function checkLabel(v: unknown, i: number, what: string): ClassLabel {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
    throw new TesseraError('E_MISSING_VALUES', `${what}: label at row ${i} is missing`, { row: i });
  }
  return v as ClassLabel;
}

/**
 * Accuracy: the share of `yPred` equal to `yTrue` (scikit-learn's `accuracy_score`).
 *
 * @example
 * ```ts
 * accuracy(['a', 'b', 'b'], ['a', 'b', 'a']); // 0.6667
 * ```
 */
export function accuracy(yTrue: ArrayLike<ClassLabel>, yPred: ArrayLike<ClassLabel>): number {
  checkSameLength(yTrue, yPred, 'accuracy');
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (checkLabel(yTrue[i], i, 'accuracy') === checkLabel(yPred[i], i, 'accuracy')) ok++;
  return ok / yTrue.length;
}

/**
 * A confusion matrix: `matrix[i * k + j]` counts rows whose true label is `labels[i]` and predicted
 * label is `labels[j]` (scikit-learn's `confusion_matrix`).
 *
 * @example
 * ```ts
 * const { labels, matrix } = confusionMatrix([0, 1, 1], [0, 1, 0]);
 * // labels [0, 1], matrix [1, 0, 1, 1]
 * ```
 */
export function confusionMatrix(
  yTrue: ArrayLike<ClassLabel>,
  yPred: ArrayLike<ClassLabel>,
  options: { labels?: readonly ClassLabel[] } = {},
): { labels: ClassLabel[]; matrix: Int32Array } {
  checkSameLength(yTrue, yPred, 'confusionMatrix');
  const labels = options.labels ? [...options.labels] : unionLabels(yTrue, yPred);
  const index = new Map<ClassLabel, number>(labels.map((l, k) => [l, k]));
  const k = labels.length;
  const matrix = new Int32Array(k * k);
  for (let i = 0; i < yTrue.length; i++) {
    const a = index.get(checkLabel(yTrue[i], i, 'confusionMatrix'));
    const b = index.get(checkLabel(yPred[i], i, 'confusionMatrix'));
    if (a !== undefined && b !== undefined) matrix[a * k + b] = (matrix[a * k + b] as number) + 1;
  }
  return { labels, matrix };
}

function unionLabels(...arrays: ArrayLike<ClassLabel>[]): ClassLabel[] {
  const s = new Set<ClassLabel>();
  for (const a of arrays) for (let i = 0; i < a.length; i++) s.add(checkLabel(a[i], i, 'metrics'));
  return sortLabels([...s]);
}

/**
 * Balanced accuracy: the mean recall over the classes present in `yTrue` (scikit-learn's
 * `balanced_accuracy_score`).
 *
 * @example
 * ```ts
 * balancedAccuracy([0, 0, 0, 1], [0, 0, 0, 0]); // 0.5
 * ```
 */
export function balancedAccuracy(yTrue: ArrayLike<ClassLabel>, yPred: ArrayLike<ClassLabel>): number {
  const { labels, matrix } = confusionMatrix(yTrue, yPred);
  const k = labels.length;
  let sum = 0;
  let m = 0;
  for (let i = 0; i < k; i++) {
    let row = 0;
    for (let j = 0; j < k; j++) row += matrix[i * k + j] as number;
    if (row > 0) {
      sum += (matrix[i * k + i] as number) / row;
      m++;
    }
  }
  return sum / m;
}

function defaultPosLabel(labels: readonly ClassLabel[], what: string): ClassLabel {
  const isBin = labels.every((l) => l === 0 || l === 1);
  if (isBin) return 1;
  if (labels.every((l) => typeof l === 'boolean')) return true;
  throw new TesseraError(
    'E_OPTION',
    `${what}: labels are ${labels.map((l) => JSON.stringify(l)).join(', ')}; pass posLabel for a binary score (or average: 'macro')`,
    {
      option: 'posLabel',
    },
  );
}

/** Per-class true positives, predicted counts and true counts, over `labels`. */
function prfCounts(yTrue: ArrayLike<ClassLabel>, yPred: ArrayLike<ClassLabel>, labels: readonly ClassLabel[]) {
  const index = new Map<ClassLabel, number>(labels.map((l, k) => [l, k]));
  const k = labels.length;
  const tp = new Float64Array(k);
  const pred = new Float64Array(k);
  const truth = new Float64Array(k);
  for (let i = 0; i < yTrue.length; i++) {
    const a = index.get(yTrue[i] as ClassLabel);
    const b = index.get(yPred[i] as ClassLabel);
    if (a !== undefined) truth[a] = (truth[a] as number) + 1;
    if (b !== undefined) pred[b] = (pred[b] as number) + 1;
    if (a !== undefined && a === b) tp[a] = (tp[a] as number) + 1;
  }
  return { tp, pred, truth };
}

const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);

function prf(yTrue: ArrayLike<ClassLabel>, yPred: ArrayLike<ClassLabel>, options: PrfOptions, which: 'p' | 'r' | 'f', what: string): number {
  checkSameLength(yTrue, yPred, what);
  const all = unionLabels(yTrue, yPred);
  const average = options.average ?? 'binary';
  let labels: readonly ClassLabel[] = options.labels ?? all;
  if (average === 'binary') {
    if (all.length > 2)
      throw new TesseraError('E_OPTION', `${what}: average 'binary' needs 2 classes, got ${all.length}; use 'macro' or 'weighted'`, { option: 'average' });
    const pos = options.posLabel ?? defaultPosLabel(all, what);
    if (all.length === 2 && !all.includes(pos)) {
      throw new TesseraError('E_OPTION', `${what}: posLabel ${JSON.stringify(pos)} is not one of the labels ${all.map((l) => JSON.stringify(l)).join(', ')}`, {
        option: 'posLabel',
      });
    }
    labels = [pos];
  }
  const { tp, pred, truth } = prfCounts(yTrue, yPred, labels);
  const score = (t: number, p: number, s: number): number => {
    const P = div(t, p);
    const R = div(t, s);
    return which === 'p' ? P : which === 'r' ? R : div(2 * P * R, P + R);
  };
  if (average === 'micro') {
    let t = 0;
    let p = 0;
    let s = 0;
    for (let c = 0; c < labels.length; c++) {
      t += tp[c] as number;
      p += pred[c] as number;
      s += truth[c] as number;
    }
    return score(t, p, s);
  }
  let sum = 0;
  let wsum = 0;
  for (let c = 0; c < labels.length; c++) {
    const v = score(tp[c] as number, pred[c] as number, truth[c] as number);
    const w = average === 'weighted' ? (truth[c] as number) : 1;
    sum += w * v;
    wsum += w;
  }
  return div(sum, wsum);
}

/**
 * Precision `tp / (tp + fp)` (scikit-learn's `precision_score`; 0 when nothing is predicted positive).
 *
 * @example
 * ```ts
 * precision([0, 1, 1, 0], [0, 1, 0, 1]); // 0.5
 * precision(['a', 'b', 'c'], ['a', 'b', 'b'], { average: 'macro' });
 * ```
 */
export function precision(yTrue: ArrayLike<ClassLabel>, yPred: ArrayLike<ClassLabel>, options: PrfOptions = {}): number {
  return prf(yTrue, yPred, options, 'p', 'precision');
}

/**
 * Recall `tp / (tp + fn)` (scikit-learn's `recall_score`).
 *
 * @example
 * ```ts
 * recall(['No', 'Yes', 'Yes'], ['No', 'Yes', 'No'], { posLabel: 'Yes' }); // 0.5
 * ```
 */
export function recall(yTrue: ArrayLike<ClassLabel>, yPred: ArrayLike<ClassLabel>, options: PrfOptions = {}): number {
  return prf(yTrue, yPred, options, 'r', 'recall');
}

/**
 * F1, the harmonic mean of precision and recall (scikit-learn's `f1_score`; 0 when both are 0).
 *
 * @example
 * ```ts
 * f1([0, 1, 1, 0], [0, 1, 0, 1]); // 0.5
 * f1(yTrue, yPred, { average: 'weighted' });
 * ```
 */
export function f1(yTrue: ArrayLike<ClassLabel>, yPred: ArrayLike<ClassLabel>, options: PrfOptions = {}): number {
  return prf(yTrue, yPred, options, 'f', 'f1');
}

/**
 * Options of {@link rocAuc}, {@link averagePrecision} and {@link logLoss}.
 *
 * @example
 * ```ts
 * const o: ScoreOptions = { classes: ['a', 'b', 'c'] };
 * ```
 */
export interface ScoreOptions {
  /** Binary: the class whose score is given; default `1`/`true` for 0/1 or boolean labels, else the larger of the two labels. */
  posLabel?: ClassLabel;
  /** Multiclass: the classes, in the order of the probability columns (e.g. `fitted.classes`). */
  classes?: readonly ClassLabel[];
  /** Multiclass ROC AUC: `macro` (default) or `weighted` by support. */
  average?: 'macro' | 'weighted';
}

function binaryPos(yTrue: ArrayLike<ClassLabel>, posLabel: ClassLabel | undefined, what: string): Uint8Array {
  const labels = unionLabels(yTrue);
  let pos = posLabel;
  if (pos === undefined) {
    if (labels.length > 2)
      throw new TesseraError('E_OPTION', `${what}: ${labels.length} classes in yTrue; pass a probability matrix with options.classes`, { option: 'classes' });
    pos = labels.every((l) => l === 0 || l === 1) ? 1 : labels.every((l) => typeof l === 'boolean') ? true : (labels[labels.length - 1] as ClassLabel);
  }
  const out = new Uint8Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) out[i] = yTrue[i] === pos ? 1 : 0;
  return out;
}

function checkScores(s: ArrayLike<number>, what: string): void {
  for (let i = 0; i < s.length; i++) {
    if (!Number.isFinite(s[i] as number)) throw new TesseraError('E_NON_FINITE', `${what}: score at position ${i} is ${s[i]}`, { row: i });
  }
}

/** ROC AUC of 0/1 truths against scores: the Mann-Whitney statistic with ties counted half (equal to the trapezoidal area). */
function binaryAuc(pos: Uint8Array, scores: ArrayLike<number>, what: string): number {
  const n = pos.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let npos = 0;
  for (let i = 0; i < n; i++) npos += pos[i] as number;
  const nneg = n - npos;
  if (npos === 0 || nneg === 0) throw new TesseraError('E_SCHEMA', `${what}: yTrue has only one class; ROC AUC is undefined`, { option: 'yTrue' });
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) if (pos[order[t] as number]) rankSum += avgRank;
    i = j + 1;
  }
  return (rankSum - (npos * (npos + 1)) / 2) / (npos * nneg);
}

/** Splits a probability matrix into per-class columns, checking its shape. */
function probaShape(yTrue: ArrayLike<ClassLabel>, scores: ArrayLike<number>, classes: readonly ClassLabel[] | undefined, what: string): number {
  if (!classes) return 1;
  const k = classes.length;
  if (scores.length !== yTrue.length * k) {
    throw new TesseraError('E_SHAPE', `${what}: ${scores.length} scores for ${yTrue.length} rows and ${k} classes (expected rows x classes)`, {
      option: 'classes',
    });
  }
  return k;
}

/**
 * Area under the ROC curve (scikit-learn's `roc_auc_score`). Binary: `scores` are one number per
 * row for the positive class. Multiclass: `scores` is the row-major `n x k` probability matrix
 * with `options.classes`, scored one-vs-rest and averaged (`macro` or `weighted`).
 *
 * @example
 * ```ts
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 * rocAuc(yTrue, fitted.predictProba(test), { classes: fitted.classes });
 * ```
 */
export function rocAuc(yTrue: ArrayLike<ClassLabel>, scores: ArrayLike<number>, options: ScoreOptions = {}): number {
  const k = probaShape(yTrue, scores, options.classes, 'rocAuc');
  if (k === 1) checkSameLength(yTrue, scores, 'rocAuc');
  checkScores(scores, 'rocAuc');
  if (k === 1) return binaryAuc(binaryPos(yTrue, options.posLabel, 'rocAuc'), scores, 'rocAuc');
  const classes = options.classes as readonly ClassLabel[];
  const n = yTrue.length;
  if (k === 2) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = scores[i * 2 + 1] as number;
    return binaryAuc(binaryPos(yTrue, classes[1], 'rocAuc'), col, 'rocAuc');
  }
  let sum = 0;
  let wsum = 0;
  for (let c = 0; c < k; c++) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = scores[i * k + c] as number;
    const pos = binaryPos(yTrue, classes[c], 'rocAuc');
    let support = 0;
    for (let i = 0; i < n; i++) support += pos[i] as number;
    const w = options.average === 'weighted' ? support : 1;
    sum += w * binaryAuc(pos, col, `rocAuc (class ${JSON.stringify(classes[c])})`);
    wsum += w;
  }
  return sum / wsum;
}

/**
 * Average precision, the area under the precision-recall curve as a step function:
 * `Σ (R_n − R_{n−1}) P_n` over decreasing thresholds (scikit-learn's `average_precision_score`).
 * Binary only: `scores` for the positive class.
 *
 * @example
 * ```ts
 * averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.8333
 * ```
 */
export function averagePrecision(yTrue: ArrayLike<ClassLabel>, scores: ArrayLike<number>, options: ScoreOptions = {}): number {
  checkSameLength(yTrue, scores, 'averagePrecision');
  checkScores(scores, 'averagePrecision');
  const pos = binaryPos(yTrue, options.posLabel, 'averagePrecision');
  const n = pos.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let npos = 0;
  for (let i = 0; i < n; i++) npos += pos[i] as number;
  if (npos === 0) throw new TesseraError('E_SCHEMA', 'averagePrecision: yTrue has no positive row; the score is undefined', { option: 'yTrue' });
  let tp = 0;
  let fp = 0;
  let prevRecall = 0;
  let ap = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    for (let t = i; t <= j; t++) {
      if (pos[order[t] as number]) tp++;
      else fp++;
    }
    const r = tp / npos;
    ap += (r - prevRecall) * (tp / (tp + fp));
    prevRecall = r;
    i = j + 1;
  }
  return ap;
}

/**
 * PR AUC: the same as {@link averagePrecision} (the step-wise area, which scikit-learn recommends
 * over trapezoidal interpolation of the precision-recall curve).
 *
 * @example
 * ```ts
 * prAuc([0, 1, 1], [0.2, 0.9, 0.6]); // 1
 * ```
 */
export function prAuc(yTrue: ArrayLike<ClassLabel>, scores: ArrayLike<number>, options: ScoreOptions = {}): number {
  return averagePrecision(yTrue, scores, options);
}

/**
 * Log loss (cross-entropy), averaged over rows (scikit-learn 1.2's `log_loss`: probabilities
 * clipped to `[eps, 1 − eps]` with the float64 machine epsilon, then each row renormalised).
 * Binary: `proba` may be one number per row (probability of the positive class). Otherwise the
 * row-major `n x k` matrix with `options.classes`.
 *
 * @example
 * ```ts
 * logLoss([0, 1], [0.1, 0.8]); // 0.1643
 * logLoss(yTrue, fitted.predictProba(test), { classes: fitted.classes });
 * ```
 */
export function logLoss(yTrue: ArrayLike<ClassLabel>, proba: ArrayLike<number>, options: ScoreOptions = {}): number {
  const eps = 2.220446049250313e-16;
  const n = yTrue.length;
  if (n === 0) throw new TesseraError('E_EMPTY', 'logLoss: no values to score');
  checkScores(proba, 'logLoss');
  if (!options.classes) {
    checkSameLength(yTrue, proba, 'logLoss');
    const pos = binaryPos(yTrue, options.posLabel, 'logLoss');
    let s = 0;
    for (let i = 0; i < n; i++) {
      let p1 = Math.min(Math.max(proba[i] as number, eps), 1 - eps);
      let p0 = Math.min(Math.max(1 - (proba[i] as number), eps), 1 - eps);
      const z = p0 + p1;
      p1 /= z;
      p0 /= z;
      s -= Math.log(pos[i] ? p1 : p0);
    }
    return s / n;
  }
  const k = probaShape(yTrue, proba, options.classes, 'logLoss');
  const index = new Map<ClassLabel, number>(options.classes.map((c, j) => [c, j]));
  let s = 0;
  for (let i = 0; i < n; i++) {
    const c = index.get(checkLabel(yTrue[i], i, 'logLoss'));
    if (c === undefined) throw new TesseraError('E_SCHEMA', `logLoss: label ${JSON.stringify(yTrue[i])} at row ${i} is not in options.classes`, { row: i });
    let z = 0;
    for (let j = 0; j < k; j++) z += Math.min(Math.max(proba[i * k + j] as number, eps), 1 - eps);
    s -= Math.log(Math.min(Math.max(proba[i * k + c] as number, eps), 1 - eps) / z);
  }
  return s / n;
}
