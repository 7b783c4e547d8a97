import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { Dataset, type DatasetOptions } from '../../src/index.js';

/**
 * Tiny local CSV helper for the imputation harness and its tests, used until `readCSV` is exported
 * from `src/index.ts` (another area is writing it). Empty fields are missing values.
 */
export function readCsvDataset(path: string | URL, options: DatasetOptions = {}): Dataset {
  const text = readFileSync(path, 'utf8');
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  return Dataset.from(parsed.data, options);
}
