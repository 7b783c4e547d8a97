import { describe, expect, it } from 'vitest';
import {
  Dataset,
  type FittedTransform,
  load,
  MinMaxScaler,
  OneHotEncoder,
  OrdinalEncoder,
  pipeline,
  RobustScaler,
  StandardScaler,
  TesseraError,
} from '../../src/index.js';
import { conformance, snapshot } from '../conformance.js';

const data = () =>
  Dataset.from({
    region: ['north', 'south', 'north', 'east', 'south', 'east'],
    size: ['M', 'S', 'L', 'M', 'S', 'L'],
    income: [52, 48, 61, 39, 45, 70],
    age: [41, 35, 52, 23, 30, 60],
  });

conformance({
  name: 'pipeline of transforms',
  make: (o) => {
    if (o && Object.keys(o).length)
      throw new TesseraError('E_OPTION', `pipeline has no option "${Object.keys(o)[0]}"`, { option: Object.keys(o)[0] as string });
    return pipeline([new OrdinalEncoder({ columns: ['size'] }), new OneHotEncoder(), new RobustScaler({ columns: ['income'] }), new StandardScaler()]);
  },
  data,
  badOptions: [{ steps: 1 }],
});

describe('pipeline', () => {
  it('serialises whole, reloads and gives identical output', async () => {
    const p = pipeline([new OneHotEncoder(), new MinMaxScaler({ columns: ['income'] }), new StandardScaler({ columns: ['age'] })]);
    const ds = data();
    const fitted = await p.fit(ds);
    const text = JSON.stringify(fitted.toJSON());
    const again = load<FittedTransform>(JSON.parse(text));
    expect(snapshot(again.transform(ds))).toEqual(snapshot(fitted.transform(ds)));
    expect(fitted.inputColumns).toEqual(['region', 'size', 'income', 'age']);
    const out = fitted.transform(ds);
    expect(out.columnNames).toContain('region_east');
    expect(Math.max(...Array.from(out.matrix(['income'])))).toBe(1);
  });

  it('refuses a model in the middle', () => {
    const fakeModel = { kind: 'model', type: 'Fake', tags: new StandardScaler().tags, params: {}, fit: async () => ({}) } as never;
    expect(() => pipeline([fakeModel, new StandardScaler()] as never)).toThrow(/only the last step/);
    expect(() => pipeline([])).toThrow(/at least one step/);
  });
});
