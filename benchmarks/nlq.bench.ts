/**
 * Natural-language query benchmark: runs the rule-based parser over WikiTableQuestions items in
 * ../shared/data/nlq (public.jsonl, public_wild.jsonl), writes `{id, answer}` predictions and
 * scores them with ../shared/data/nlq/score.py (execution accuracy). Also times parsing.
 *
 *   npx tsx benchmarks/nlq.bench.ts [--limit N] [--errors public|wild] [--verbose] [--no-guided] [--save PREFIX]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { buildColumn, type CellValue, Dataset } from '../src/dataset/index.js';
import { ask, executePlan, parse, SchemaIndex } from '../src/query/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const dataDir = join(here, '../../shared/data/nlq');

interface Item {
  id: string;
  question: string;
  table: { name: string; columns: { name: string; type: string }[]; rows: unknown[][] };
  answer: unknown[];
}

const GROUPED = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;
const PLAIN = /^-?\d+(\.\d+)?$/;

export function tableToDataset(t: Item['table']): Dataset {
  const names: string[] = [];
  const used = new Set<string>();
  t.columns.forEach((c, j) => {
    let n = c.name.trim() === '' ? `column ${j + 1}` : c.name;
    while (used.has(n)) n = `${n} ${j + 1}`;
    used.add(n);
    names.push(n);
  });
  // built column by column: an object keyed by names would move integer-like names ("2005") first
  const cols = names.map((n, j) => {
    let values: unknown[] = t.rows.map((r) => r[j] ?? null);
    // reading a CSV: numbers written with thousands separators ("7,000") are numbers
    const texts = values.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
    if (texts.length > 0 && texts.some((v) => GROUPED.test(v.trim())) && texts.every((v) => GROUPED.test(v.trim()) || PLAIN.test(v.trim()))) {
      values = values.map((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim().replaceAll(',', '')) : v));
    }
    return buildColumn(n, values, t.columns[j]?.type === 'real' ? 'number' : undefined, { onInvalid: 'null' }).column;
  });
  return Dataset.fromColumnList(cols);
}

function answerOf(ds: Dataset): unknown[] {
  if (ds.ncols === 0) return [];
  const c = ds.columnNames[0] as string;
  const out: unknown[] = [];
  for (let i = 0; i < ds.nrows; i++) {
    const v: CellValue = ds.get(i, c);
    if (v === null) continue;
    out.push(v instanceof Date ? v.toISOString().slice(0, 10) : v);
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function run(file: string, limit: number, guided: boolean) {
  const items = readFileSync(join(dataDir, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, limit)
    .map((l) => JSON.parse(l) as Item);
  const preds: string[] = [];
  const parseMs: number[] = [];
  const fullMs: number[] = [];
  let errors = 0;
  const dsCache = new Map<string, { ds: Dataset; index: SchemaIndex }>();
  for (const it of items) {
    let answer: unknown[] = [];
    try {
      const t0 = performance.now();
      let entry = dsCache.get(it.table.name);
      if (!entry) {
        const ds = tableToDataset(it.table);
        entry = { ds, index: new SchemaIndex(ds) };
        dsCache.set(it.table.name, entry);
      }
      const t1 = performance.now();
      const r = parse(it.question, entry.index, { maxAlternatives: 2 });
      const t2 = performance.now();
      parseMs.push(t2 - t1);
      fullMs.push(t2 - t0);
      answer = answerOf(guided ? ask(entry.ds, it.question, { maxAlternatives: 5 }).result : executePlan(r.plan, entry.ds));
    } catch {
      errors++;
    }
    preds.push(JSON.stringify({ id: it.id, answer }));
  }
  return { items, preds, parseMs, fullMs, errors };
}

function score(file: string, preds: string[], limit: number): { acc: number; out: string; perItem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nlq-'));
  const p = join(dir, 'pred.jsonl');
  const per = join(dir, 'per.jsonl');
  writeFileSync(p, `${preds.join('\n')}\n`);
  // with --limit, score against the same first questions (the scorer counts a missing answer as wrong)
  let gold = join(dataDir, file);
  if (Number.isFinite(limit)) {
    gold = join(dir, 'gold.jsonl');
    const lines = readFileSync(join(dataDir, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    writeFileSync(gold, `${lines.slice(0, limit).join('\n')}\n`);
  }
  const out = execFileSync('/usr/bin/python3', [join(dataDir, 'score.py'), gold, p, '--per-item', per], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: join(here, 'nlq') },
  });
  const m = /execution_accuracy=([0-9.]+)/.exec(out);
  return { acc: m ? Number(m[1]) : Number.NaN, out, perItem: per };
}

function timeLinearity(): { len: number; us: number }[] {
  const ds = Dataset.from({
    player: ['Ann Lee', 'Bo Kim', 'Cy Day', 'Di Fox'],
    country: ['Kenya', 'Chile', 'Kenya', 'Peru'],
    points: [10, 20, 30, 40],
  });
  const index = new SchemaIndex(ds);
  const unit = 'how many points did players from kenya score ';
  const out: { len: number; us: number }[] = [];
  for (const reps of [1, 2, 4, 8, 16]) {
    const q = unit.repeat(reps).slice(0, 1000);
    const ts: number[] = [];
    for (let k = 0; k < 30; k++) {
      const t0 = performance.now();
      try {
        parse(q, index);
      } catch {
        /* long questions may be refused: still timed */
      }
      ts.push(performance.now() - t0);
    }
    out.push({ len: q.length, us: Math.round(median(ts) * 1000) });
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!existsSync(dataDir)) {
    console.log('skipped: ../shared/data/nlq not found');
    process.exit(0);
  }
  const args = process.argv.slice(2);
  const limit = args.includes('--limit') ? Number(args[args.indexOf('--limit') + 1]) : Number.POSITIVE_INFINITY;
  const showErr = args.includes('--errors') ? args[args.indexOf('--errors') + 1] : undefined;
  const lines: string[] = [];
  for (const [label, file] of [
    ['public', 'public.jsonl'],
    ['wild', 'public_wild.jsonl'],
  ] as const) {
    const r = run(file, limit, !args.includes('--no-guided'));
    const s = score(file, r.preds, limit);
    const line = `${label}: n=${r.items.length} execution_accuracy=${s.acc.toFixed(4)} parse median=${median(r.parseMs).toFixed(3)} ms p90=${[...r.parseMs].sort((a, b) => a - b)[Math.floor(r.parseMs.length * 0.9)]?.toFixed(3)} ms (with index build: median ${median(r.fullMs).toFixed(3)} ms) thrown=${r.errors}`;
    console.log(line);
    if (args.includes('--verbose')) console.log(s.out);
    lines.push(line);
    const save = args.includes('--save');
    const per =
      save || showErr === label
        ? readFileSync(s.perItem, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as { id: string; correct: boolean; pred_answer: unknown; gold_answer: unknown })
        : [];
    if (save) {
      // per-item correctness (id and true/false only), to compare two versions of the parser
      writeFileSync(`${args[args.indexOf('--save') + 1]}.${label}.txt`, per.map((p) => `${p.id} ${p.correct ? 1 : 0}`).join('\n'));
    }
    if (showErr === label) {
      const byId = new Map(r.items.map((it) => [it.id, it]));
      for (const p of per) {
        if (p.correct) continue;
        const it = byId.get(p.id) as Item;
        let restatement = '';
        try {
          restatement = parse(it.question, tableToDataset(it.table)).restatement;
        } catch (e) {
          restatement = String(e);
        }
        console.log(
          `${p.id} | ${it.question} | ${restatement} | cols=${it.table.columns.map((c) => c.name).join('; ')} | pred=${JSON.stringify(p.pred_answer).slice(0, 80)}`,
        );
      }
    }
  }
  const lin = timeLinearity();
  console.log('linearity (chars → median µs):', lin.map((x) => `${x.len}→${x.us}`).join(', '));
  console.log(`peak rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
}
