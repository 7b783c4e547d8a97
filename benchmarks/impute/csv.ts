import { readFileSync } from 'node:fs';
import { type Dataset, readCSV } from '../../src/index.js';

/** Reads a shared-data CSV file (empty fields are missing values) with tessera's `readCSV`. */
export function readCsvDataset(path: string | URL): Dataset {
  return readCSV(readFileSync(path, 'utf8'));
}
