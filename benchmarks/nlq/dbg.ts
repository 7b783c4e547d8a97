/** Debug helper: prints the question, the table's columns and first rows, and the parser's plan for the given item ids. */
import { readFileSync } from 'node:fs';
import { ask } from '../../src/query/index.js';
import { tableToDataset } from '../nlq.bench.js';

const args = process.argv.slice(2);
const rows = args.includes('--rows') ? Number(args[args.indexOf('--rows') + 1]) : 3;
const ids = args.filter((x, i) => !x.startsWith('--') && args[i - 1] !== '--rows');
for (const f of ['public.jsonl', 'public_wild.jsonl']) {
  for (const l of readFileSync(new URL(`../../../shared/data/nlq/${f}`, import.meta.url), 'utf8').split('\n')) {
    if (!l) continue;
    const it = JSON.parse(l);
    if (!ids.includes(it.id)) continue;
    const ds = tableToDataset(it.table);
    console.log(`## ${it.id}: ${it.question}`);
    console.log(ds.schema.fields.map((f) => `${f.name}:${f.kind}`).join(' | '));
    for (const r of ds.toRows().slice(0, rows)) console.log('  ', JSON.stringify(Object.values(r)));
    try {
      const r = ask(ds, it.question);
      console.log('->', r.restatement, '=', JSON.stringify(r.result.toRows()).slice(0, 200), r.unknownWords);
    } catch (e) {
      console.log(String(e));
    }
  }
}
