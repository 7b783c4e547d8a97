/**
 * Every CSV in ../shared/data (54 real files: tabular, anomaly, time series, published score
 * tables) read by readCSV agrees with pandas (benchmarks/reference/io-shared-data.py, run once,
 * committed as JSON): rows, column names, missing counts, distinct counts, and column sums.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Column, cellValue, isMissing, readCSV } from '../../src/index.js';

const dir = new URL('../../../shared/data/', import.meta.url);
const refPath = new URL('../../benchmarks/reference/io-shared-data.json', import.meta.url);

interface RefColumn {
  name: string;
  missing: number;
  distinct: number;
  sum?: number | string;
}
interface RefFile {
  file: string;
  rows: number;
  columns: RefColumn[];
}

function distinct(c: Column): number {
  const seen = new Set<unknown>();
  for (let i = 0; i < c.length; i++) {
    if (isMissing(c, i)) continue;
    const v = cellValue(c, i);
    seen.add(v instanceof Date ? v.getTime() : v);
  }
  return seen.size;
}

describe.skipIf(!existsSync(dir))('readCSV on ../shared/data agrees with pandas (needs ../shared/data)', () => {
  const refs = JSON.parse(readFileSync(refPath, 'utf8')) as RefFile[];
  it('covers every file', () => {
    expect(refs.length).toBeGreaterThanOrEqual(50);
  });
  for (const ref of refs) {
    it(ref.file, () => {
      const ds = readCSV(readFileSync(new URL(ref.file, dir)));
      expect(ds.nrows).toBe(ref.rows);
      expect(ds.columnNames).toEqual(ref.columns.map((c) => c.name));
      for (const rc of ref.columns) {
        const c = ds.column(rc.name);
        let missing = 0;
        for (let i = 0; i < c.length; i++) if (isMissing(c, i)) missing++;
        expect(missing, `${rc.name} missing`).toBe(rc.missing);
        expect(distinct(c), `${rc.name} distinct`).toBe(rc.distinct);
        if (rc.sum !== undefined) {
          expect(['integer', 'number'], `${rc.name} kind`).toContain(c.kind);
          if (c.kind === 'integer' || c.kind === 'number') {
            let s = 0;
            for (const v of c.values) if (!Number.isNaN(v)) s += v;
            const want = typeof rc.sum === 'number' ? rc.sum : Number(rc.sum);
            expect(Math.abs(s - want), `${rc.name} sum`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
          }
        }
      }
    });
  }
});
