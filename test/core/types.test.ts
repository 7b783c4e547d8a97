import { describe, expect, it } from 'vitest';
import { Dataset, StandardScaler } from '../../src/index.js';

describe('unfitted and fitted are different types', () => {
  it('has transform only after fit (checked by the type checker)', async () => {
    const ds = Dataset.from({ a: [1, 2, 3] });
    const unfitted = new StandardScaler();
    // @ts-expect-error transform does not exist before fit
    expect(unfitted.transform).toBeUndefined();
    const fitted = await unfitted.fit(ds);
    expect(typeof fitted.transform).toBe('function');
    // @ts-expect-error a fitted scaler cannot be fitted again
    expect(fitted.fit).toBeUndefined();
  });
});
