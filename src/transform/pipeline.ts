import { checkAbort } from '../core/abort.js';
import { TesseraError } from '../core/errors.js';
import {
  DEFAULT_TAGS,
  type Detector,
  type FitOptions,
  type Fitted,
  type FittedDetector,
  type FittedModel,
  type FittedOf,
  type FittedTransform,
  type Model,
  type ModelFitOptions,
  type Serialized,
  type Tags,
  type Transform,
} from '../core/protocol.js';
import { expectType, load, registerLoader } from '../core/serialize.js';
import type { Dataset } from '../dataset/dataset.js';
import { requireColumns } from '../dataset/features.js';

type Step = Transform | Model | Detector;

interface PipelineState {
  steps: Serialized[];
  inputColumns: string[];
}

function combineTags(steps: readonly { tags: Tags }[]): Tags {
  const first = steps[0]?.tags ?? DEFAULT_TAGS;
  return {
    allowMissing: first.allowMissing,
    categorical: first.categorical,
    incremental: false,
    sampleWeight: steps.at(-1)?.tags.sampleWeight ?? false,
    stochastic: steps.some((s) => s.tags.stochastic),
    supervised: steps.some((s) => s.tags.supervised),
  };
}

/**
 * Fits the transforms in order, each on the output of the previous; returns them, the transformed
 * Dataset, and the original columns the fitted steps read. A `target` given in the fit options is
 * marked with the `target` role first, so transforms leave it alone.
 */
async function fitTransforms(
  transforms: readonly Transform[],
  ds: Dataset,
  options: ModelFitOptions | undefined,
): Promise<{ fitted: FittedTransform[]; out: Dataset; used: Set<string> }> {
  checkAbort(options?.signal);
  let cur = options?.target !== undefined ? ds.withRoles({ [options.target]: 'target' }) : ds;
  const fitted: FittedTransform[] = [];
  const used = new Set<string>();
  const original = new Set(ds.columnNames);
  const fitOpts: FitOptions = {};
  if (options?.signal) fitOpts.signal = options.signal;
  for (let k = 0; k < transforms.length; k++) {
    const f = await (transforms[k] as Transform).fit(cur, fitOpts);
    options?.onProgress?.({ stage: 'pipeline-step', step: k + 1, total: transforms.length + 1 });
    for (const c of f.inputColumns) if (original.has(c)) used.add(c);
    fitted.push(f);
    cur = f.transform(cur);
  }
  return { fitted, out: cur, used };
}

/**
 * Fits the transforms, then the final model or detector on their output; the pipeline's input
 * columns are the original columns any step reads, less the target.
 */
async function fitWithFinal<L extends FittedModel | FittedDetector>(
  transforms: readonly Transform[],
  final: { fit(ds: Dataset, options?: ModelFitOptions): Promise<L> },
  ds: Dataset,
  options: ModelFitOptions | undefined,
): Promise<{ fitted: FittedTransform[]; last: L; inputColumns: string[] }> {
  const { fitted, out, used } = await fitTransforms(transforms, ds, options);
  const last = await final.fit(out, options);
  for (const c of last.inputColumns) if (ds.has(c)) used.add(c);
  if (options?.target !== undefined) used.delete(options.target);
  return { fitted, last, inputColumns: [...used] };
}

function applyAll(steps: readonly FittedTransform[], ds: Dataset): Dataset {
  let cur = ds;
  for (const s of steps) cur = s.transform(cur);
  return cur;
}

/**
 * A pipeline of transforms (itself a Transform).
 *
 * @example
 * ```ts
 * const prep = pipeline([new OneHotEncoder(), new StandardScaler()]);
 * const fitted = await prep.fit(train);
 * fitted.transform(test);
 * ```
 */
export class TransformPipeline implements Transform<FittedTransformPipeline> {
  readonly kind = 'transform' as const;
  readonly type = 'Pipeline';
  readonly tags: Tags;
  readonly params: { steps: string[] };
  constructor(readonly steps: readonly Transform[]) {
    this.tags = combineTags(steps);
    this.params = { steps: steps.map((s) => s.type) };
  }
  async fit(ds: Dataset, options?: FitOptions): Promise<FittedTransformPipeline> {
    const { fitted, used } = await fitTransforms(this.steps, ds, options);
    return new FittedTransformPipeline(fitted, [...used]);
  }
}

