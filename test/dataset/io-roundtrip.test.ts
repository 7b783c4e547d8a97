import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ColumnKind,
  Dataset,
  type FieldOverride,
  parseCSV,
  parseNDJSON,
  readArrow,
  readCSV,
  readCSVStream,
  readJSON,
  readNDJSON,
  readNDJSONStream,
  TesseraError,
  writeArrow,
  writeCSV,
  writeJSON,
  writeNDJSON,
} from '../../src/index.js';

const KINDS: ColumnKind[] = ['number', 'integer', 'boolean', 'datetime', 'category', 'text'];

const awkward = fc.constantFrom(
  ',',
  '"',
  '""',
  '\n',
  '\r\n',
  '\r',
  ';',
  '\t',
  '|',
  'NA',
  'null',
  '',
  ' ',
  ' x ',
  '1',
  '-0',
  '2024-01-01',
  'true',
  'é',
  '😀',
  '__proto__',
);
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  awkward,
  fc.array(awkward, { maxLength: 4 }).map((a) => a.join('')),
);

function valueArb(kind: ColumnKind, json: boolean): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'number':
      return fc
        .oneof(
          fc.double({ noNaN: true, noDefaultInfinity: json }),
          fc.integer({ min: -1000, max: 1000 }).map((x) => x / 8),
          fc.constantFrom(1e21, -1e-7, 5e-324),
        )
        .map((x) => (json && Object.is(x, -0) ? 0 : x));
    case 'integer':
      return fc.oneof(
        fc.integer(),
        fc.maxSafeInteger().map((x) => (json ? x : x)),
      );
    case 'boolean':
      return fc.boolean();
    case 'datetime':
      return fc.integer({ min: -62167219200000, max: 253402300799999 }).map((ms) => new Date(ms));
    default:
      return text;
  }
}

interface Table {
  names: string[];
  kinds: ColumnKind[];
  columns: unknown[][];
}

function tableArb(json = false): fc.Arbitrary<Table> {
  const name = fc.oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).filter((s) => !s.startsWith('\uFEFF')),
    fc.constantFrom('__proto__', 'constructor', 'a,b', 'say "x"', 'toString'),
  );
  return fc
    .record({
      names: fc.uniqueArray(name, { minLength: 1, maxLength: 4 }),
      nrows: fc.integer({ min: 0, max: 25 }),
    })
    .chain(({ names, nrows }) =>
      fc
        .tuple(...names.map(() => fc.constantFrom(...KINDS)))
        .chain((kinds) =>
          fc
            .tuple(...kinds.map((k) => fc.array(fc.option(valueArb(k, json), { freq: 4 }), { minLength: nrows, maxLength: nrows })))
            .map((columns) => ({ names, kinds, columns: columns as unknown[][] })),
        ),
    );
}

function overrides(t: Table): Record<string, FieldOverride> {
  const o: Record<string, FieldOverride> = {};
  t.names.forEach((n, j) => {
    Object.defineProperty(o, n, { value: { kind: t.kinds[j] }, enumerable: true });
  });
  return o;
}

function toDataset(t: Table): Dataset {
  const cols: Record<string, unknown[]> = {};
  t.names.forEach((n, j) => {
    Object.defineProperty(cols, n, { value: t.columns[j], enumerable: true });
  });
  return Dataset.fromColumns(cols, { schema: overrides(t), missingTokens: [] });
}

function same(a: Dataset, b: Dataset): void {
  expect(a.columnNames).toEqual(b.columnNames);
  expect(a.schema.fields.map((f) => f.kind)).toEqual(b.schema.fields.map((f) => f.kind));
  expect(a.nrows).toBe(b.nrows);
  for (const n of a.columnNames) {
    const x = a.column(n);
    const y = b.column(n);
    for (let i = 0; i < a.nrows; i++)
      expect(
        Object.is(a.get(i, n) instanceof Date ? +(a.get(i, n) as Date) : a.get(i, n), b.get(i, n) instanceof Date ? +(b.get(i, n) as Date) : b.get(i, n)),
      ).toBe(true);
    expect(x.length).toBe(y.length);
  }
}

