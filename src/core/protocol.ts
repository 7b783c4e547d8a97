import type { Dataset } from '../dataset/dataset.js';

/**
 * Capability tags, as scikit-learn's estimator tags: what a primitive promises. The shared
 * conformance suite in `test/` checks each promise.
 *
 * @example
 * ```ts
 * new StandardScaler().tags.allowMissing; // true: NaN are ignored when fitting and kept when transforming
 * ```
 */
export interface Tags {
  /** Accepts missing values (NaN / null) in its input columns. If false, `fit` throws `E_MISSING_VALUES`. */
  readonly allowMissing: boolean;
  /** Accepts category (and boolean) columns natively, without an encoder. */
  readonly categorical: boolean;
  /** The fitted object has `update(chunk)` for incremental learning. */
  readonly incremental: boolean;
  /** `fit` accepts per-row sample weights. */
  readonly sampleWeight: boolean;
  /** Uses randomness (and so takes a `seed`). */
  readonly stochastic: boolean;
  /** Needs a target column. */
  readonly supervised: boolean;
}

/**
 * Progress reported during `fit`.
 *
 * @example
 * ```ts
 * await model.fit(ds, { onProgress: (p) => console.log(p.step, p.total, p.loss) });
 * ```
 */
export interface Progress {
  /** What is happening (e.g. `epoch`, `iteration`, `tree`). */
  readonly stage: string;
  readonly step: number;
  readonly total?: number;
  /** A loss or objective value, when there is one. */
  readonly loss?: number;
}

/**
 * Options every `fit` takes.
 *
 * @example
 * ```ts
 * const ac = new AbortController();
 * await t.fit(ds, { signal: ac.signal, onProgress: console.log });
 * ```
 */
export interface FitOptions {
  /** Aborts the fit; it then rejects with `TesseraError` code `E_ABORTED`. */
  signal?: AbortSignal;
  /** Called with progress at the primitive's natural steps. */
  onProgress?: (p: Progress) => void;
}

/**
 * Options for fitting a Model: the target column (else the column with role `target`) and optional
 * sample weights.
 *
 * @example
 * ```ts
 * await new LinearRegression().fit(ds, { target: 'price' });
 * ```
 */
export interface ModelFitOptions extends FitOptions {
  /** Target column; defaults to the column whose role is `target`. Unsupervised models ignore it. */
  target?: string;
  /** Per-row weights (array or the name of a numeric column), when `tags.sampleWeight`. */
  sampleWeight?: ArrayLike<number> | string;
}

/**
 * The versioned JSON form of every fitted object: `{ type, version, params, state }`. Typed arrays
 * in `state` are base64 strings so that `NaN` and `Infinity` survive and round trips are exact.
 *
 * @example
 * ```ts
 * const json: Serialized = fitted.toJSON();
 * const again = load(JSON.parse(JSON.stringify(json)));
 * ```
 */
export interface Serialized<P = unknown, S = unknown> {
  readonly type: string;
  readonly version: number;
  readonly params: P;
  readonly state: S;
}

/**
 * Anything that serialises itself.
 *
 * @example
 * ```ts
 * const s: Serializable = fitted; s.toJSON();
 * ```
 */
export interface Serializable {
  toJSON(): Serialized;
}

/**
 * What every unfitted primitive has in common.
 *
 * @example
 * ```ts
 * const e: Estimator = new StandardScaler();
 * e.kind; // 'transform'
 * ```
 */
export interface Estimator {
  readonly kind: 'transform' | 'model' | 'detector';
  /** The registry name of the primitive (its class name). */
  readonly type: string;
  readonly tags: Tags;
  /** The validated options, with defaults filled in. */
  readonly params: object;
}

/**
 * A fitted Transform: rewrites a Dataset (synchronously, purely) into a new one.
 *
 * @example
 * ```ts
 * const fitted: FittedTransform = await new StandardScaler().fit(train);
 * const out = fitted.transform(test);
 * ```
 */
