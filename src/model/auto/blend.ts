import { z } from 'zod';
import { TesseraError } from '../../core/errors.js';
import { parseOptions } from '../../core/options.js';
import { DEFAULT_TAGS, type FittedModel, type Model, type ModelFitOptions, type Serialized, type Tags } from '../../core/protocol.js';
import { expectType, load, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import { classesOf } from '../selection/scoring.js';
import { type ClassLabel, probaToLabels } from '../target.js';

function blendTags(members: readonly { tags: Tags }[]): Tags {
  return {
    ...DEFAULT_TAGS,
    supervised: true,
    allowMissing: members.every((m) => m.tags.allowMissing),
    categorical: members.every((m) => m.tags.categorical),
    stochastic: members.some((m) => m.tags.stochastic),
  };
}

const Options = z
  .object({
    /** Non-negative weight per member (normalised to sum 1); default equal weights. */
    weights: z.array(z.number().min(0).finite()).optional(),
  })
  .strict();

/** Options of {@link Blend}. @example `const o: BlendOptions = { weights: [2, 1] };` */
export type BlendOptions = z.input<typeof Options>;

/**
 * A weighted blend of models (the simplest of the ensembles H2O AutoML builds; equal weights by
 * default): regression averages the members' predictions, classification their class
 * probabilities. Members must be fitted on the same target. Used by {@link AutoModel}.
 *
 * @example
 * ```ts
 * import { Blend, LogisticRegression, GaussianNaiveBayes } from 'tessera';
 * const fitted = await new Blend([new LogisticRegression(), new GaussianNaiveBayes()]).fit(ds, { target: 'y' });
 * fitted.predictProba(ds);
 * ```
 */
export class Blend implements Model<FittedBlend> {
  readonly kind = 'model' as const;
  readonly type = 'Blend';
  readonly tags: Tags;
  readonly params: { members: string[]; weights: number[] };
  private readonly members: readonly Model[];

  constructor(members: readonly Model[], options: BlendOptions = {}) {
    const o = parseOptions(Options, options, 'Blend');
    if (members.length < 2) throw new TesseraError('E_OPTION', 'Blend needs at least two models', { option: 'members' });
    const w = o.weights ?? members.map(() => 1);
    if (w.length !== members.length)
      throw new TesseraError('E_OPTION', `Blend option "weights": ${w.length} weights for ${members.length} models`, { option: 'weights' });
    const sum = w.reduce((a, b) => a + b, 0);
    if (!(sum > 0)) throw new TesseraError('E_OPTION', 'Blend option "weights": at least one weight must be positive', { option: 'weights' });
    this.members = members;
    this.tags = blendTags(members);
    this.params = { members: members.map((m) => m.type), weights: w.map((v) => v / sum) };
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedBlend> {
    const fitted: FittedModel[] = [];
    for (const m of this.members) fitted.push(await m.fit(ds, options));
    return new FittedBlend(fitted, this.params.weights);
  }
}

/**
 * A fitted {@link Blend}.
 *
 * @example
 * ```ts
 * const fitted = await new Blend([new Ridge(), new KNeighborsRegressor()]).fit(ds, { target: 'y' });
 * fitted.predict(ds);
 * ```
 */
export class FittedBlend implements FittedModel {
  readonly kind = 'model' as const;
  readonly type = 'FittedBlend';
  readonly tags: Tags;
  readonly members: readonly FittedModel[];
  /** Member weights, summing to 1. */
  readonly weights: readonly number[];
  readonly inputColumns: readonly string[];
  readonly target?: string;
  readonly classes: readonly ClassLabel[] | undefined;

  constructor(members: readonly FittedModel[], weights?: readonly number[]) {
    this.members = members;
    this.tags = blendTags(members);
    this.weights = Object.freeze([...(weights ?? members.map(() => 1 / members.length))]);
    this.inputColumns = Object.freeze([...new Set(members.flatMap((m) => [...m.inputColumns]))]);
    const t = members[0]?.target;
    if (t !== undefined) this.target = t;
    this.classes = members[0] ? classesOf(members[0]) : undefined;
  }

  predictProba(ds: Dataset): Float64Array {
    if (!this.classes) throw new TesseraError('E_UNSUPPORTED', 'FittedBlend: predictProba needs classifiers');
    return this.average((m) => (m as FittedModel & { predictProba(d: Dataset): Float64Array }).predictProba(ds));
  }

  predict(ds: Dataset): Float64Array | ClassLabel[] {
    if (this.classes) return probaToLabels(this.predictProba(ds), this.classes);
    return this.average((m) => m.predict(ds) as Float64Array);
  }

  private average(get: (m: FittedModel) => Float64Array): Float64Array {
    let out: Float64Array | undefined;
    this.members.forEach((m, k) => {
      const p = get(m);
      const w = this.weights[k] as number;
      if (!out) out = new Float64Array(p.length);
      for (let i = 0; i < p.length; i++) out[i] = (out[i] as number) + w * (p[i] as number);
    });
    return out as Float64Array;
  }

  toJSON(): Serialized<{ members: string[]; weights: number[] }, { members: Serialized[] }> {
    return {
      type: this.type,
      version: 1,
      params: { members: this.members.map((m) => m.type), weights: [...this.weights] },
      state: { members: this.members.map((m) => m.toJSON()) },
    };
  }

  /** Restores from {@link FittedBlend.toJSON} output. */
  static fromJSON(json: Serialized): FittedBlend {
    const { params, state } = expectType<{ members: Serialized[] }, { weights?: number[] }>(json, 'FittedBlend');
    return new FittedBlend(
      state.members.map((m) => load<FittedModel>(m)),
      params.weights,
    );
  }
}

registerLoader('FittedBlend', 1, FittedBlend.fromJSON);
