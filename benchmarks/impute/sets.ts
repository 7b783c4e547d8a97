import { type CellValue, Dataset } from '../../src/index.js';
import { readCsvDataset } from './csv.js';

/** Root of the shared data sets. */
export const DATA_DIR = new URL('../../../shared/data/tabular/', import.meta.url);

/** A complete table for the masked evaluation: numeric columns and category columns, no gaps. */
export interface EvalSet {
  name: string;
  ds: Dataset;
  numeric: string[];
  categorical: string[];
  /** Column that drives MAR masks (never hidden itself). */
  driver: string;
}

function completeRows(ds: Dataset): Dataset {
  const keep = new Uint8Array(ds.nrows);
  const rows = ds.toRows();
  rows.forEach((r, i) => {
    keep[i] = Object.values(r).every((v) => v !== null) ? 1 : 0;
  });
  return ds.filter(keep);
}

function build(name: string, file: string, numeric: string[], categorical: string[], driver: string, map?: (col: string, v: CellValue) => CellValue): EvalSet {
  const raw = readCsvDataset(new URL(`${file}/data.csv`, DATA_DIR));
  const cols: Record<string, CellValue[]> = {};
  const src = raw.toColumns();
  for (const c of [...numeric, ...categorical]) cols[c] = (src[c] ?? []).map((v) => (map ? map(c, v) : v));
  const schema: Record<string, { kind: 'category' }> = {};
  for (const c of categorical) schema[c] = { kind: 'category' };
  const ds = completeRows(Dataset.from(cols, { schema }));
  return { name, ds, numeric, categorical, driver };
}

/** The five complete classics (complete rows only), with column roles fixed for the harness. */
export function evalSets(): EvalSet[] {
  return [
    build('iris', 'iris', ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'], ['species'], 'sepal_length_cm'),
    build(
      'wine',
      'wine',
      [
        'alcohol',
        'malic_acid',
        'ash',
        'alcalinity_of_ash',
        'magnesium',
        'total_phenols',
        'flavanoids',
        'nonflavanoid_phenols',
        'proanthocyanins',
        'color_intensity',
        'hue',
        'od280/od315_of_diluted_wines',
        'proline',
      ],
      ['target'],
      'alcohol',
      (c, v) => (c === 'target' && v !== null ? `class${v}` : v),
    ),
    build('diabetes-progression', 'diabetes-progression', ['age', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6', 'target'], ['sex'], 'age', (c, v) =>
      c === 'sex' && v !== null ? `sex${v}` : v,
    ),
    build('penguins', 'penguins', ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'year'], ['species', 'island', 'sex'], 'year'),
    build(
      'cars-auto-mpg',
      'cars-auto-mpg',
      ['Miles_per_Gallon', 'Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration', 'Year'],
      ['Origin'],
      'Year',
      (c, v) => (c === 'Year' && v !== null ? (v instanceof Date ? v.getUTCFullYear() : Number(String(v).slice(0, 4))) : v),
    ),
  ];
}

/** Tables with real gaps (run as they are, to show the imputers work on real missingness). */
export function realGapSets(): { name: string; ds: Dataset }[] {
  const titanic = readCsvDataset(new URL('titanic/data.csv', DATA_DIR));
  const freetrade = readCsvDataset(new URL('freetrade/data.csv', DATA_DIR));
  return [
    { name: 'airquality', ds: readCsvDataset(new URL('airquality/data.csv', DATA_DIR)) },
    { name: 'titanic', ds: titanic.drop(['passenger']) },
    { name: 'mice-nhanes', ds: readCsvDataset(new URL('mice-nhanes/data.csv', DATA_DIR)) },
    { name: 'freetrade', ds: freetrade.withRoles({ country: 'id' }) },
  ];
}
