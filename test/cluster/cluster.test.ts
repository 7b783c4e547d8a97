import { describe, expect, it } from 'vitest';
import {
  AgglomerativeClustering,
  adjustedRandIndex,
  calinskiHarabaszScore,
  chooseK,
  Dataset,
  DBSCAN,
  daviesBouldinScore,
  isTesseraError,
  KMeans,
  load,
  MiniBatchKMeans,
  normalizedMutualInfo,
  profileSegments,
  Rng,
  silhouetteScore,
} from '../../src/index.js';
import { conformance } from '../conformance.js';

/** Three blobs in 2-D (24 rows), a category feature, a target and an id. */
function blobs(n = 24, seed = 1): Dataset {
  const rng = new Rng(seed);
  const x: number[] = [];
  const y: number[] = [];
  const group: number[] = [];
  for (let i = 0; i < n; i++) {
    const g = i % 3;
    x.push(([0, 10, 0][g] as number) + 0.5 * rng.normal());
    y.push(([0, 0, 10][g] as number) + 0.5 * rng.normal());
    group.push(g);
  }
  return Dataset.from({ x, y, group, id: x.map((_, i) => `c${i}`) }, { roles: { group: 'target', id: 'id' } });
}
const withMissing = () => Dataset.from({ x: [1, null, 3, 4, 5, 6], y: [1, 2, 3, 4, 5, 6] });

conformance({
  name: 'KMeans',
  make: (o) => new KMeans(o),
  baseOptions: { k: 3 },
  data: () => blobs(),
  withMissing,
  badOptions: [{ k: 0 }, { k: 2.5 }, { nInit: 0 }, { algorithm: 'elkan2' }],
});
conformance({
  name: 'MiniBatchKMeans',
  make: (o) => new MiniBatchKMeans(o),
  baseOptions: { k: 3, batchSize: 8 },
  data: () => blobs(),
  withMissing,
  badOptions: [{ k: 0 }, { batchSize: 0 }, { tol: -1 }],
});
conformance({
  name: 'AgglomerativeClustering',
  make: (o) => new AgglomerativeClustering(o),
  baseOptions: { nClusters: 3 },
  data: () => blobs(),
  withMissing,
  badOptions: [{ nClusters: 0 }, { linkage: 'centroid' }, { distanceThreshold: -1 }, { nClusters: 2, distanceThreshold: 1 }],
});
conformance({
  name: 'DBSCAN',
  make: (o) => new DBSCAN(o),
  baseOptions: { eps: 2, minSamples: 3 },
  data: () => blobs(),
  withMissing,
  badOptions: [{ eps: 0 }, { eps: -1 }, { minSamples: 0 }],
});

