import { checkAbort } from '../../core/abort.js';
import { TesseraError } from '../../core/errors.js';
import type { FitOptions, FittedModel, Model, ModelFitOptions } from '../../core/protocol.js';
import { isMissing } from '../../dataset/column.js';
import type { Dataset } from '../../dataset/dataset.js';
import { fillColumn, type ImputeReport, makeReport } from './common.js';

/**
 * Options of {@link enrich}.
 *
 * @example
 * ```ts
 * const o: EnrichOptions = { column: 'income', model: new RandomForestRegressor({ seed: 1 }) };
 * ```
 */
export interface EnrichOptions extends FitOptions {
  /** The column whose missing values are filled (the model's target). */
  column: string;
  /** Any unfitted Model; it is fitted on the rows where `column` is known, with `column` as target. */
  model: Model;
}

/**
 * What {@link enrich} returns: the filled Dataset, what was filled, and the fitted model
 * (`undefined` when the column had no gap, so nothing was fitted).
 *
 * @example
 * ```ts
 * const { data, report, model } = await enrich(ds, { column: 'age', model: new RandomForestRegressor() });
 * ```
 */
export interface EnrichResult {
  readonly data: Dataset;
  readonly report: ImputeReport;
  readonly model: FittedModel | undefined;
}

/**
 * Fills the gaps of one column with a model's predictions: the model is trained on the rows where
 * the column is known (the column is its target) and predicts the rows where it is missing. Every
 * other column is left as it is; the model decides which columns it reads (by default its feature
 * columns) and refuses what it cannot use, e.g. gaps in its predictors (`E_MISSING_VALUES`: impute
 * those first). A column with no gap is returned unchanged without fitting; a column with no known
 * value is refused (`E_MISSING_VALUES`). Numeric predictions fill number/integer columns (an integer
 * column becomes a number column when a prediction is not whole); labels fill category, text and
 * boolean columns.
 *
 * @example
 * ```ts
 * import { Dataset, enrich, RandomForestRegressor } from 'tessera';
 * const ds = Dataset.from({ x: [1, 2, 3, 4, 5], y: [2, 4, null, 8, 10] });
 * const { data, report } = await enrich(ds, { column: 'y', model: new RandomForestRegressor({ nEstimators: 20, seed: 1 }) });
 * data.get(2, 'y'); // about 6
 * report.total;     // 1
 * ```
 */
export async function enrich(ds: Dataset, options: EnrichOptions): Promise<EnrichResult> {
  checkAbort(options.signal);
  const { column, model } = options;
  if (typeof column !== 'string') throw new TesseraError('E_OPTION', 'enrich option "column" must be a column name', { option: 'column' });
  if (!model || typeof (model as Partial<Model>).fit !== 'function' || model.kind !== 'model') {
    throw new TesseraError('E_OPTION', 'enrich option "model" must be an unfitted Model (e.g. new RandomForestRegressor())', { option: 'model' });
  }
  const col = ds.column(column);
  if (col.kind === 'datetime') throw new TesseraError('E_SCHEMA', `enrich cannot fill datetime column "${column}" with a model`, { column });
  const known = new Uint8Array(ds.nrows);
  const gaps: number[] = [];
  for (let i = 0; i < ds.nrows; i++) {
    if (isMissing(col, i)) gaps.push(i);
    else known[i] = 1;
  }
  const spec = [{ name: column, kind: col.kind }];
  if (gaps.length === 0) return { data: ds, report: makeReport(spec, [0]), model: undefined };
  if (gaps.length === ds.nrows) {
    throw new TesseraError('E_MISSING_VALUES', `enrich: column "${column}" has no known value to learn from`, { column });
  }
  const train = ds.filter(known).withRoles({ [column]: 'target' });
  const fitOptions: ModelFitOptions = { target: column };
  if (options.signal) fitOptions.signal = options.signal;
  if (options.onProgress) fitOptions.onProgress = options.onProgress;
  const fitted = await model.fit(train, fitOptions);
  const pred = fitted.predict(ds.take(gaps).withRoles({ [column]: 'target' }));
  const values = new Float64Array(gaps.length);
  let labels: string[] | undefined;
  if (col.kind === 'number' || col.kind === 'integer') {
    for (let t = 0; t < gaps.length; t++) {
      const v = Number(pred[t]);
      const row = gaps[t] as number;
      if (!Number.isFinite(v))
        throw new TesseraError('E_NON_FINITE', `enrich: the model predicted ${String(pred[t])} for column "${column}", row ${row}`, { column, row });
      values[t] = v;
    }
  } else if (col.kind === 'boolean') {
    for (let t = 0; t < gaps.length; t++) values[t] = pred[t] === true || pred[t] === 1 || pred[t] === 'true' ? 1 : 0;
  } else {
    const index = new Map<string, number>();
    labels = [];
    for (let t = 0; t < gaps.length; t++) {
      const s = String(pred[t]);
      let k = index.get(s);
      if (k === undefined) {
        k = labels.length;
        labels.push(s);
        index.set(s, k);
      }
      values[t] = k;
    }
  }
  const data = ds.withColumn(column, fillColumn(col, gaps, values, labels, false));
  return { data, report: makeReport(spec, [gaps.length]), model: fitted };
}