export interface FittedTransform extends Serializable {
  readonly kind: 'transform';
  readonly type: string;
  readonly tags: Tags;
  /** Columns the transform reads; `transform` throws `E_NOT_FITTED_COLUMNS` when one is absent. */
  readonly inputColumns: readonly string[];
  transform(ds: Dataset): Dataset;
}

/**
 * An unfitted Transform. `fit` returns the fitted type `F`: `transform` does not exist before fitting.
 *
 * @example
 * ```ts
 * const t: Transform = new MinMaxScaler();
 * const fitted = await t.fit(ds);
 * ```
 */
export interface Transform<F extends FittedTransform = FittedTransform> extends Estimator {
  readonly kind: 'transform';
  fit(ds: Dataset, options?: FitOptions): Promise<F>;
}

/**
 * What a Model predicts: numbers for regression, labels for classification, cluster ids for clustering.
 *
 * @example
 * ```ts
 * const p: Prediction = fitted.predict(ds);
 * ```
 */
export type Prediction = Float64Array | Int32Array | readonly (string | number | boolean | null)[];

/**
 * A fitted Model.
 *
 * @example
 * ```ts
 * const fitted: FittedModel = await new KMeans({ k: 3 }).fit(ds);
 * fitted.predict(ds);
 * ```
 */
export interface FittedModel<P extends Prediction = Prediction> extends Serializable {
  readonly kind: 'model';
  readonly type: string;
  readonly tags: Tags;
  /** Feature columns read at predict time. */
  readonly inputColumns: readonly string[];
  /** Target column learnt from (supervised models). */
  readonly target?: string;
  predict(ds: Dataset): P;
}

/**
 * An unfitted Model.
 *
 * @example
 * ```ts
 * const m: Model = new LinearRegression();
 * const fitted = await m.fit(ds, { target: 'y' });
 * ```
 */
export interface Model<F extends FittedModel = FittedModel> extends Estimator {
  readonly kind: 'model';
  fit(ds: Dataset, options?: ModelFitOptions): Promise<F>;
}

/**
 * A fitted Detector: `score` (higher = more anomalous, never thresholded) and `predict` (boolean,
 * from the fitted threshold).
 *
 * @example
 * ```ts
 * const fitted = await new IsolationForest().fit(train);
 * fitted.score(test); fitted.predict(test);
 * ```
 */
export interface FittedDetector extends Serializable {
  readonly kind: 'detector';
  readonly type: string;
  readonly tags: Tags;
  readonly inputColumns: readonly string[];
  /** The score above which `predict` says anomalous. */
  readonly threshold: number;
  score(ds: Dataset): Float64Array;
  predict(ds: Dataset): boolean[];
}

/**
 * An unfitted Detector.
 *
 * @example
 * ```ts
 * const d: Detector = new ZScore();
 * ```
 */
export interface Detector<F extends FittedDetector = FittedDetector> extends Estimator {
  readonly kind: 'detector';
  fit(ds: Dataset, options?: ModelFitOptions): Promise<F>;
}

/**
 * Any fitted primitive.
 *
 * @example
 * ```ts
 * const f: Fitted = load(json);
 * ```
 */
export type Fitted = FittedTransform | FittedModel | FittedDetector;

/** The fitted type of an unfitted primitive. @example `type F = FittedOf<StandardScaler>;` */
export type FittedOf<E> = E extends { fit(...args: never[]): Promise<infer F> } ? F : never;

/**
 * Tags with every capability off; spread and override.
 *
 * @example
 * ```ts
 * const tags: Tags = { ...DEFAULT_TAGS, allowMissing: true };
 * ```
 */
export const DEFAULT_TAGS: Tags = Object.freeze({
  allowMissing: false,
  categorical: false,
  incremental: false,
  sampleWeight: false,
  stochastic: false,
  supervised: false,
});
