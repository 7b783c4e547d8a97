/**
 * Find unusual rows in a table, explain them, and alert. Run: `npx tsx examples/anomalies.ts`.
 */
import {
  AlertManager,
  callbackSink,
  consoleSink,
  Dataset,
  EllipticEnvelope,
  EnsembleDetector,
  HistGradientBoostingClassifier,
  IsolationForest,
  load,
  RelativeEntropyDetector,
  Rng,
  RollingMAD,
  SupervisedDetector,
  scoreAbove,
  scoreStream,
} from '../src/index.js';

const rng = new Rng(7);
const rows = Array.from({ length: 500 }, () => {
  const amount = Math.exp(3 + 0.5 * rng.normal());
  return { amount, items: Math.max(1, Math.round(amount / 8 + rng.normal())), hour: Math.floor(rng.uniform(8, 22)) };
});
rows.push({ amount: 40, items: 25, hour: 3 }, { amount: 900, items: 2, hour: 14 });
const ds = Dataset.from(rows);

const forest = await new IsolationForest({ contamination: 0.01, seed: 1 }).fit(ds);
const scores = forest.score(ds);
const top = Array.from(scores, (s, i) => [s, i] as const)
  .sort((a, b) => b[0] - a[0])
  .slice(0, 3);
for (const [s, i] of top) {
  const e = forest.explain(ds, i);
  console.log(
    `row ${i} score ${s.toFixed(3)}: most responsible ${e.contributions
      .slice(0, 2)
      .map((c) => `${c.column}=${c.value.toFixed(1)}`)
      .join(', ')}`,
  );
}

// the default detector: isolation, correlation structure and kNN distance, each member's percentile, max
const ensemble = await new EnsembleDetector({ seed: 1 }).fit(ds);
const es = ensemble.score(ds);
console.log(
  `ensemble: rows 500 and 501 score ${(es[500] as number).toFixed(3)} and ${(es[501] as number).toFixed(3)} (median row ${[...es].sort((a, b) => a - b)[250]?.toFixed(3)})`,
);

const mah = await new EllipticEnvelope({ seed: 1 }).fit(ds);
console.log(
  'Mahalanobis breakdown of row 500:',
  mah
    .explain(ds, 500)
    .contributions.map((c) => `${c.column} ${c.contribution.toFixed(1)}`)
    .join(', '),
);

const alerts = new AlertManager({
  rules: [scoreAbove(forest.threshold, { severity: 'critical' })],
  sinks: [consoleSink(), callbackSink(() => undefined)],
  cooldownMs: 0,
});
for (let i = 0; i < ds.nrows; i++) await alerts.process({ row: i, score: scores[i] as number, record: ds.row(i), explanation: forest.explain(ds, i) });
await alerts.flush();
console.log(`${alerts.fired} alerts`);

// streaming: a sensor with a spike
async function* sensor(): AsyncGenerator<{ t: number; value: number }> {
  for (let t = 0; t < 300; t++) yield { t, value: 20 + Math.sin(t / 10) + (t === 250 ? 8 : 0) };
}
for await (const r of scoreStream(new RollingMAD({ window: 60 }), sensor()))
  if (r.score > 6) console.log(`stream point ${r.index}: robust z ${r.score.toFixed(1)}`);

// a regime change (the level jumps): the relative-entropy detector's score passes 1 when a window's
// value distribution is unlike every regime seen before
const regimes = new RelativeEntropyDetector({ window: 30, range: [0, 40] });
let firstNew = -1;
for (let t = 0; t < 400; t++) {
  const s = regimes.update((t < 300 ? 10 : 25) + 2 * Math.sin(t / 5));
  if (t > 30 && s >= 1 && firstNew < 0) firstNew = t;
}
console.log(`relative entropy: new regime detected at point ${firstNew} (the level changed at 300)`);

// a streaming detector's running state survives a restart: save it, restore it, carry on
const live = new RollingMAD({ window: 60 });
for (let t = 0; t < 200; t++) live.update(20 + Math.sin(t / 10));
const restored = load<RollingMAD>(JSON.parse(JSON.stringify(live.toJSON())));
console.log(`restored detector: next score ${restored.update(28).toFixed(1)} (original ${live.update(28).toFixed(1)})`);

// supervised: when past investigations labelled rows (here: amounts above 45), learn them
const labelled = ds.withColumn(
  'fraud',
  rows.map((r) => r.amount > 45),
  'boolean',
);
const sup = await new SupervisedDetector({ model: new HistGradientBoostingClassifier({ maxIter: 30 }), threshold: 'f1' }).fit(labelled, {
  target: 'fraud',
});
console.log(`supervised: threshold ${sup.threshold.toFixed(3)}, flagged ${sup.predict(ds).filter(Boolean).length} rows`);
