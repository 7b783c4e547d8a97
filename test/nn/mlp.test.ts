import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy, Dataset, r2 } from '../../src/index.js';
import { MLPClassifier, MLPRegressor, tensorCount } from '../../src/nn/index.js';
import { conformance } from '../conformance.js';
import { startBackend } from '../helpers/nn.js';

beforeAll(async () => {
  await startBackend();
});

const n = 80;
const a = Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * 2);
const b = Array.from({ length: n }, (_, i) => Math.cos(i * 0.9) * 3);
const y = a.map((v, i) => v * v - (b[i] as number));
const c = a.map((v, i) => (v * (b[i] as number) > 0 ? 'same' : 'diff'));
const data = () => Dataset.from({ a, b, y, c });
const small = { hiddenLayers: [8], epochs: 5 };

conformance({
  name: 'MLPClassifier',
  make: (o) => new MLPClassifier(o),
  baseOptions: small,
  data: () => data().withRoles({ y: 'id' }),
  fitOptions: { target: 'c' },
  badOptions: [{ hiddenLayers: [0] }, { activation: 'gelu' }, { learningRate: 0 }],
  withMissing: () => Dataset.from({ a: [1, null, 3, 4], c: ['x', 'y', 'x', 'y'] }),
  oneRow: 'error',
  tensorCount,
});
conformance({
  name: 'MLPRegressor',
  make: (o) => new MLPRegressor(o),
  baseOptions: small,
  data: () => data().withRoles({ c: 'id' }),
  fitOptions: { target: 'y' },
  badOptions: [{ epochs: 0 }, { alpha: -1 }],
  withMissing: () => Dataset.from({ a: [1, null, 3, 4], y: [1, 2, 3, 4] }),
  tensorCount,
});

describe('MLP', () => {
  it('learns a non-linear boundary and a non-linear function, leaking no tensors', async () => {
    const before = tensorCount();
    const clf = await new MLPClassifier({ hiddenLayers: [32], epochs: 300, learningRate: 0.01, seed: 1 }).fit(data().withRoles({ y: 'id' }), { target: 'c' });
    expect(accuracy(c, clf.predict(data()))).toBeGreaterThan(0.9);
    const reg = await new MLPRegressor({ hiddenLayers: [32], epochs: 300, learningRate: 0.01, seed: 1 }).fit(data().withRoles({ c: 'id' }), { target: 'y' });
    expect(r2(y, reg.predict(data()))).toBeGreaterThan(0.8);
    clf.dispose();
    reg.dispose();
    expect(tensorCount()).toBe(before);
    expect(() => clf.predict(data())).toThrow(/disposed/);
  });
});
