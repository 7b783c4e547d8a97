/**
 * tessera I/O on real data that installs with the project: read vega-datasets' seattle-weather.csv,
 * write and read it back as Arrow IPC and NDJSON, stream it in chunks, and show a bad-row report.
 * Run: `npx tsx examples/io.ts`.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Dataset, parseCSV, readArrow, readNDJSON, writeArrow, writeCSV, writeNDJSON } from '../src/index.js';
import { readCSVFile, streamCSVFile, writeArrowFile, writeNDJSONFile } from '../src/node/index.js';

const vegaData = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'vega-datasets', 'data');
const file = join(vegaData, 'seattle-weather.csv');

// 1. Read a CSV file: delimiter detected, kinds inferred (the date column becomes a datetime).
const weather = await readCSVFile(file, { roles: { date: 'time' } });
console.log(`Read ${weather.nrows} rows from ${file}`);
for (const f of weather.schema.fields) console.log(`  ${f.name.padEnd(14)} ${f.kind.padEnd(9)} ${f.role ?? ''}`);

// 2. Arrow IPC and NDJSON round trips (in memory and on disk): the same Dataset comes back.
const same = (a: Dataset, b: Dataset): boolean => JSON.stringify(a.toRows()) === JSON.stringify(b.toRows());
const arrow = writeArrow(weather);
const fromArrow = readArrow(arrow);
console.log(
  `\nArrow: ${arrow.length} bytes; kinds and roles kept: ${JSON.stringify(fromArrow.schema.toJSON()) === JSON.stringify(weather.schema.toJSON())}; same rows: ${same(fromArrow, weather)}`,
);
const ndjson = writeNDJSON(weather);
const schema = Object.fromEntries(weather.schema.fields.map((f) => [f.name, { kind: f.kind }]));
console.log(`NDJSON: ${ndjson.length} characters; same rows: ${same(readNDJSON(ndjson, { schema }), weather)}`);
const out = mkdtempSync(join(tmpdir(), 'tessera-io-example-'));
await writeArrowFile(join(out, 'weather.arrow'), weather);
await writeNDJSONFile(join(out, 'weather.ndjson'), weather);
console.log(`Wrote ${join(out, 'weather.arrow')} and weather.ndjson`);

// 3. Stream the file in chunks of 500 rows (bounded memory), e.g. to aggregate a big file.
let rainy = 0;
let rows = 0;
for await (const chunk of streamCSVFile(file, { chunkSize: 500 })) {
  const w = chunk.column('weather');
  if (w.kind === 'category') for (const code of w.codes) if (w.dictionary[code] === 'rain') rainy++;
  rows += chunk.nrows;
}
console.log(`\nStreamed ${rows} rows in chunks of 500: ${rainy} rainy days`);

// 4. Bad rows are never silently lost: skip them and get a report with line numbers.
const broken = `${readFileSync(file, 'utf8').split('\n').slice(0, 4).join('\n')}\n2012-01-04,20.3,12.2\n2012-01-05,"1.3,8.9,2.8,6.1,rain\n`;
const { dataset, report } = parseCSV(broken, { onBadRow: 'skip' });
console.log(`\nBroken file: read ${dataset.nrows} rows, skipped ${report.badRows.length}:`);
for (const b of report.badRows) console.log(`  line ${b.line}, column ${b.col}: ${b.reason}`);
console.log(`\nFirst rows written back as CSV:\n${writeCSV(weather.head(3))}`);
