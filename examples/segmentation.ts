/**
 * Customer segmentation end to end on the shared wholesale-customers data (440 clients of a
 * Portuguese wholesale distributor, annual spending on six product groups):
 * encode → log-scale and standardise → choose k → cluster → profile → Vega-Lite plots.
 *
 * Run from the project root: `npx tsx examples/segmentation.ts` (needs ../shared/data).
 * Writes two Vega-Lite specs to the OS temp folder; open them at https://vega.github.io/editor.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adjustedRandIndex, chooseK, Dataset, KMeans, OneHotEncoder, PCA, profileSegments, readCSV, StandardScaler, silhouetteScore } from '../src/index.js';

const file = new URL('../../shared/data/tabular/wholesale-customers/data.csv', import.meta.url);
const raw = readCSV(readFileSync(file, 'utf8'));
const spend = ['Fresh', 'Milk', 'Grocery', 'Frozen', 'Detergents_Paper', 'Delicassen'];

// Region (1 Lisbon, 2 Oporto, 3 other) is a category, not a number: make it one, then one-hot encode
// it. Channel (1 Horeca, 2 Retail) is kept aside as an external label to judge the segments by.
const regionNames: Record<number, string> = { 1: 'Lisbon', 2: 'Oporto', 3: 'Other' };
const channel = Array.from(raw.matrix(['Channel']), (c) => (c === 1 ? 'Horeca' : 'Retail'));
const customers = raw
  .drop(['Region', 'Channel'])
  .withColumn(
    'Region',
    Array.from(raw.matrix(['Region']), (r) => regionNames[r] ?? 'Other'),
    'category',
  )
  .withColumn('Channel', channel, 'category')
  .withRoles({ Channel: 'target' });

// Spending is heavily skewed (a few very large clients): log, then standardise (the MANIFEST advises the log).
let logged = customers;
for (const c of spend)
  logged = logged.withColumn(
    c,
    logged.matrix([c]).map((v) => Math.log1p(v)),
  );
const encoded = (await new OneHotEncoder({ columns: ['Region'] }).fit(logged)).transform(logged);
const scaled = (await new StandardScaler().fit(encoded)).transform(encoded);
const features = scaled.select(spend); // segment on behaviour (spending); region is described, not clustered

// Choose k by silhouette (and look at the elbow).
const choice = await chooseK(features, { kMin: 2, kMax: 8, nInit: 10, seed: 0 });
console.log('k   inertia   silhouette');
for (const s of choice.scores) console.log(`${String(s.k).padEnd(3)} ${s.inertia.toFixed(1).padStart(8)}   ${s.silhouette.toFixed(3)}`);
console.log(`silhouette picks k = ${choice.bySilhouette}, the elbow picks k = ${choice.byElbow}`);

const k = choice.bySilhouette;
const model = await new KMeans({ k, nInit: 10, seed: 0 }).fit(features);
console.log(`\nKMeans k=${k}: inertia ${model.inertia.toFixed(1)}, silhouette ${silhouetteScore(features, model.labels).toFixed(3)}`);
console.log(`agreement with the Horeca/Retail channel (ARI): ${adjustedRandIndex(channel, model.labels).toFixed(3)}`);

// Profile in original units (monetary units per year), with region and channel shares.
const profile = profileSegments(customers.withRoles({ Channel: null }), model.labels, { topFeatures: 4 });
for (const s of profile.segments) {
  console.log(`\nsegment ${s.label}: ${s.size} customers (${(s.share * 100).toFixed(0)}%)`);
  console.log(`  mean spend: ${spend.map((c) => `${c} ${Math.round(s.centre[c] as number)}`).join(', ')}`);
  console.log(`  retail share: ${((s.categories.Channel?.Retail ?? 0) * 100).toFixed(0)}%`);
  console.log(
    `  sets it apart: ${s.features.map((f) => (f.kind === 'numeric' ? `${f.column} ${f.score >= 0 ? '+' : ''}${f.score.toFixed(2)} sd` : `${f.column}=${f.level} ${f.score >= 0 ? '+' : ''}${(f.score * 100).toFixed(0)} pts`)).join('; ')}`,
  );
}

// The segments on the first two principal components of the scaled spending, and the contrast heatmap.
const pca = await new PCA({ nComponents: 2 }).fit(features);
console.log(
  `\nPCA: the first two components explain ${(100 * ((pca.explainedVarianceRatio[0] ?? 0) + (pca.explainedVarianceRatio[1] ?? 0))).toFixed(0)}% of the variance`,
);
const onPca = profileSegments(customers.select(spend), model.labels, { axes: { embedding: pca.scores(features), names: ['PC1', 'PC2'] } });
const out = join(tmpdir(), 'tessera-segmentation');
writeFileSync(`${out}-scatter.vl.json`, JSON.stringify(onPca.specs.scatter, null, 1));
writeFileSync(`${out}-contrast.vl.json`, JSON.stringify(profile.specs.contrast, null, 1));
console.log(`Vega-Lite specs written to ${out}-scatter.vl.json and ${out}-contrast.vl.json`);
console.log(
  Dataset.from(profile.table)
    .toRows()
    .map((r) => `${r.segment}: ${r.top_features}`)
    .join('\n'),
);