/**
 * A pipeline of transforms ending in a Model (itself a Model): `predict` transforms, then predicts.
 *
 * @example
 * ```ts
 * const m = pipeline([new StandardScaler(), new KMeans({ k: 3 })]);
 * const fitted = await m.fit(ds);
 * fitted.predict(ds);
 * ```
 */
export class ModelPipeline<F extends FittedModel = FittedModel> implements Model<FittedModelPipeline<F>> {
  readonly kind = 'model' as const;
  readonly type = 'Pipeline';
  readonly tags: Tags;
  readonly params: { steps: string[] };
  constructor(
    readonly transforms: readonly Transform[],
    readonly final: Model<F>,
  ) {
    this.tags = combineTags([...transforms, final]);
    this.params = { steps: [...transforms, final].map((s) => s.type) };
  }
  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedModelPipeline<F>> {
    const r = await fitWithFinal(this.transforms, this.final, ds, options);
    return new FittedModelPipeline(r.fitted, r.last, r.inputColumns);
  }
}

/**
 * A pipeline of transforms ending in a Detector (itself a Detector).
 *
 * @example
 * ```ts
 * const d = pipeline([new StandardScaler(), new IsolationForest()]);
 * const fitted = await d.fit(ds);
 * fitted.score(ds);
 * ```
 */
export class DetectorPipeline<F extends FittedDetector = FittedDetector> implements Detector<FittedDetectorPipeline<F>> {
  readonly kind = 'detector' as const;
  readonly type = 'Pipeline';
  readonly tags: Tags;
  readonly params: { steps: string[] };
  constructor(
    readonly transforms: readonly Transform[],
    readonly final: Detector<F>,
  ) {
    this.tags = combineTags([...transforms, final]);
    this.params = { steps: [...transforms, final].map((s) => s.type) };
  }
  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedDetectorPipeline<F>> {
    const r = await fitWithFinal(this.transforms, this.final, ds, options);
    return new FittedDetectorPipeline(r.fitted, r.last, r.inputColumns);
  }
}

abstract class FittedPipelineBase {
  readonly type = 'FittedPipeline';
  readonly inputColumns: readonly string[];
  constructor(
    readonly steps: readonly FittedTransform[],
    inputColumns: readonly string[],
  ) {
    this.inputColumns = Object.freeze([...inputColumns]);
  }
  /** Runs only the transform steps (what the final step sees). */
  transformInput(ds: Dataset): Dataset {
    requireColumns(ds, this.inputColumns, 'Pipeline');
    return applyAll(this.steps, ds);
  }
  protected serialise(final: Fitted | undefined): Serialized<{ steps: string[] }, PipelineState> {
    const all: Fitted[] = final ? [...this.steps, final] : [...this.steps];
    return {
      type: 'FittedPipeline',
      version: 1,
      params: { steps: all.map((s) => s.type) },
      state: { steps: all.map((s) => s.toJSON()), inputColumns: [...this.inputColumns] },
    };
  }
}

/**
 * A fitted {@link TransformPipeline}.
 *
 * @example
 * ```ts
 * const fitted = await pipeline([new StandardScaler()]).fit(ds);
 * load(JSON.parse(JSON.stringify(fitted))).transform(ds);
 * ```
 */
export class FittedTransformPipeline extends FittedPipelineBase implements FittedTransform {
  readonly kind = 'transform' as const;
  readonly tags: Tags;
  constructor(steps: readonly FittedTransform[], inputColumns: readonly string[]) {
    super(steps, inputColumns);
    this.tags = combineTags(steps);
  }
  transform(ds: Dataset): Dataset {
    return this.transformInput(ds);
  }
  toJSON(): Serialized {
    return this.serialise(undefined);
  }
}

/**
 * A fitted {@link ModelPipeline}. `final` is the fitted model; `predictProba` is available when the
 * final model has it.
 *
 * @example
 * ```ts
 * const fitted = await pipeline([new OneHotEncoder(), new LogisticRegression()]).fit(ds, { target: 'y' });
 * fitted.predict(ds);
 * ```
 */
