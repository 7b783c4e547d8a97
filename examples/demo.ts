/**
 * tessera demo on real data that installs with the project (vega-datasets' cars table, 406 cars
 * from the 1970s and 80s). Run: `npm run demo`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dataset, type FittedTransform, load, OneHotEncoder, pipeline, StandardScaler } from '../src/index.js';

// vega-datasets' JS API downloads from a CDN; read the files that ship inside the package instead.
const vegaData = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'vega-datasets', 'data');
const carsPath = join(vegaData, 'cars.json');
const cars = Dataset.from(JSON.parse(readFileSync(carsPath, 'utf8')) as Record<string, unknown>[], {
  roles: { Name: 'id' },
});

console.log(`Loaded ${cars.nrows} cars from ${carsPath}`);
console.log('Schema:');
for (const f of cars.schema.fields) console.log(`  ${f.name.padEnd(18)} ${f.kind.padEnd(9)} ${f.nullable ? 'nullable' : ''} ${f.role ?? ''}`);

// Encode and scale in one pipeline, save it as JSON, load it back: identical output.
const prep = await pipeline([new OneHotEncoder({ columns: ['Origin'] }), new StandardScaler()]).fit(cars);
const json = JSON.stringify(prep.toJSON());
const again = load<FittedTransform>(JSON.parse(json));
const a = prep.transform(cars).matrix(['Horsepower', 'Origin_USA']);
const b = again.transform(cars).matrix(['Horsepower', 'Origin_USA']);
console.log(
  `\nPipeline: ${prep.inputColumns.join(', ')} -> ${prep.transform(cars).ncols} columns; JSON ${json.length} bytes; reload identical: ${a.every((v, i) => Object.is(v, b[i]))}`,
);
console.log(prep.transform(cars).select(['Name', 'Miles_per_Gallon', 'Horsepower', 'Origin_Europe', 'Origin_Japan', 'Origin_USA']).toString(5));