describe('clustering on separated blobs', () => {
  const ds = blobs(60);
  const truth = ds.column('group').kind === 'number' || ds.column('group').kind === 'integer' ? Array.from(ds.matrix(['group'])) : [];

  it('KMeans, Agglomerative (every linkage) and DBSCAN recover the blobs; the target column is ignored', async () => {
    const km = await new KMeans({ k: 3, nInit: 5 }).fit(ds, { target: 'group' });
    expect(km.inputColumns).toEqual(['x', 'y']);
    expect(adjustedRandIndex(truth, km.labels)).toBe(1);
    expect(Array.from(km.predict(ds))).toEqual(Array.from(km.labels));
    expect(km.centroids.length).toBe(6);
    const dist = km.distances(ds);
    expect(dist.length).toBe(ds.nrows * 3);
    for (const linkage of ['ward', 'complete', 'average', 'single'] as const) {
      const ag = await new AgglomerativeClustering({ nClusters: 3, linkage }).fit(ds);
      expect(adjustedRandIndex(truth, ag.labels), linkage).toBe(1);
      expect(ag.children.length).toBe(2 * (ds.nrows - 1));
      expect(Array.from(ag.cut(3))).toEqual(Array.from(ag.labels));
      expect(ag.linkageMatrix().at(-1)?.[3]).toBe(ds.nrows);
    }
    const db = await new DBSCAN({ eps: 3, minSamples: 4 }).fit(ds);
    expect(db.nClusters).toBe(3);
    expect(adjustedRandIndex(truth, db.labels)).toBe(1);
    const far = Dataset.from({ x: [100, 0.1], y: [100, 0.1] });
    expect(Array.from(db.predict(far))).toEqual([-1, db.labels[0]]);
  });

  it('MiniBatchKMeans learns from chunks with update() without changing the original', async () => {
    const first = await new MiniBatchKMeans({ k: 3, batchSize: 10, seed: 2 }).fit(ds.slice(0, 30));
    const before = Float64Array.from(first.centroids);
    const next = first.update(ds.slice(30));
    expect(Array.from(first.centroids)).toEqual(Array.from(before));
    expect(next.counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(first.counts.reduce((a, b) => a + b, 0));
    expect(adjustedRandIndex(truth, next.predict(ds))).toBe(1);
    const again = load<typeof next>(JSON.parse(JSON.stringify(next.toJSON())));
    expect(Array.from(again.counts)).toEqual(Array.from(next.counts));
  });

  it('metrics agree with hand-computed values', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    expect(normalizedMutualInfo([0, 0, 1, 1], ['a', 'a', 'b', 'b'])).toBeCloseTo(1, 12);
    // sklearn: adjusted_rand_score([0,0,1,1],[0,1,0,1]) = -0.5; NMI = 0
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 12);
    expect(normalizedMutualInfo([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(0, 12);
    const two = Dataset.from({ v: [0, 1, 10, 11] });
    // a = 1, b = 10 (row 0) ... silhouette = mean over rows of 1 - a/b
    expect(silhouetteScore(two, [0, 0, 1, 1])).toBeCloseTo((1 - 1 / 10.5) / 2 + (1 - 1 / 9.5) / 2, 12);
    expect(daviesBouldinScore(two, [0, 0, 1, 1])).toBeCloseTo(0.1, 12);
    expect(calinskiHarabaszScore(two, [0, 0, 1, 1])).toBeCloseTo(200, 10);
    expect(() => silhouetteScore(two, [0, 0, 0, 0])).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
  });

  it('chooseK finds 3 by silhouette and by elbow, with scores per k', async () => {
    const r = await chooseK(ds, { kMax: 6, nInit: 3 });
    expect(r.k).toBe(3);
    expect(r.bySilhouette).toBe(3);
    expect(r.byElbow).toBe(3);
    expect(r.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6]);
  });

  it('profileSegments describes segments in original units with Vega-Lite specs', async () => {
    const raw = ds.withColumn(
      'kind',
      Array.from({ length: ds.nrows }, (_, i) => (i % 3 === 1 ? 'retail' : 'horeca')),
      'category',
    );
    const km = await new KMeans({ k: 3, nInit: 3 }).fit(raw.drop(['kind']));
    const p = profileSegments(raw, km.labels);
    expect(p.segments.length).toBe(3);
    expect(p.segments.reduce((a, s) => a + s.size, 0)).toBe(ds.nrows);
    const retailSeg = p.segments.find((s) => (s.categories.kind?.retail ?? 0) === 1);
    expect(retailSeg?.centre.x).toBeGreaterThan(8);
    expect(retailSeg?.features.some((f) => f.column === 'x' && f.score > 1)).toBe(true);
    expect(p.table.columnNames).toEqual(['segment', 'size', 'share', 'mean_x', 'mean_y', 'top_features']);
    const scatter = p.specs.scatter as { data: { values: unknown[] }; mark: unknown };
    expect(scatter.data.values.length).toBe(ds.nrows);
    const contrast = p.specs.contrast as { data: { values: { z: number | null }[] } };
    expect(contrast.data.values.length).toBe(3 * 2);
    expect(JSON.parse(JSON.stringify(p.specs))).toEqual(p.specs);
    const tsneAxes = profileSegments(raw, km.labels, { axes: { embedding: new Float64Array(2 * ds.nrows), names: ['t1', 't2'] } });
    expect(Object.keys((tsneAxes.specs.scatter as { data: { values: object[] } }).data.values[0] as object)).toEqual(['t1', 't2', 'segment']);
  });
});

describe('bad input', () => {
  const ds = blobs();
  it('k larger than the rows, k = 1, one row', async () => {
    await expect(new KMeans({ k: 30 }).fit(ds)).rejects.toMatchObject({ code: 'E_OPTION', details: { option: 'k' } });
    await expect(new AgglomerativeClustering({ nClusters: 30 }).fit(ds)).rejects.toMatchObject({ code: 'E_OPTION', details: { option: 'nClusters' } });
    const one = await new KMeans({ k: 1 }).fit(ds);
    expect(new Set(one.labels).size).toBe(1);
    const row = ds.slice(0, 1);
    expect(Array.from((await new KMeans({ k: 1 }).fit(row)).labels)).toEqual([0]);
    expect(Array.from((await new AgglomerativeClustering({ nClusters: 1 }).fit(row)).labels)).toEqual([0]);
    expect(Array.from((await new DBSCAN({ minSamples: 1 }).fit(row)).labels)).toEqual([0]);
    expect(Array.from((await new DBSCAN().fit(row)).labels)).toEqual([-1]);
  });

  it('duplicate points and a constant column', async () => {
    const dup = Dataset.from({ a: [1, 1, 1, 1, 1, 1], b: [2, 2, 2, 2, 2, 2] });
    const km = await new KMeans({ k: 3, nInit: 2 }).fit(dup);
    expect(km.inertia).toBe(0);
    for (const v of km.centroids) expect(Number.isFinite(v)).toBe(true);
    const ag = await new AgglomerativeClustering({ nClusters: 2 }).fit(dup);
    expect(new Set(ag.labels).size).toBe(2);
    const db = await new DBSCAN({ eps: 0.1, minSamples: 3 }).fit(dup);
    expect(Array.from(db.labels)).toEqual([0, 0, 0, 0, 0, 0]);
    const constant = ds.withColumn('c', new Float64Array(ds.nrows).fill(7));
    const kc = await new KMeans({ k: 3, nInit: 3 }).fit(constant);
    expect(adjustedRandIndex(kc.labels, (await new KMeans({ k: 3, nInit: 3 }).fit(ds)).labels)).toBe(1);
  });

  it('NaN is refused naming the column and suggesting an imputer', async () => {
    for (const m of [new KMeans({ k: 2 }), new DBSCAN(), new AgglomerativeClustering(), new MiniBatchKMeans({ k: 2 })]) {
      await expect(m.fit(withMissing())).rejects.toSatisfy(
        (e) => isTesseraError(e, 'E_MISSING_VALUES') && e.message.includes('"x"') && /Imputer/.test(e.message),
      );
    }
  });

  it('non-numeric columns are named with an encoder hint', async () => {
    const cat = Dataset.from({ a: [1, 2, 3, 4], region: ['n', 's', 'n', 's'] });
    for (const m of [new KMeans({ k: 2 }), new DBSCAN(), new AgglomerativeClustering()]) {
      await expect(m.fit(cat)).rejects.toSatisfy((e) => isTesseraError(e, 'E_SCHEMA') && e.message.includes('"region"') && /Encoder/.test(e.message));
    }
  });

  it('eps <= 0 is refused at construction', () => {
    expect(() => new DBSCAN({ eps: 0 })).toThrow(expect.objectContaining({ code: 'E_OPTION', details: { option: 'eps' } }));
    expect(() => new DBSCAN({ eps: -0.5 })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
  });

  it('the agglomerative memory guard names maxRows', async () => {
    await expect(new AgglomerativeClustering({ maxRows: 10 }).fit(ds)).rejects.toMatchObject({ code: 'E_LIMIT', details: { option: 'maxRows' } });
    await expect(new AgglomerativeClustering({ maxRows: 10, linkage: 'single', nClusters: 3 }).fit(ds)).resolves.toBeDefined();
  });
});
