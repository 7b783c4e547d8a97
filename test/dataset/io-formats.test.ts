import { tableFromArrays, tableToIPC } from '@uwdata/flechette';
import { describe, expect, it } from 'vitest';
import {
  type BadRow,
  Dataset,
  parseNDJSON,
  readArrow,
  readCSVStream,
  readJSON,
  readNDJSON,
  readNDJSONStream,
  TesseraError,
  writeArrow,
  writeJSON,
  writeNDJSON,
} from '../../src/index.js';

async function rejects(p: Promise<unknown>): Promise<TesseraError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TesseraError) return e;
    throw new Error(`expected a TesseraError, got ${String(e)}`);
  }
  throw new Error('expected a TesseraError');
}

function throws(f: () => unknown): TesseraError {
  try {
    f();
  } catch (e) {
    if (e instanceof TesseraError) return e;
    throw new Error(`expected a TesseraError, got ${String(e)}`);
  }
  throw new Error('expected a TesseraError');
}

async function collect(gen: AsyncGenerator<Dataset>): Promise<Dataset[]> {
  const out: Dataset[] = [];
  for await (const d of gen) out.push(d);
  return out;
}

function webStream(parts: (string | Uint8Array)[]): ReadableStream<string | Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const p of parts) controller.enqueue(p);
      controller.close();
    },
  });
}

describe('JSON', () => {
  it('reads an array of objects with inference; writes missing as null and dates as ISO', () => {
    const ds = readJSON('[{"a": 1, "d": "2024-03-01", "s": "x"}, {"a": null, "d": null, "s": "y", "extra": true}]');
    expect(ds.schema.fields.map((f) => [f.name, f.kind])).toEqual([
      ['a', 'integer'],
      ['d', 'datetime'],
      ['s', 'category'],
      ['extra', 'boolean'],
    ]);
    expect(JSON.parse(writeJSON(ds))).toEqual([
      { a: 1, d: '2024-03-01T00:00:00.000Z', s: 'x', extra: null },
      { a: null, d: null, s: 'y', extra: true },
    ]);
  });

  it('keeps nested values as JSON text and reports them', () => {
    const ds = readJSON('[{"a": {"b": 1}}, {"a": [1, 2]}]');
    expect(ds.toColumns().a).toEqual(['{"b":1}', '[1,2]']);
    expect(ds.coercions.map((c) => c.from)).toEqual(['object']);
    expect(ds.coercions[0]?.count).toBe(2);
  });

  it('refuses invalid JSON and non-arrays with E_PARSE; Infinity with E_NON_FINITE unless nonFinite: null', () => {
    expect(throws(() => readJSON('[{"a": 1},')).code).toBe('E_PARSE');
    expect(throws(() => readJSON('{"a": 1}')).code).toBe('E_PARSE');
    expect(throws(() => readJSON('[1, 2]')).details.row).toBe(0);
    const ds = Dataset.from({ x: [1, Number.POSITIVE_INFINITY] });
    const e = throws(() => writeJSON(ds));
    expect(e.code).toBe('E_NON_FINITE');
    expect(e.details).toMatchObject({ column: 'x', row: 1 });
    expect(writeJSON(ds, { nonFinite: 'null' })).toBe('[{"x":1},{"x":null}]');
  });

  it('__proto__ keys stay ordinary columns', () => {
    const ds = readJSON('[{"__proto__": 1, "constructor": "a"}]');
    expect(ds.columnNames).toEqual(['__proto__', 'constructor']);
    expect(writeJSON(ds)).toBe('[{"__proto__":1,"constructor":"a"}]');
  });
});

describe('NDJSON', () => {
  it('reads lines (CRLF, blank lines) and writes one object per line', () => {
    const ds = readNDJSON('{"a":1,"b":"x"}\r\n\n{"a":2,"b":"y"}');
    expect(ds.toColumns()).toEqual({ a: [1, 2], b: ['x', 'y'] });
    expect(writeNDJSON(ds)).toBe('{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n');
  });

  it('a bad line: E_PARSE with its line, or skipped and reported', () => {
    const text = '{"a":1}\nnot json\n[1]\n{"a":2}\n';
    const e = throws(() => readNDJSON(text));
    expect(e.code).toBe('E_PARSE');
    expect(e.details.line).toBe(2);
    const { dataset, report } = parseNDJSON(text, { onBadRow: 'skip' });
    expect(dataset.toColumns().a).toEqual([1, 2]);
    expect(report.badRows.map((b) => b.line)).toEqual([2, 3]);
    expect(throws(() => readNDJSON(text, { onBadRow: 'skip' as never })).code).toBe('E_OPTION');
  });
});

