import { describe, expect, it } from 'vitest';
import { CusumDetector, EwmaDetector, isTesseraError, load, Rng, RollingMAD, RollingZScore, SeasonalMAD } from '../../src/index.js';

interface Restorable {
  update(v: number): number;
  readonly count: number;
  toJSON(): unknown;
}

const rng = new Rng(11);
const xs = Array.from({ length: 600 }, (_, i) => 5 * Math.sin((2 * Math.PI * i) / 24) + rng.normal() + (i > 350 ? 6 : 0) + (i === 200 ? 15 : 0));

const makers: [string, () => Restorable][] = [
  ['EwmaDetector', () => new EwmaDetector({ alpha: 0.07, warmup: 5 })],
  ['RollingZScore', () => new RollingZScore({ window: 37, warmup: 5 })],
  ['RollingMAD', () => new RollingMAD({ window: 30, warmup: 4 })],
  ['SeasonalMAD', () => new SeasonalMAD({ period: 24, seasons: 3 })],
  ['CusumDetector', () => new CusumDetector({ warmup: 20, h: 4 })],
];

describe('streaming detectors serialise their full running state', () => {
  for (const [name, make] of makers) {
    it(`${name}: a restored detector continues with exactly the same scores`, () => {
      for (const cut of [0, 3, 17, 250, 451]) {
        const a = make();
        for (let i = 0; i < cut; i++) a.update(xs[i] as number);
        const json = JSON.parse(JSON.stringify(a.toJSON()));
        expect(json.type).toBe(name);
        const b = load<Restorable>(json);
        expect(b.count).toBe(a.count);
        for (let i = cut; i < xs.length; i++) expect(b.update(xs[i] as number)).toBe(a.update(xs[i] as number));
        // the original is untouched by serialising: a second snapshot equals the state it reached
        expect(JSON.stringify(load<Restorable>(JSON.parse(JSON.stringify(a.toJSON()))).toJSON())).toBe(JSON.stringify(a.toJSON()));
      }
    });
  }

  it('CusumDetector keeps its declared changes', () => {
    const a = new CusumDetector({ warmup: 20, h: 4 });
    for (const v of xs) a.update(v);
    const b = load<CusumDetector>(JSON.parse(JSON.stringify(a.toJSON())));
    expect(a.changes.length).toBeGreaterThan(0);
    expect(b.changes).toEqual(a.changes);
  });

  it('refuses a state that does not match its params (E_SERIALIZATION)', () => {
    const a = new RollingMAD({ window: 30 });
    for (let i = 0; i < 40; i++) a.update(xs[i] as number);
    const json = JSON.parse(JSON.stringify(a.toJSON()));
    json.params.window = 31;
    try {
      load(json);
      expect.unreachable();
    } catch (e) {
      expect(isTesseraError(e) && e.code).toBe('E_SERIALIZATION');
    }
    const e2 = JSON.parse(JSON.stringify(new EwmaDetector().toJSON()));
    e2.state.mean = 'x';
    expect(() => load(e2)).toThrow(/mean/);
  });
});
