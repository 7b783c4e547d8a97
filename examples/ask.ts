/**
 * Ask plain-English questions of a real table (Seattle weather, 2012-2015, from vega-datasets):
 * the parser shows how it understood each question, the answer, and the same plan as SQL.
 *
 *   npx tsx examples/ask.ts
 */
import { readFileSync } from 'node:fs';
import { ask, Dataset, isTesseraError, readCSV } from '../src/index.js';

const csv = readFileSync(new URL('../node_modules/vega-datasets/data/seattle-weather.csv', import.meta.url), 'utf8');
const weather = readCSV(csv);
console.log(`seattle-weather: ${weather.nrows} rows; columns ${weather.schema.fields.map((f) => `${f.name}:${f.kind}`).join(', ')}\n`);

const questions = [
  'how many days had snow',
  'average temp max by weather',
  'which date had the highest precipitation',
  'total precipitation in 2014',
  'median wind for days with temp max over 30',
  'how many days had no rain',
  'how many days were sunny',
  'top 3 dates by wind',
  'what was the weather on december 25, 2015',
  'which weather came after fog',
  'max temp max by year',
  'which weather is the most common',
  'how many days with precipitation between 10 and 20',
  'average precipitation in the last 30 days',
  'xyzzy plugh',
];

for (const q of questions) {
  try {
    const a = ask(weather, q, { now: new Date('2015-12-31T00:00:00Z'), dialect: 'postgres', table: 'weather', rowOrder: 'row_id' });
    const rows = a.result.toRows().slice(0, 5);
    console.log(`Q: ${q}\n   understood as: ${a.restatement} (confidence ${a.confidence})`);
    console.log(`   answer: ${JSON.stringify(rows)}${a.result.nrows > 5 ? ` ... (${a.result.nrows} rows)` : ''}`);
    if (a.sql) console.log(`   SQL: ${a.sql.text}  params=${JSON.stringify(a.sql.params)}`);
    if (a.alternatives[0]) console.log(`   or perhaps: ${a.alternatives[0].restatement} (${a.alternatives[0].confidence})`);
  } catch (e) {
    if (!isTesseraError(e)) throw e;
    console.log(`Q: ${q}\n   ${e.code}: ${e.message}`);
  }
  console.log();
}

/** Asks each question of a small in-memory table and prints the reading, the answer and the DuckDB SQL (cut to `sqlChars`). */
function show(ds: Dataset, table: string, qs: readonly string[], sqlChars = Number.POSITIVE_INFINITY): void {
  for (const q of qs) {
    const a = ask(ds, q, { dialect: 'duckdb', table });
    console.log(`Q: ${q}\n   understood as: ${a.restatement}\n   answer: ${JSON.stringify(a.result.toRows())}`);
    if (a.sql) console.log(`   SQL: ${a.sql.text.slice(0, sqlChars)}  params=${JSON.stringify(a.sql.params)}`);
    console.log();
  }
}

// Tables as people write them: numbers with units, dates as text, one row per entity.
const trails = Dataset.from({
  trail: ['Oak Loop', 'Ridge Path', 'Creek Walk', 'Summit Way'],
  length: ['2 miles', '12.5 miles', '7 miles (est.)', '3 miles'],
  opened: ['5 July 2001', 'March 28, 1991', '1989', 'c. 2010'],
  region: ['North', 'South', 'North', 'South'],
});
show(trails, 'trails', [
  'how many trails are at least 3 miles long?',
  'which trails were opened before 2000?',
  'which trail has the longest length?',
  'which trails are longer than creek walk?',
  'which trail is in the same region as oak loop?',
]);

// Questions answered with a word, spans of years, and tables laid out in blocks.
const season = Dataset.from({
  week: [1, 4, 15, 16],
  opponent: ['Ohio', 'Iowa', 'Utah', 'Iowa'],
  points: [21, 17, 30, 10],
  attendance: [700, 650, 900, 1200],
  coach: ['Ann Lee', 'Ann Lee', 'Bo Kim', 'Bo Kim'],
  tenure: ['1990–2000', '1990–2000', '1995–2011', '1995–2011'],
});
show(season, 'season', [
  'was the attendance in week 4 more or less than 700?',
  'was the total points scored in week 1 more or less than the points scored in week 15?',
  'did iowa play at least 2 games?',
  'was the attendance in week 16 above or below 1000?',
  "how many years was ann lee's tenure?",
  'what is the difference between the highest and lowest attendance?',
]);

// Text that holds dates, lists and numbers grouped by spaces; a yes/no about a name the table lacks.
const fixtures = Dataset.from({
  date: ['October 31, 1959', '7 Nov. 1959', 'November 14, 1959', 'December 5, 1959'],
  opponent: ['Army', 'Duke', 'Rice', 'Navy'],
  broadcasters: ['ABC, NBC', 'NBC', 'NBC Sports, CBS', 'CBS'],
  attendance: ['48 112', '31 920', '52 004', '1 020'],
});
show(
  fixtures,
  'fixtures',
  [
    'how many games were played after october 31, 1959?',
    'how many games had nbc as a broadcaster?',
    'which opponent had the highest attendance?',
    'did notre dame play at least one game?',
  ],
  300,
);