async function* pieces(textValue: string, sizes: number[]): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(textValue);
  let p = 0;
  let k = 0;
  while (p < bytes.length) {
    const n = sizes[k++ % sizes.length] as number;
    yield bytes.subarray(p, p + n);
    p += n;
  }
}

async function collect(gen: AsyncGenerator<Dataset>): Promise<Dataset[]> {
  const out: Dataset[] = [];
  for await (const d of gen) out.push(d);
  return out;
}

describe('round trips (fast-check)', () => {
  it('writeCSV then readCSV returns the same Dataset', () => {
    fc.assert(
      fc.property(tableArb(), (t) => {
        const ds = toDataset(t);
        const csv = writeCSV(ds);
        same(readCSV(csv, { schema: overrides(t) }), ds);
        same(readCSV(csv, { schema: overrides(t), delimiter: ',' }), ds);
        const semi = writeCSV(ds, { delimiter: ';', newline: '\r\n', missing: 'NA' });
        same(readCSV(semi, { schema: overrides(t) }), ds);
      }),
      { numRuns: 150 },
    );
  });

  it('without overrides, CSV gives the kinds Dataset.from infers on the written strings', () => {
    fc.assert(
      fc.property(tableArb(), (t) => {
        const ds = toDataset(t);
        const csv = writeCSV(ds);
        const back = readCSV(csv);
        // the reference: the same strings through Dataset.from (quoted values are never missing)
        const { dataset } = parseCSV(csv, { schema: Object.fromEntries(t.names.map((n) => [n, { kind: 'text' as const }])) });
        const strings: Record<string, unknown[]> = {};
        for (const n of dataset.columnNames) Object.defineProperty(strings, n, { value: dataset.toColumns()[n], enumerable: true });
        const ref = Dataset.fromColumns(strings, { missingTokens: [] });
        same(back, ref);
      }),
      { numRuns: 100 },
    );
  });

  it('JSON and NDJSON round trips', () => {
    fc.assert(
      fc.property(tableArb(true), (t) => {
        const ds = toDataset(t);
        if (ds.nrows === 0) return;
        same(readJSON(writeJSON(ds), { schema: overrides(t), missingTokens: [] }), ds);
        same(readNDJSON(writeNDJSON(ds), { schema: overrides(t), missingTokens: [] }), ds);
      }),
      { numRuns: 100 },
    );
  });

  it('Arrow IPC round trip keeps kinds without overrides', () => {
    fc.assert(
      fc.property(tableArb(), fc.constantFrom('file' as const, 'stream' as const), (t, format) => {
        const ds = toDataset(t).withRoles({ [t.names[0] as string]: 'id' });
        const back = readArrow(writeArrow(ds, { format }), { missingTokens: [] });
        same(back, ds);
        expect(back.role(t.names[0] as string)).toBe('id');
      }),
      { numRuns: 100 },
    );
  });

  it('streaming CSV in chunks equals the one-shot read', async () => {
    await fc.assert(
      fc.asyncProperty(
        tableArb(),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 9 }),
        async (t, sizes, chunkSize) => {
          const ds = toDataset(t);
          const csv = writeCSV(ds, { newline: '\r\n' });
          const one = readCSV(csv, { schema: overrides(t) });
          const chunks = await collect(readCSVStream(pieces(csv, sizes), { chunkSize, schema: overrides(t) }));
          for (const c of chunks.slice(0, -1)) expect(c.nrows).toBe(chunkSize);
          if (one.nrows === 0) expect(chunks).toHaveLength(0);
          else same((chunks[0] as Dataset).concat(...chunks.slice(1)), one);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('streaming NDJSON in chunks equals the one-shot read', async () => {
    await fc.assert(
      fc.asyncProperty(
        tableArb(true),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 9 }),
        async (t, sizes, chunkSize) => {
          const ds = toDataset(t);
          if (ds.nrows === 0) return;
          const nd = writeNDJSON(ds);
          const opts = { schema: overrides(t), missingTokens: [] };
          const one = readNDJSON(nd, opts);
          const chunks = await collect(readNDJSONStream(pieces(nd, sizes), { ...opts, chunkSize }));
          same((chunks[0] as Dataset).concat(...chunks.slice(1)), one);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('parser fuzz (fast-check)', () => {
  const alphabet = fc.constantFrom('a', '1', ',', ';', '"', '\n', '\r', ' ', '.', 'e', '-', 'NA', '\t', '|', 'é');
  const junk = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.array(alphabet, { maxLength: 60 }).map((a) => a.join('')),
  );

  it('random text never fails with anything but a TesseraError', () => {
    fc.assert(
      fc.property(junk, fc.boolean(), (s, skip) => {
        try {
          const r = parseCSV(s, skip ? { onBadRow: 'skip' } : {});
          expect(r.dataset.nrows).toBe(r.report.rows);
        } catch (e) {
          expect(e).toBeInstanceOf(TesseraError);
        }
        try {
          parseNDJSON(s, { onBadRow: skip ? 'skip' : 'error' });
        } catch (e) {
          expect(e).toBeInstanceOf(TesseraError);
        }
        try {
          readJSON(s);
        } catch (e) {
          expect(e).toBeInstanceOf(TesseraError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('random bytes never fail with anything but a TesseraError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (b) => {
        try {
          readCSV(b);
        } catch (e) {
          expect(e).toBeInstanceOf(TesseraError);
        }
        try {
          readArrow(b);
        } catch (e) {
          expect(e).toBeInstanceOf(TesseraError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('streaming random text in random pieces gives the one-shot rows, bad rows and errors', async () => {
    const alpha = fc.constantFrom('a', '1', ',', '"', '\n', '\r', '\r\n', ' ', 'é', ';');
    await fc.assert(
      fc.asyncProperty(
        fc.array(alpha, { maxLength: 80 }).map((a) => a.join('')),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 5 }),
        async (textValue, sizes, chunkSize) => {
          const bad1: number[] = [];
          let one: Dataset | undefined;
          let err1: string | undefined;
          try {
            const first = parseCSV(textValue, { onBadRow: 'skip' });
            const schema = Object.fromEntries(first.dataset.columnNames.map((n) => [n, { kind: 'text' as const }]));
            one = readCSV(textValue, { schema, onBadRow: (b) => bad1.push(b.line) });
          } catch (e) {
            expect(e).toBeInstanceOf(TesseraError);
            err1 = (e as TesseraError).code;
          }
          const bad2: number[] = [];
          let err2: string | undefined;
          const chunks: Dataset[] = [];
          try {
            const schema = one ? Object.fromEntries(one.columnNames.map((n) => [n, { kind: 'text' as const }])) : {};
            for await (const c of readCSVStream(pieces(textValue, sizes), { chunkSize, schema, onBadRow: (b) => bad2.push(b.line) })) chunks.push(c);
          } catch (e) {
            expect(e).toBeInstanceOf(TesseraError);
            err2 = (e as TesseraError).code;
          }
          expect(err2).toBe(err1);
          if (one) {
            expect(bad2).toEqual(bad1);
            const rows = chunks.flatMap((c) => c.toRows());
            expect(rows).toEqual(one.toRows());
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('skipped rows plus read rows account for every record of a ragged file', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 30 }), (widths) => {
        const lines = ['a,b,c', ...widths.map((w, i) => Array.from({ length: w }, (_, k) => String(i * 10 + k)).join(','))];
        const { dataset, report } = parseCSV(`${lines.join('\n')}\n`, { onBadRow: 'skip' });
        expect(dataset.nrows + report.badRows.length).toBe(widths.length);
        expect(report.badRows.map((b) => b.line)).toEqual(widths.flatMap((w, i) => (w === 3 ? [] : [i + 2])));
      }),
      { numRuns: 100 },
    );
  });
});
