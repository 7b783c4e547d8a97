import { readFileSync } from 'node:fs';
import { parse } from '../../src/query/index.js';
import { tableToDataset } from '../nlq.bench.js';

const ids = process.argv.slice(2);
for (const f of ['public.jsonl', 'public_wild.jsonl']) {
  for (const l of readFileSync(`/work/shared/data/nlq/${f}`, 'utf8').split('\n')) {
    if (!l) continue;
    const it = JSON.parse(l);
    if (!ids.includes(it.id)) continue;
    const ds = tableToDataset(it.table);
    console.log(it.question, ds.schema.fields.map((f) => `${f.name}:${f.kind}`).join(', '));
    try {
      const r = parse(it.question, ds);
      console.log(JSON.stringify(r.plan), r.unknownWords);
    } catch (e) {
      console.log(e);
    }
  }
}
