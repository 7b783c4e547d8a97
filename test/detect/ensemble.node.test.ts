/** The default EnsembleDetector on ADBench sets (needs ../shared/data): figures of benchmarks/results/detect.md. */
import { describe, expect, it } from 'vitest';
import { Dataset, EnsembleDetector, IsolationForest, rocAuc } from '../../src/index.js';
import { adbenchSplit, hasShared, readAnomalySet } from './csv.js';

// mean AUCROC over 5 seeds, ADBench protocol (benchmarks/detect.bench.ts quality): IForest, default ensemble
const BENCH: Record<string, [number, number]> = {
  glass: [0.82, 0.814],
  ionosphere: [0.838, 0.894],
  pima: [0.692, 0.7072],
  vowels: [0.734, 0.907],
  wbc: [0.999, 0.991],
  cardio: [0.921, 0.891],
};

describe.skipIf(!hasShared)('default EnsembleDetector on ADBench sets (needs ../shared/data)', () => {
  it('reproduces the benchmark AUCROC per set and beats Isolation Forest on average', async () => {
    const ours: number[] = [];
    const iforest: number[] = [];
    for (const [name, [refIf, refEns]] of Object.entries(BENCH)) {
      const s = readAnomalySet(name);
      const full = Dataset.from(s.columns);
      const a: number[] = [];
      const b: number[] = [];
      for (let seed = 0; seed < 5; seed++) {
        const { train, test } = adbenchSplit(s.label, seed);
        const y = Int32Array.from(test, (i) => s.label[i] as number);
        const tr = full.take(train);
        const te = full.take(test);
        a.push(rocAuc(y, (await new EnsembleDetector({ seed }).fit(tr)).score(te)));
        b.push(rocAuc(y, (await new IsolationForest({ seed }).fit(tr)).score(te)));
      }
      const ens = a.reduce((x, v) => x + v, 0) / 5;
      const itf = b.reduce((x, v) => x + v, 0) / 5;
      expect(ens, name).toBeCloseTo(refEns, 2);
      expect(itf, name).toBeCloseTo(refIf, 2);
      ours.push(ens);
      iforest.push(itf);
    }
    const mean = (v: number[]): number => v.reduce((x, y) => x + y, 0) / v.length;
    expect(mean(ours)).toBeGreaterThan(mean(iforest) + 0.02);
  }, 120_000);
});
