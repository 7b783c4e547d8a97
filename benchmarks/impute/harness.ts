/**
 * Imputation quality harness: hides 10/20/30% of the observed cells of five complete real tables
 * (MCAR and MAR conditioned on a driver column), imputes them with tessera's imputers and with
 * scikit-learn's on the SAME masks (benchmarks/reference/impute.py), and scores NRMSE for numbers
 * and accuracy for categories. Then runs the imputers on four tables with real gaps.
 *
 *   npx tsx benchmarks/impute/harness.ts            # tessera + sklearn, prints markdown
 *   npx tsx benchmarks/impute/harness.ts --no-python
 *   npx tsx benchmarks/impute/harness.ts --vae     # also tessera/nn's VAEImputer on the 20% masks (slow)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { type Dataset, IterativeImputer, KNNImputer, SimpleImputer } from '../../src/index.js';
import { VAEImputer } from '../../src/nn/index.js';
import { applyMask, makeMask, scoreImputation } from './masks.js';
import { evalSets, realGapSets } from './sets.js';

export const RATES = [0.1, 0.2, 0.3] as const;
export const MECHANISMS = ['MCAR', 'MAR'] as const;
type Score = { nrmse: number | null; accuracy: number | null };

/** tessera imputers compared in the harness (name → fit+transform). */
export const IMPUTERS: Record<string, (ds: Dataset) => Promise<Dataset>> = {
  simple: async (ds) => (await new SimpleImputer({ roundIntegers: false }).fit(ds)).transform(ds),
  knn: async (ds) => (await new KNNImputer({ roundIntegers: false }).fit(ds)).transform(ds),
  iterative: async (ds) => (await new IterativeImputer({ roundIntegers: false }).fit(ds)).transform(ds),
};

/** Seed of a set's mask. */
export function maskSeed(setIndex: number, rate: number, mech: string): number {
  return setIndex * 1000 + Math.round(rate * 100) * 10 + (mech === 'MAR' ? 1 : 0);
}

async function main(): Promise<void> {
  const usePython = !process.argv.includes('--no-python');
  const useVae = process.argv.includes('--vae');
  const sets = evalSets();
  const payload: unknown[] = [];
  const ours: Record<string, Record<string, Score>[]> = {};
  for (const [si, set] of sets.entries()) {
    const cols = set.ds.toColumns();
    const masks = [];
    ours[set.name] = [];
    for (const rate of RATES) {
      for (const mech of MECHANISMS) {
        const mask = makeMask(set, rate, mech, maskSeed(si, rate, mech));
        masks.push(mask);
        const holed = applyMask(set.ds, mask);
        const row: Record<string, Score> = {};
        for (const [name, run] of Object.entries(IMPUTERS)) row[name] = scoreImputation(set, mask, await run(holed));
        if (useVae && rate === 0.2) {
          const fitted = await new VAEImputer({ epochs: 100, seed: 0, roundIntegers: false }).fit(holed);
          row.vae = scoreImputation(set, mask, fitted.transform(holed));
        }
        ours[set.name]?.push(row);
      }
    }
    payload.push({ name: set.name, numeric: set.numeric, categorical: set.categorical, columns: cols, masks });
  }
  let ref: { sklearn: string; sets: Record<string, Record<string, Score>[]> } | undefined;
  if (usePython) {
    writeFileSync('/tmp/tessera-impute-masks.json', JSON.stringify({ sets: payload }));
    const out = new URL('../reference/impute.json', import.meta.url).pathname;
    execFileSync('/usr/bin/python3', [new URL('../reference/impute.py', import.meta.url).pathname, 'quality', '/tmp/tessera-impute-masks.json', out], {
      stdio: 'inherit',
    });
    ref = JSON.parse(readFileSync(out, 'utf8'));
  }
  const f = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '-' : v.toFixed(3));
  console.log(`| set | mask | tessera simple | tessera KNN | tessera MICE | tessera VAE | sklearn simple | sklearn KNN | sklearn MICE |`);
  console.log('|---|---|---|---|---|---|---|---|---|');
  const sums: Record<string, { nr: number; nn: number; acc: number; na: number }> = {};
  const add = (k: string, s: Score | undefined) => {
    sums[k] ??= { nr: 0, nn: 0, acc: 0, na: 0 };
    const t = sums[k];
    if (s?.nrmse != null && !Number.isNaN(s.nrmse)) {
      t.nr += s.nrmse;
      t.nn++;
    }
    if (s?.accuracy != null && !Number.isNaN(s.accuracy)) {
      t.acc += s.accuracy;
      t.na++;
    }
  };
  for (const set of sets) {
    let k = 0;
    for (const rate of RATES) {
      for (const mech of MECHANISMS) {
        const o = ours[set.name]?.[k] ?? {};
        const r = ref?.sets[set.name]?.[k] ?? {};
        k++;
        const cell = (s: Score | undefined) =>
          `${f(s?.nrmse)}${s?.accuracy != null && !Number.isNaN(s.accuracy) ? ` / ${(100 * s.accuracy).toFixed(1)}%` : ''}`;
        for (const n of ['simple', 'knn', 'iterative']) {
          add(`t-${n}`, o[n]);
          add(`s-${n}`, r[n]);
          if (o.vae) add(`v-${n}`, r[n]);
          if (o.vae) add(`vt-${n}`, o[n]);
        }
        add('t-vae', o.vae);
        console.log(
          `| ${set.name} | ${mech} ${rate * 100}% | ${cell(o.simple)} | ${cell(o.knn)} | ${cell(o.iterative)} | ${o.vae ? cell(o.vae) : '-'} | ${cell(r.simple)} | ${cell(r.knn)} | ${cell(r.iterative)} |`,
        );
      }
    }
  }
  const avg = (k: string) => {
    const t = sums[k];
    return t ? `${(t.nr / Math.max(1, t.nn)).toFixed(3)} / ${((100 * t.acc) / Math.max(1, t.na)).toFixed(1)}%` : '-';
  };
  console.log(
    `| **mean** | all | ${avg('t-simple')} | ${avg('t-knn')} | ${avg('t-iterative')} | - | ${avg('s-simple')} | ${avg('s-knn')} | ${avg('s-iterative')} |`,
  );
  if (useVae) {
    console.log(
      `| **mean** | 20% masks only | ${avg('vt-simple')} | ${avg('vt-knn')} | ${avg('vt-iterative')} | ${avg('t-vae')} | ${avg('v-simple')} | ${avg('v-knn')} | ${avg('v-iterative')} |`,
    );
  }
  console.log('\nReal gaps (cells filled by each imputer, all gaps filled):');
  for (const { name, ds } of realGapSets()) {
    const parts: string[] = [];
    for (const [iname, make] of [
      ['simple', () => new SimpleImputer()],
      ['knn', () => new KNNImputer()],
      ['iterative', () => new IterativeImputer()],
    ] as const) {
      const t0 = performance.now();
      const fitted = await make().fit(ds);
      const { data, report } = fitted.transformWithReport(ds);
      const left = fitted.inputColumns.reduce((a, c) => a + (data.toColumns()[c] ?? []).filter((v) => v === null).length, 0);
      parts.push(`${iname} ${report.total} filled, ${left} left, ${(performance.now() - t0).toFixed(0)} ms`);
    }
    console.log(`- ${name} (${ds.nrows} x ${ds.ncols}): ${parts.join('; ')}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
