import { describe, expect, it } from 'vitest';
import { Dataset, isTesseraError, Rng, TSNE, trustworthiness } from '../../src/index.js';
import { conformance } from '../conformance.js';

/** Three well-separated blobs in 4-D plus an id column. */
function blobs(n = 60): Dataset {
  const rng = new Rng(1);
  const cols: Record<string, number[]> = { a: [], b: [], c: [], d: [] };
  const id: string[] = [];
  for (let i = 0; i < n; i++) {
    const g = i % 3;
    (['a', 'b', 'c', 'd'] as const).forEach((k, j) => cols[k]?.push(g * 8 * (j % 2 ? 1 : -1) + rng.normal()));
    id.push(`r${i}`);
  }
  return Dataset.from({ ...cols, id }, { roles: { id: 'id' } });
}

conformance({
  name: 'TSNE',
  make: (o) => new TSNE(o),
  baseOptions: { perplexity: 5, maxIter: 250 },
  data: () => blobs(30),
  withMissing: () => Dataset.from({ a: [1, null, 3, 4, 5, 6, 7], b: [1, 2, 3, 4, 5, 6, 7] }),
  oneRow: 'error',
  badOptions: [{ perplexity: 0 }, { maxIter: 10 }, { nComponents: 3 }, { method: 'fast' }, { angle: 2 }],
});

describe('TSNE', () => {
  it('separates blobs, reports progress and keeps id columns', async () => {
    const ds = blobs();
    const steps: number[] = [];
    const fitted = await new TSNE({ perplexity: 10, maxIter: 400, seed: 2 }).fit(ds, { onProgress: (p) => steps.push(p.step) });
    expect(steps).toContain(250);
    expect(fitted.iterations).toBeGreaterThanOrEqual(250);
    const out = fitted.transform(ds);
    expect(out.columnNames).toEqual(['tsne0', 'tsne1', 'id']);
    const X = ds.matrix(['a', 'b', 'c', 'd']);
    expect(trustworthiness(X, 4, fitted.embedding, 2, 5)).toBeGreaterThan(0.9);
  });

  it('exact method and 3 components work on small data', async () => {
    const fitted = await new TSNE({ perplexity: 5, maxIter: 250, method: 'exact', nComponents: 3 }).fit(blobs(30));
    expect(fitted.embedding.length).toBe(90);
    for (const v of fitted.embedding) expect(Number.isFinite(v)).toBe(true);
  });

  it('has no out-of-sample transform: another dataset is refused with E_UNSUPPORTED', async () => {
    const ds = blobs(30);
    const fitted = await new TSNE({ perplexity: 5, maxIter: 250 }).fit(ds);
    expect(() => fitted.transform(ds.slice(0, 10))).toThrow(expect.objectContaining({ code: 'E_UNSUPPORTED' }));
    const changed = ds.withColumn('a', new Float64Array(30).fill(1));
    expect(() => fitted.transform(changed)).toThrow(/out-of-sample/);
  });

  it('refuses perplexity >= rows and non-numeric columns; survives duplicate rows', async () => {
    await expect(new TSNE({ perplexity: 30 }).fit(blobs(30))).rejects.toMatchObject({ code: 'E_OPTION', details: { option: 'perplexity' } });
    await expect(new TSNE({ perplexity: 2, maxIter: 250 }).fit(Dataset.from({ a: [1, 2, 3, 4, 5], g: ['x', 'y', 'x', 'y', 'x'] }))).rejects.toSatisfy(
      (e) => isTesseraError(e, 'E_SCHEMA') && e.message.includes('"g"'),
    );
    const dup = Dataset.from({ a: [1, 1, 1, 1, 5, 5, 5, 5], b: [2, 2, 2, 2, 0, 0, 0, 0] });
    const fitted = await new TSNE({ perplexity: 2, maxIter: 250 }).fit(dup);
    for (const v of fitted.embedding) expect(Number.isFinite(v)).toBe(true);
  });
});