describe('Arrow IPC', () => {
  it('maps kinds to Arrow types and back, keeping roles', () => {
    const ds = Dataset.from(
      {
        i: [1, null, 3],
        big: [1, 2 ** 40, null],
        x: [0.5, null, -1],
        b: [true, null, false],
        d: [new Date(0), null, new Date(Date.UTC(2024, 0, 1))],
        c: ['a', 'b', null],
        t: ['long text', null, 'more'],
      },
      { schema: { t: { kind: 'text' }, c: { kind: 'category', role: 'target' } } },
    );
    const back = readArrow(writeArrow(ds));
    expect(back.schema.toJSON()).toEqual(ds.schema.toJSON());
    expect(back.toColumns()).toEqual(ds.toColumns());
  });

  it('reads Arrow data written by others (types without tessera metadata)', () => {
    const t = tableFromArrays({ n: [1.5, 2], s: ['a', 'a'], k: [1, 2] });
    const ds = readArrow(tableToIPC(t, { format: 'stream' }) as Uint8Array);
    expect(ds.schema.fields.map((f) => f.kind)).toEqual(['number', 'category', 'integer']);
  });

  it('corrupt bytes: E_PARSE', () => {
    expect(throws(() => readArrow(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))).code).toBe('E_PARSE');
  });
});

