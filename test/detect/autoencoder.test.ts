import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, Rng, rocAuc } from '../../src/index.js';
import { Autoencoder, tensorCount } from '../../src/nn/index.js';
import { conformance } from '../conformance.js';
import { startBackend } from '../helpers/nn.js';

beforeAll(async () => {
  await startBackend();
});

/** Rows on a 2-D plane inside 4-D (c = a + b, d = a - b), plus 3 rows off the plane. */
function plane(n = 120, seed = 3): Dataset {
  const rng = new Rng(seed);
  const cols: Record<string, number[]> = { a: [], b: [], c: [], d: [], y: [] };
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    cols.a?.push(a);
    cols.b?.push(b);
    cols.c?.push(a + b + 0.05 * rng.normal());
    cols.d?.push(a - b + 0.05 * rng.normal());
    cols.y?.push(0);
  }
  for (const [a, b, c, d] of [
    [0.5, 0.5, -1, 0],
    [-1, 1, 0, -2.5],
    [1, 0, 1, -1],
  ] as const) {
    cols.a?.push(a);
    cols.b?.push(b);
    cols.c?.push(c);
    cols.d?.push(d);
    cols.y?.push(1);
  }
  return Dataset.from(cols, { roles: { y: 'target' } });
}

conformance({
  name: 'Autoencoder',
  make: (o) => new Autoencoder(o),
  baseOptions: { epochs: 3, batchSize: 32 },
  data: () => plane(40),
  withMissing: () => Dataset.from({ a: [1, null, 3, 4], b: [1, 2, 3, 4] }),
  badOptions: [{ epochs: 0 }, { hidden: [] }, { learningRate: -1 }, { contamination: 0.9 }],
  tensorCount,
});

describe('Autoencoder', () => {
  it('ranks rows off the learnt structure highest and explains per column', async () => {
    const ds = plane();
    const fitted = await new Autoencoder({ hidden: [3, 2, 3], epochs: 150, batchSize: 32, learningRate: 0.01, seed: 1 }).fit(ds);
    const s = fitted.score(ds);
    expect(rocAuc(ds.matrix(['y']), s)).toBeGreaterThan(0.9);
    const cols = fitted.scoreColumns(ds);
    expect(cols.length).toBe(ds.nrows * 4);
    const e = fitted.explain(ds, ds.nrows - 2); // d = -2.5 where a - b = -2
    expect(e.contributions.length).toBe(4);
    let sum = 0;
    for (const c of e.contributions) sum += c.contribution;
    expect(sum / 4).toBeCloseTo(e.score, 9);
  });
  it('holds no tensors after fit and refuses a set with no variance', async () => {
    const before = tensorCount();
    await new Autoencoder({ epochs: 2 }).fit(plane(30));
    expect(tensorCount()).toBe(before);
    await expect(new Autoencoder().fit(Dataset.from({ a: [1, 1, 1], b: [2, 2, 2] }))).rejects.toMatchObject({ code: 'E_SCHEMA' });
  });
});
