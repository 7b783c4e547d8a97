import { TesseraError } from '../../core/errors.js';
import { DEFAULT_TAGS, type FittedModel, type Model, type ModelFitOptions, type Serialized, type Tags } from '../../core/protocol.js';
import { expectType, load, registerLoader } from '../../core/serialize.js';
import type { Dataset } from '../../dataset/dataset.js';
import { classesOf } from '../selection/scoring.js';
import { type ClassLabel, probaToLabels } from '../target.js';

const TAGS: Tags = { ...DEFAULT_TAGS, allowMissing: true, categorical: true, supervised: true, stochastic: true };

/**
 * An equal-weight blend of models (the simplest of the ensembles H2O AutoML builds): regression
 * averages the members' predictions, classification averages their class probabilities. Used by
 * {@link AutoModel} over its best candidates.
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
  readonly tags = TAGS;
  readonly params: { members: string[] };
  private readonly members: readonly Model[];

  constructor(members: readonly Model[]) {
    if (members.length < 2) throw new TesseraError('E_OPTION', 'Blend needs at least two models', { option: 'members' });
    this.members = members;
    this.params = { members: members.map((m) => m.type) };
  }

  async fit(ds: Dataset, options?: ModelFitOptions): Promise<FittedBlend> {
    const fitted: FittedModel[] = [];
    for (const m of this.members) fitted.push(await m.fit(ds, options));
    return new FittedBlend(fitted);
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
  readonly tags = TAGS;
  readonly members: readonly FittedModel[];
  readonly inputColumns: readonly string[];
  readonly target?: string;
  readonly classes: readonly ClassLabel[] | undefined;

  constructor(members: readonly FittedModel[]) {
    this.members = members;
    this.inputColumns = Object.freeze([...new Set(members.flatMap((m) => [...m.inputColumns]))]);
    const t = members[0]?.target;
    if (t !== undefined) this.target = t;
    this.classes = members[0] ? classesOf(members[0]) : undefined;
  }

  predictProba(ds: Dataset): Float64Array {
    if (!this.classes) throw new TesseraError('E_UNSUPPORTED', 'FittedBlend: predictProba needs classifiers');
    let sum: Float64Array | undefined;
    for (const m of this.members) {
      const p = (m as FittedModel & { predictProba(d: Dataset): Float64Array }).predictProba(ds);
      if (!sum) sum = p.slice();
      else for (let i = 0; i < p.length; i++) sum[i] = (sum[i] as number) + (p[i] as number);
    }
    const out = sum as Float64Array;
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / this.members.length;
    return out;
  }

  predict(ds: Dataset): Float64Array | ClassLabel[] {
    if (this.classes) return probaToLabels(this.predictProba(ds), this.classes);
    let sum: Float64Array | undefined;
    for (const m of this.members) {
      const p = m.predict(ds) as Float64Array;
      if (!sum) sum = p.slice();
      else for (let i = 0; i < p.length; i++) sum[i] = (sum[i] as number) + (p[i] as number);
    }
    const out = sum as Float64Array;
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / this.members.length;
    return out;
  }

  toJSON(): Serialized<{ members: string[] }, { members: Serialized[] }> {
    return { type: this.type, version: 1, params: { members: this.members.map((m) => m.type) }, state: { members: this.members.map((m) => m.toJSON()) } };
  }

  /** Restores from {@link FittedBlend.toJSON} output. */
  static fromJSON(json: Serialized): FittedBlend {
    const { state } = expectType<{ members: Serialized[] }>(json, 'FittedBlend');
    return new FittedBlend(state.members.map((m) => load<FittedModel>(m)));
  }
}

registerLoader('FittedBlend', 1, FittedBlend.fromJSON);
