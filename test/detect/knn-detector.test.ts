import { describe, expect, it } from 'vitest';
import { Dataset, EnsembleDetector, KNNDetector, load, Rng } from '../../src/index.js';

const rng = new Rng(7);
const n = 120;
const cols = {
  a: Array.from({ length: n }, () => rng.normal()),
  b: Array.from({ length: n }, () => rng.normal()),
  c: Array.from({ length: n }, () => rng.normal()),
};
const train = Dataset.from(cols);
const test = Dataset.from({ a: [0, 3, -8], b: [0, 3, 1], c: [0, -3, 0] });

/** Brute force: sorted distances from a row to every training row (skipping `self`). */
function dists(row: number[], self: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i === self) continue;
    out.push(Math.hypot(row[0]! - cols.a[i]!, row[1]! - cols.b[i]!, row[2]! - cols.c[i]!));
  }
  return out.sort((x, y) => x - y);
}
const reduce = (d: number[], k: number, method: string): number => {
  const top = d.slice(0, k);
  if (method === 'largest') return top[k - 1]!;
  if (method === 'mean') return top.reduce((s, v) => s + v, 0) / k;
  return k % 2 ? top[(k - 1) / 2]! : (top[k / 2 - 1]! + top[k / 2]!) / 2;
};

describe('KNNDetector', () => {
  it('scores new rows and training rows (leave-self-out) with the brute-force k-NN distance, for each method', async () => {
    for (const method of ['largest', 'mean', 'median'] as const) {
      for (const k of [1, 4, 5]) {
        const f = await new KNNDetector({ nNeighbors: k, method }).fit(train);
        const s = f.score(test);
        [
          [0, 0, 0],
          [3, 3, -3],
          [-8, 1, 0],
        ].forEach((row, i) => expect(s[i]).toBeCloseTo(reduce(dists(row, -1), k, method), 12));
        for (const i of [0, 17, 119]) expect(f.trainingScores[i]).toBeCloseTo(reduce(dists([cols.a[i]!, cols.b[i]!, cols.c[i]!], i), k, method), 12);
      }
    }
  });

  it('caps k at n - 1, serialises, and ranks far rows highest', async () => {
    const small = Dataset.from({ x: [0, 1, 2, 10] });
    const f = await new KNNDetector({ nNeighbors: 50 }).fit(small);
    expect(f.k).toBe(3);
    const g = await new KNNDetector().fit(train);
    const again = load<typeof g>(JSON.parse(JSON.stringify(g.toJSON())));
    expect(Array.from(again.score(test))).toEqual(Array.from(g.score(test)));
    const s = g.score(test);
    expect(s[2]).toBeGreaterThan(s[1] as number);
    expect(s[1]).toBeGreaterThan(s[0] as number);
  });
});

describe('EnsembleDetector aggregation', () => {
  it("'max' is the largest member percentile plus 1e-3 x their mean; 'mean' is their mean", async () => {
    for (const aggregate of ['max', 'mean'] as const) {
      const f = await new EnsembleDetector({ aggregate, seed: 3 }).fit(train);
      const raw = f.memberScores(test);
      const s = f.score(test);
      for (let i = 0; i < test.nrows; i++) {
        const v = raw.map((r, k) => f.normalise(k, r[i] as number));
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        expect(s[i]).toBeCloseTo(aggregate === 'max' ? Math.max(...v) + 1e-3 * mean : mean, 12);
      }
      expect(f.params.members).toEqual(['isolationForest', 'ellipticEnvelope', 'knn']);
    }
  });
});
