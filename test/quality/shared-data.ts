/**
 * Tiny CSV helper for the quality tests on ../shared/data. The project's own `readCSV` is being
 * written by another engineer and is not exported from src/index.ts yet; until it is, these tests
 * parse with papaparse (a dev dependency) and build Datasets from the raw strings.
 */
import { existsSync, readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { Dataset, type DatasetOptions } from '../../src/index.js';

export const dataDir = new URL('../../../shared/data/tabular/', import.meta.url);
export const hasData = existsSync(dataDir);

export function readRows(name: string): Record<string, string>[] {
  const text = readFileSync(new URL(`${name}/data.csv`, dataDir), 'utf8');
  const r = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  return r.data;
}

export function readShared(name: string, options: DatasetOptions = {}): Dataset {
  return Dataset.from(readRows(name), options);
}

export const TABULAR = [
  'airquality',
  'cars-auto-mpg',
  'diabetes-progression',
  'digits-8x8',
  'freetrade',
  'iris',
  'mammal-sleep',
  'mice-nhanes',
  'movies',
  'penguins',
  'seattle-weather',
  'swiss-banknotes',
  'telco-churn',
  'titanic',
  'wholesale-customers',
  'wine',
];