export class FittedModelPipeline<F extends FittedModel = FittedModel> extends FittedPipelineBase implements FittedModel<ReturnType<F['predict']>> {
  readonly kind = 'model' as const;
  readonly tags: Tags;
  readonly target?: string;
  constructor(
    steps: readonly FittedTransform[],
    readonly final: F,
    inputColumns: readonly string[],
  ) {
    super(steps, inputColumns);
    this.tags = combineTags([...steps, final]);
    if (final.target !== undefined) this.target = final.target;
  }
  predict(ds: Dataset): ReturnType<F['predict']> {
    return this.final.predict(this.transformInput(ds)) as ReturnType<F['predict']>;
  }
  /** Class probabilities from the final model (`E_UNSUPPORTED` if it has none). */
  predictProba(ds: Dataset): Float64Array {
    const f = this.final as F & { predictProba?: (d: Dataset) => Float64Array };
    if (typeof f.predictProba !== 'function') throw new TesseraError('E_UNSUPPORTED', `${this.final.type} has no predictProba`);
    return f.predictProba(this.transformInput(ds));
  }
  toJSON(): Serialized {
    return this.serialise(this.final);
  }
}

/**
 * A fitted {@link DetectorPipeline}.
 *
 * @example
 * ```ts
 * const fitted = await pipeline([new StandardScaler(), new ZScore()]).fit(ds);
 * fitted.predict(ds);
 * ```
 */
export class FittedDetectorPipeline<F extends FittedDetector = FittedDetector> extends FittedPipelineBase implements FittedDetector {
  readonly kind = 'detector' as const;
  readonly tags: Tags;
  constructor(
    steps: readonly FittedTransform[],
    readonly final: F,
    inputColumns: readonly string[],
  ) {
    super(steps, inputColumns);
    this.tags = combineTags([...steps, final]);
  }
  get threshold(): number {
    return this.final.threshold;
  }
  score(ds: Dataset): Float64Array {
    return this.final.score(this.transformInput(ds));
  }
  predict(ds: Dataset): boolean[] {
    return this.final.predict(this.transformInput(ds));
  }
  toJSON(): Serialized {
    return this.serialise(this.final);
  }
}

/**
 * Chains transforms, optionally ending in a Model or a Detector. The result is itself a Transform,
 * Model or Detector, fits every step in order, and serialises whole (`toJSON` / `load`).
 *
 * @example
 * ```ts
 * import { pipeline, OneHotEncoder, StandardScaler, load } from 'tessera';
 * const p = pipeline([new OneHotEncoder(), new StandardScaler()]);
 * const fitted = await p.fit(ds);
 * const again = load(JSON.parse(JSON.stringify(fitted)));
 * ```
 */
export function pipeline<M extends Model>(steps: readonly [...Transform[], M]): ModelPipeline<FittedOf<M>>;
export function pipeline<D extends Detector>(steps: readonly [...Transform[], D]): DetectorPipeline<FittedOf<D>>;
export function pipeline(steps: readonly Transform[]): TransformPipeline;
export function pipeline(steps: readonly Step[]): object {
  if (steps.length === 0) throw new TesseraError('E_OPTION', 'pipeline needs at least one step', { option: 'steps' });
  const last = steps[steps.length - 1] as Step;
  const head = steps.slice(0, -1);
  head.forEach((s, i) => {
    if (s.kind !== 'transform')
      throw new TesseraError('E_OPTION', `pipeline step ${i} (${s.type}) is a ${s.kind}; only the last step may be a model or detector`, { option: 'steps' });
  });
  if (last.kind === 'model') return new ModelPipeline(head as Transform[], last);
  if (last.kind === 'detector') return new DetectorPipeline(head as Transform[], last);
  return new TransformPipeline(steps as Transform[]);
}

function restore(json: Serialized): Fitted {
  const { state } = expectType<PipelineState>(json, 'FittedPipeline');
  const steps = state.steps.map((s) => load<Fitted>(s));
  const last = steps.at(-1);
  const head = steps.slice(0, -1);
  for (const s of head) if (s.kind !== 'transform') throw new TesseraError('E_SERIALIZATION', 'pipeline: only the last step may be a model or detector');
  if (last?.kind === 'model') return new FittedModelPipeline(head as FittedTransform[], last, state.inputColumns);
  if (last?.kind === 'detector') return new FittedDetectorPipeline(head as FittedTransform[], last, state.inputColumns);
  return new FittedTransformPipeline(steps as FittedTransform[], state.inputColumns);
}

registerLoader('FittedPipeline', 1, restore);
