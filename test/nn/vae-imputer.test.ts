import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, isTesseraError, load } from '../../src/index.js';
import { type FittedVAEImputer, tensorCount, VAEImputer } from '../../src/nn/index.js';
import { conformance } from '../conformance.js';
import { startBackend } from '../helpers/nn.js';

beforeAll(async () => {
  await startBackend();
});

const data = () =>
  Dataset.from(
    {
      a: [1, 2, null, 4, 5, 6, 7, 8, 9, 10],
      b: [2, 4, 6, 8, null, 12, 14, 16, 18, 20],
      g: ['x', 'x', 'x', null, 'x', 'y', 'y', 'y', 'y', 'y'],
      f: [true, true, false, false, true, null, true, false, true, false],
    },
    { schema: { g: { kind: 'category' } } },
  );

conformance({
  name: 'VAEImputer',
  make: (o) => new VAEImputer(o),
  baseOptions: { epochs: 3, hidden: 8, batchSize: 4 },
  data,
  withMissing: data,
  badOptions: [{ epochs: 0 }, { hidden: 1 }, { dropObserved: 1 }, { learningRate: -1 }],
  tensorCount,
});

describe('VAEImputer', () => {
  it('learns a linear relation well enough to beat the mean, fills categories, reports counts', async () => {
    const n = 60;
    const a: (number | null)[] = [];
    const b: (number | null)[] = [];
    for (let i = 0; i < n; i++) {
      a.push(i / 6);
      b.push((2 * i) / 6 + 1);
    }
    const holes = [5, 17, 29, 41, 53];
    for (const i of holes) b[i] = null;
    const ds = Dataset.from({ a, b });
    const fitted = await new VAEImputer({ epochs: 100, batchSize: 16, hidden: 16, seed: 3, roundIntegers: false }).fit(ds);
    const { data: out, report } = fitted.transformWithReport(ds);
    expect(report.total).toBe(5);
    const meanB = (b.filter((v) => v !== null) as number[]).reduce((s, v) => s + v, 0) / (n - holes.length);
    let errVae = 0;
    let errMean = 0;
    for (const i of holes) {
      const truth = (2 * i) / 6 + 1;
      errVae += ((out.get(i, 'b') as number) - truth) ** 2;
      errMean += (meanB - truth) ** 2;
    }
    expect(errVae).toBeLessThan(errMean * 0.1);
  });

  it('is deterministic under a seed, round-trips, and leaves no tensors', async () => {
    const before = tensorCount();
    const f1 = await new VAEImputer({ epochs: 5, seed: 9 }).fit(data());
    const f2 = await new VAEImputer({ epochs: 5, seed: 9 }).fit(data());
    expect(f1.transform(data()).toRows()).toEqual(f2.transform(data()).toRows());
    const again = load<FittedVAEImputer>(JSON.parse(JSON.stringify(f1.toJSON())));
    expect(again.transform(data()).toRows()).toEqual(f1.transform(data()).toRows());
    expect(tensorCount()).toBe(before);
    const out = f1.transform(data());
    for (const c of ['a', 'b', 'g', 'f']) expect(out.toColumns()[c]?.includes(null)).toBe(false);
  });

  it('refuses an all-missing column by name and keeps unseen levels', async () => {
    const bad = Dataset.from({ a: [1, 2, 3], e: [null, null, null] }, { schema: { e: { kind: 'number' } } });
    try {
      await new VAEImputer({ epochs: 1 }).fit(bad);
      expect.unreachable();
    } catch (e) {
      expect(isTesseraError(e, 'E_MISSING_VALUES')).toBe(true);
      expect((e as Error).message).toContain('"e"');
    }
    const fitted = await new VAEImputer({ epochs: 2 }).fit(data());
    const test = Dataset.from({ a: [null], b: [3], g: ['zzz'], f: [true] }, { schema: { g: { kind: 'category' }, a: { kind: 'integer' } } });
    const out = fitted.transform(test);
    expect(out.get(0, 'g')).toBe('zzz');
    expect(out.get(0, 'a')).not.toBeNull();
  });
});
