/**
 * Data quality in one script: profile, suggest a check suite, run it (in memory and as SQL text),
 * validate with zod, compare two periods for drift, clean and deduplicate.
 *
 *   npx tsx examples/quality.ts
 */
import { z } from 'zod';
import {
  checksToSQL,
  compareDatasets,
  Dataset,
  FuzzyDedup,
  MissingTokens,
  profile,
  profileToHTML,
  runChecks,
  suggestChecks,
  TextCleaner,
  validate,
} from '../src/index.js';

const orders = Dataset.from(
  Array.from({ length: 200 }, (_, i) => ({
    id: i + 1,
    customer: ['Ann Lee', 'Bo Park', 'Cy Diaz', 'Di Evans'][i % 4],
    status: ['paid', 'open', 'paid', 'refunded', 'paid'][i % 5],
    total: Math.round(((i * 37) % 500) + 10),
    placed: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
  })),
);

// 1. Profile (JSON and a self-contained HTML page)
const p = profile(orders);
console.log('total:', p.columns.find((c) => c.name === 'total')?.numeric?.quantiles);
console.log('HTML report:', profileToHTML(p, { title: 'orders' }).length, 'characters, no network');

// 2. Suggest a suite from known-good data; it is plain JSON a user can edit and save
const suite = suggestChecks(orders);
suite.checks.push({ type: 'matchesPattern', column: 'status', pattern: '[a-z]+', severity: 'warning' });
// a row missing its customer or status; `mostly` tolerates a share of failing rows (here 1 in 3,
// rounded up: 1 row of 3), `allowFailing` a number of them whatever the size
suite.checks.push({ type: 'complete', columns: ['customer', 'status'], mostly: 0.67, severity: 'error' });
console.log('suggested checks:', suite.checks.length, '- by severity:', suite.checks.map((c) => c.severity).join(' '));
// where the reference says rare failures are to be expected (cells missing here and there,
// categories seen once, values just beyond the observed range) a suggested check carries a
// `mostly` allowance: failures within it are `info` findings, more fail the report
console.log(
  'with an allowance:',
  suite.checks.filter((c) => 'mostly' in c && c.mostly !== undefined).map((c) => c.name ?? c.type),
);

// 3. Run it on new data
const next = Dataset.from([
  { id: 201, customer: 'Ann Lee', status: 'paid', total: 120, placed: '2024-01-10T00:00:00Z' },
  { id: 201, customer: null, status: 'lost', total: 99_999, placed: '2024-01-10T01:00:00Z' },
  // a total off the reference's resolution (whole numbers): flagged by the suggested step(total)
  { id: 202, customer: 'Bo Park', status: 'open', total: 120.5, placed: '2024-01-10T02:00:00Z' },
]);
const report = runChecks(next, suite);
for (const f of report.findings) console.log(`  ${f.severity} ${f.code} ${f.check}: rows ${JSON.stringify(f.rows)}`);

// ... or where the data lives: the same suite as SQL with bound parameters
const sql = checksToSQL(suite, 'orders', 'postgres');
console.log('first SQL check:', sql[1]?.query?.text, sql[1]?.query?.params);

// 4. Row-level validation with zod, same findings shape
const Row = z.object({ id: z.number().int(), customer: z.string(), status: z.enum(['paid', 'open', 'refunded']), total: z.number().max(10_000) }).loose();
console.log(
  'validate:',
  validate(next, Row).findings.map((f) => `${f.column}:${f.code}`),
);

// 5. Drift between two periods
const drift = compareDatasets(
  orders.slice(0, 100),
  orders.slice(100).withColumn(
    'total',
    orders
      .slice(100)
      .matrix(['total'])
      .map((v) => v * 1.5),
  ),
);
console.log('drift:', drift.drift, drift.drifted);

// 6. Clean and deduplicate
const messy = Dataset.from({ name: [' Ann  Lee', 'ann lee', 'Bo Park', 'N/A', 'Park, Bo'], city: ['Oslo', 'Oslo', 'Rome', 'Rome', 'Rome'] });
const tidy = (await new TextCleaner({ case: 'lower' }).fit(messy)).transform(messy);
const noTokens = (await new MissingTokens().fit(tidy)).transform(tidy);
const dedup = await new FuzzyDedup({
  comparisons: [
    { column: 'name', method: 'fuzzy' },
    { column: 'city', method: 'exact' },
  ],
  blocking: [['name:tokens']],
  threshold: 0.5,
  uSamples: 500,
}).fit(noTokens);
console.log(
  'clusters:',
  dedup.clusters(noTokens).map((c) => c.rows),
);
