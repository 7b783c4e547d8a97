import { describe, expect, it } from 'vitest';
import { AgglomerativeClustering } from '../../src/index.js';
import { HAS_DATA, reference, scaledSet } from './data.js';

/** The leaf set formed by each merge, as sorted comma-joined strings. */
function mergedClusters(children: number[], n: number): string[] {
  const members: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const out: string[] = [];
  for (let i = 0; i < children.length / 2; i++) {
    const m = [...(members[children[2 * i] as number] as number[]), ...(members[children[2 * i + 1] as number] as number[])].sort((x, y) => x - y);
    members.push(m);
    out.push(m.join(','));
  }
  return out;
}

describe.skipIf(!HAS_DATA)('AgglomerativeClustering matches scikit-learn on the shared data (needs ../shared/data)', () => {
  const ref = HAS_DATA ? reference() : { sets: {} as ReturnType<typeof reference>['sets'] };
  for (const [name, r] of Object.entries(ref.sets)) {
    it(`${name}: identical labels, merge tree and distances for each linkage, and a distance threshold`, async () => {
      const { ds } = scaledSet(name, r.columns);
      for (const linkage of ['ward', 'complete', 'average', 'single'] as const) {
        const a = r.agglomerative[linkage] as { labels: number[]; children: [number, number][]; distances: number[] };
        const fitted = await new AgglomerativeClustering({ nClusters: r.k, linkage }).fit(ds);
        expect(Array.from(fitted.labels), linkage).toEqual(a.labels);
        // the same merges: merges at mathematically equal heights (duplicate rows, distances equal
        // up to 1e-16 rounding) may come in another order, so compare the clusters each merge forms
        // (for single linkage, tied heights may even pick other spanning-tree edges), so compare the
        // clusters formed by the merges whose height is not tied with another merge
        const untied = (i: number): boolean =>
          !(Math.abs((a.distances[i] as number) - (a.distances[i - 1] ?? Number.NEGATIVE_INFINITY)) < 1e-12) &&
          !(Math.abs((a.distances[i] as number) - (a.distances[i + 1] ?? Number.POSITIVE_INFINITY)) < 1e-12);
        const ours = new Set(mergedClusters(Array.from(fitted.children), ds.nrows));
        const theirs = mergedClusters(a.children.flat(), ds.nrows).filter((_, i) => untied(i));
        expect(theirs.length / a.distances.length).toBeGreaterThan(0.3); // iris is measured to 0.1 cm: many equal distances
        for (const c of theirs) expect(ours.has(c), `${linkage} merge ${c}`).toBe(true);
        a.distances.forEach((v, i) => expect(Math.abs((fitted.distances[i] as number) - v)).toBeLessThan(1e-9));
      }
      const t = r.agglomerative_threshold;
      const cut = await new AgglomerativeClustering({ distanceThreshold: t.threshold, linkage: 'ward' }).fit(ds);
      expect(cut.nClusters).toBe(t.n_clusters);
      expect(Array.from(cut.labels)).toEqual(t.labels);
    });
  }
});