describe('streaming', () => {
  const csv = `id,name,score\n${Array.from({ length: 25 }, (_, i) => `${i},"n ${i % 4}\nz",${i % 5 === 0 ? '' : i / 2}`).join('\n')}\n`;

  it('reads a web ReadableStream of bytes split inside multi-byte characters and quoted newlines', async () => {
    const bytes = new TextEncoder().encode(`\uFEFF${csv.replaceAll('z', 'é')}`);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 3) parts.push(bytes.subarray(i, i + 3));
    const chunks = await collect(readCSVStream(webStream(parts), { chunkSize: 10 }));
    expect(chunks.map((c) => c.nrows)).toEqual([10, 10, 5]);
    const all = (chunks[0] as Dataset).concat(...chunks.slice(1));
    expect(all.get(3, 'name')).toBe('n 3\né');
    expect(all.schema.fields.map((f) => f.kind)).toEqual(['integer', 'category', 'number']);
  });

  it('reads a sync iterable of strings; line numbers of bad rows count from the start', async () => {
    const text = 'a,b\n1,2\n3,4\n5\n6,7\n';
    const seen: BadRow[] = [];
    const chunks = await collect(readCSVStream(['a,b\n1,2\n3', ',4\n5\n6,7\n'], { chunkSize: 1, onBadRow: (b) => seen.push(b) }));
    expect(chunks.map((c) => c.toColumns().a)).toEqual([[1], [3], [6]]);
    expect(seen.map((b) => b.line)).toEqual([4]);
    const e = await rejects(collect(readCSVStream([text], { chunkSize: 2 })));
    expect(e.details.line).toBe(4);
  });

  it('keeps the first chunk kinds: integer widens, text/category convert, conflicts read again', async () => {
    const text = 'n,c,z\n1,a,1\n2,a,2\n3.5,long value here,3\n';
    const chunks = await collect(readCSVStream([text], { chunkSize: 2 }));
    expect(chunks[0]?.schema.fields.map((f) => f.kind)).toEqual(['integer', 'category', 'integer']);
    expect(chunks[1]?.schema.fields.map((f) => f.kind)).toEqual(['number', 'category', 'integer']);
    const e = await rejects(collect(readCSVStream(['n,c,z\n1,a,1\n2,a,2\n3,b,x\n'], { chunkSize: 2 })));
    expect(e.code).toBe('E_SCHEMA');
    expect(e.details).toMatchObject({ column: 'z', row: 2 });
    const nulled = await collect(readCSVStream(['n,c,z\n1,a,1\n2,a,2\n3,b,x\n'], { chunkSize: 2, onInvalid: 'null' }));
    expect(nulled[1]?.toColumns().z).toEqual([null]);
    expect(nulled[1]?.coercions).toEqual([expect.objectContaining({ column: 'z', to: 'null', rows: [2] })]);
  });

  it('stream errors: bad encoding (E_ENCODING with the offset), abort, bad source, bad options', async () => {
    const e = await rejects(collect(readCSVStream([new Uint8Array([97, 10, 98, 10]), new Uint8Array([0xff, 10])])));
    expect(e.code).toBe('E_ENCODING');
    expect(e.details.byte).toBe(4);
    const ac = new AbortController();
    ac.abort();
    expect((await rejects(collect(readCSVStream([csv], { signal: ac.signal })))).code).toBe('E_ABORTED');
    expect((await rejects(collect(readCSVStream(42 as never)))).code).toBe('E_TYPE');
    expect((await rejects(collect(readCSVStream([csv], { chunkSize: 0 })))).details.option).toBe('chunkSize');
    const big = (await rejects(collect(readCSVStream(['a\n"', 'x'.repeat(100)], { maxFieldChars: 50 })))).code;
    expect(big).toBe('E_LIMIT');
    expect(await collect(readCSVStream([]))).toEqual([]);
  });

  it('reads lazily: an endless source yields chunks without being read to the end', async () => {
    let pulled = 0;
    async function* endless(header: string, line: (i: number) => string): AsyncGenerator<string> {
      if (header) yield header;
      for (let i = 0; ; i++) {
        pulled++;
        yield line(i);
      }
    }
    const got: number[] = [];
    for await (const chunk of readCSVStream(
      endless('a,b\n', (i) => `${i},x${i % 3}\n`),
      { chunkSize: 100 },
    )) {
      got.push(chunk.nrows);
      if (got.length === 3) break;
    }
    expect(got).toEqual([100, 100, 100]);
    expect(pulled).toBeLessThan(9000); // 64 KiB (about 8,200 rows here) to detect the delimiter, then about a chunk at a time
    pulled = 0;
    const nd: number[] = [];
    for await (const chunk of readNDJSONStream(
      endless('', (i) => `{"a":${i}}\n`),
      { chunkSize: 50 },
    )) {
      nd.push(chunk.nrows);
      if (nd.length === 2) break;
    }
    expect(nd).toEqual([50, 50]);
    expect(pulled).toBeLessThan(200);
  });

  it('NDJSON streams: keys fixed by the first chunk', async () => {
    const chunks = await collect(readNDJSONStream(['{"a":1,"b":"x"}\n{"a":2}', '\n{"a":3,"b":"y"}\n'], { chunkSize: 2 }));
    expect(chunks.map((c) => c.toColumns())).toEqual([
      { a: [1, 2], b: ['x', null] },
      { a: [3], b: ['y'] },
    ]);
    const missingKey = await collect(readNDJSONStream(['{"a":1,"b":"x"}\n{"a":2}\n'], { chunkSize: 1 }));
    expect(missingKey[1]?.toColumns()).toEqual({ a: [2], b: [null] });
    // overrides and roles hold in a chunk that lacks the key
    const withSchema = await collect(
      readNDJSONStream(['{"a":1,"b":"x"}\n{"a":2}\n{"a":3,"b":"y"}\n'], { chunkSize: 1, schema: { b: { kind: 'text', role: 'target' } }, roles: { a: 'id' } }),
    );
    expect(withSchema.map((c) => c.schema.toJSON())).toEqual(
      Array(3)
        .fill([
          { name: 'a', kind: 'integer', nullable: false, role: 'id' },
          { name: 'b', kind: 'text', nullable: false, role: 'target' },
        ])
        .map((f, i) => (i === 1 ? [f[0], { ...f[1], nullable: true }] : f)),
    );
    const e = await rejects(collect(readNDJSONStream(['{"a":1}\n{"a":2,"c":3}\n'], { chunkSize: 1 })));
    expect(e.code).toBe('E_SCHEMA');
    expect(e.details.columns).toEqual(['c']);
  });
});
