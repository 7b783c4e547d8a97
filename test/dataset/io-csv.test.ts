import { describe, expect, it } from 'vitest';
import { type BadRow, csvChunks, Dataset, parseCSV, readCSV, TesseraError, writeCSV } from '../../src/index.js';

function errorOf(f: () => unknown): TesseraError {
  try {
    f();
  } catch (e) {
    if (e instanceof TesseraError) return e;
    throw new Error(`expected a TesseraError, got ${String(e)}`);
  }
  throw new Error('expected a TesseraError, nothing was thrown');
}

function kinds(ds: Dataset): string[] {
  return ds.schema.fields.map((f) => f.kind);
}

describe('readCSV: RFC 4180', () => {
  it('reads quoted fields, doubled quotes, embedded newlines and delimiters', () => {
    const ds = readCSV('a,b\n"x, y","say ""hi"""\n"line1\nline2",plain\n');
    expect(ds.toColumns()).toEqual({ a: ['x, y', 'line1\nline2'], b: ['say "hi"', 'plain'] });
  });

  it('reads CRLF, a BOM, and a last line without a newline', () => {
    const ds = readCSV('\uFEFFa,b\r\n1,2\r\n3,4');
    expect(ds.columnNames).toEqual(['a', 'b']);
    expect(ds.toColumns()).toEqual({ a: [1, 3], b: [2, 4] });
  });

  it('reads bytes (UTF-8 with BOM, multi-byte characters)', () => {
    const bytes = new TextEncoder().encode('\uFEFFname,city\nZoë,Köln\n李,北京\n');
    expect(readCSV(bytes).toColumns()).toEqual({ name: ['Zoë', '李'], city: ['Köln', '北京'] });
    expect(readCSV(bytes.buffer.slice(0) as ArrayBuffer).nrows).toBe(2);
  });

  it('detects the delimiter among , ; tab |', () => {
    expect(parseCSV('a;b;c\n1;2;3\n').report.delimiter).toBe(';');
    expect(parseCSV('a\tb\n1\t2\n').report.delimiter).toBe('\t');
    expect(parseCSV('a|b\n1|2\n').report.delimiter).toBe('|');
    expect(parseCSV('a,b\n"1;2",3\n').report.delimiter).toBe(',');
    expect(readCSV('a;b\n1,5;2\n', { delimiter: ';' }).toColumns()).toEqual({ a: ['1,5'], b: [2] });
  });

  it('header options: false names columns, an array gives names', () => {
    expect(readCSV('1,2\n3,4\n', { header: false }).toColumns()).toEqual({ column1: [1, 3], column2: [2, 4] });
    expect(readCSV('1,2\n3,4\n', { header: ['x', 'y'] }).toColumns()).toEqual({ x: [1, 3], y: [2, 4] });
  });

  it('missing tokens, configurable; quoted tokens are values', () => {
    const ds = readCSV('a,b\n1,NA\n,x\n3,"NA"\n');
    expect(ds.toColumns()).toEqual({ a: [1, null, 3], b: [null, 'x', 'NA'] });
    expect(ds.coercions).toEqual([expect.objectContaining({ column: 'b', from: 'missing-token', to: 'null', count: 1, rows: [0] })]);
    expect(readCSV('a\n-\n1\n', { missingTokens: ['-'] }).toColumns()).toEqual({ a: [null, 1] });
    // tokens that look like numbers or dates are still missing values
    const sentinel = readCSV('a,d\n1,2024-01-01\n-999,1900-01-01\n3,2024-01-02\n', { missingTokens: ['', '-999', '1900-01-01'] });
    expect(sentinel.toColumns()).toEqual({ a: [1, null, 3], d: [new Date('2024-01-01T00:00:00Z'), null, new Date('2024-01-02T00:00:00Z')] });
    expect(sentinel.coercions.map((c) => [c.column, c.count])).toEqual([
      ['a', 1],
      ['d', 1],
    ]);
    expect(readCSV('a,b\n1,"NA"\n', { quotedMissing: true }).get(0, 'b')).toBeNull();
    // a quoted token seen first does not make a later unquoted one a value
    expect(readCSV('b\n"NA"\nNA\nx\n"NA"\n').toColumns().b).toEqual(['NA', null, 'x', 'NA']);
    expect(readCSV('b\n"NA"\nNA\nx\n', { quotedMissing: true }).toColumns().b).toEqual([null, null, 'x']);
  });

  it('a one-column file keeps blank lines as missing values; other files skip them', () => {
    expect(readCSV('a\n1\n\n3\n').toColumns()).toEqual({ a: [1, null, 3] });
    expect(readCSV('a,b\n1,2\n\n3,4\n\n').toColumns()).toEqual({ a: [1, 3], b: [2, 4] });
  });

  it('keeps a quote inside an unquoted field as a character', () => {
    expect(readCSV('h\n5\'11"\n').get(0, 'h')).toBe('5\'11"');
  });
});

describe('readCSV: inference matches Dataset.from on the same strings', () => {
  const cases: Record<string, string[]> = {
    ints: ['1', '-2', '+3', '0', '', '9007199254740991'],
    floats: ['1.5', '-0.25', '1e3', '2.', '.5', 'NA', '1E-7', '123456789.123456789'],
    bigint: ['9007199254740993', '1'],
    leadingZero: ['007', '1', '2'],
    infinity: ['1', 'Infinity', '-inf', '2'],
    bools: ['true', 'FALSE', 'True', ''],
    dates: ['2024-03-01', '2024-02-30', '1969-12-31', '2024-03-01T10:00:00Z', '2024-03-01 10:00', ''],
    mixedNumDate: ['1', '2024-03-01'],
    mixedNumText: ['1', '2', 'x', '3'],
    boolThenText: ['true', 'x'],
    dateThenText: ['2024-01-01', 'nope'],
    allMissing: ['', 'NA', ''],
    category: Array.from({ length: 40 }, (_, i) => `c${i % 5}`),
    text: Array.from({ length: 40 }, (_, i) => `unique value ${i}`),
    spaces: [' 1', '2 '],
    negZero: ['-0', '0'],
    exponents: ['1e400', '-1e-400', '5e-324', '1.7976931348623157e308', '4.35', '0.1', '0.3'],
  };
  for (const [name, values] of Object.entries(cases)) {
    it(name, () => {
      const text = `v\n${values.map((v) => (v === '' ? '' : v)).join('\n')}\n`;
      const fromCsv = readCSV(text);
      const ref = Dataset.from({ v: values });
      expect(kinds(fromCsv)).toEqual(kinds(ref));
      expect(fromCsv.toColumns()).toEqual(ref.toColumns());
    });
  }

  it('numbers parsed without substrings equal Number() on random decimal strings', () => {
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const vals: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const digits = Math.floor(rnd() * 18) + 1;
      let s = String(Math.floor(rnd() * 9) + 1);
      for (let k = 1; k < digits; k++) s += String(Math.floor(rnd() * 10));
      const dot = Math.floor(rnd() * (s.length + 1));
      s = `${s.slice(0, dot)}.${s.slice(dot)}`;
      if (rnd() < 0.3) s += `e${Math.floor(rnd() * 50) - 25}`;
      if (rnd() < 0.5) s = `-${s}`;
      vals.push(s);
    }
    const col = readCSV(`x\n${vals.join('\n')}\n`).column('x');
    expect(col.kind).toBe('number');
    if (col.kind === 'number') vals.forEach((v, i) => expect(Object.is(col.values[i], Number(v))).toBe(true));
  });

  it('a column whose guess fails late is read again (same result as Dataset.from)', () => {
    const vals = [...Array.from({ length: 50 }, (_, i) => String(i)), 'x', '1.0', '007'];
    const ds = readCSV(`a,b\n${vals.map((v, i) => `${v},${i}`).join('\n')}\n`);
    const ref = Dataset.from({ a: vals, b: vals.map((_, i) => String(i)) });
    expect(kinds(ds)).toEqual(kinds(ref));
    expect(ds.toColumns()).toEqual(ref.toColumns());
  });

  it('many distinct strings (beyond maxCategories) give the text column Dataset.from gives', () => {
    const vals = [...Array.from({ length: 3000 }, (_, i) => `name ${i}`), '', 'NA', '12'];
    const ds = readCSV(`a\n${vals.join('\n')}\n`);
    const ref = Dataset.from({ a: vals });
    expect(ds.column('a').kind).toBe('text');
    expect(ds.toColumns()).toEqual(ref.toColumns());
    expect(ds.coercions).toEqual(ref.coercions);
  });

  it('more distinct strings than maxCategories give text', () => {
    const vals = Array.from({ length: 30 }, (_, i) => `v${i % 12}`);
    expect(readCSV(`a\n${vals.join('\n')}`, { maxCategories: 10 }).column('a').kind).toBe('text');
    expect(readCSV(`a\n${vals.join('\n')}`, { maxCategories: 12 }).column('a').kind).toBe('category');
  });
});

describe('readCSV: overrides', () => {
  it('takes tessera overrides and roles', () => {
    const ds = readCSV('zip,amount,churn\n00123,1.5,true\n04567,2,false\n', {
      schema: { zip: { kind: 'category', role: 'id' }, amount: { kind: 'number' } },
      roles: { churn: 'target' },
    });
    expect(kinds(ds)).toEqual(['category', 'number', 'boolean']);
    expect(ds.role('zip')).toBe('id');
    expect(ds.role('churn')).toBe('target');
    expect(ds.toColumns().zip).toEqual(['00123', '04567']);
    expect(ds.coercions).toEqual([]);
  });

  it('takes a zod object schema', async () => {
    const { z } = await import('zod');
    const ds = readCSV('a,b\n1,x\n2,y\n', { schema: z.object({ a: z.number(), b: z.string() }) });
    expect(kinds(ds)).toEqual(['number', 'text']);
  });

  it('an invalid cell under an override: E_SCHEMA naming column and row, or null with onInvalid', () => {
    const e = errorOf(() => readCSV('a\n1\nx\n', { schema: { a: { kind: 'integer' } } }));
    expect(e.code).toBe('E_SCHEMA');
    expect(e.details).toMatchObject({ column: 'a', row: 1 });
    const ds = readCSV('a\n1\nx\n', { schema: { a: { kind: 'integer' } }, onInvalid: 'null' });
    expect(ds.toColumns().a).toEqual([1, null]);
    expect(ds.coercions).toEqual([expect.objectContaining({ column: 'a', to: 'null', count: 1, rows: [1] })]);
  });

  it('unknown override column: E_COLUMN with the closest name; nullable:false enforced', () => {
    const e = errorOf(() => readCSV('income\n1\n', { schema: { incme: { kind: 'number' } } }));
    expect(e.code).toBe('E_COLUMN');
    expect(e.details.suggestions).toEqual(['income']);
    expect(errorOf(() => readCSV('a\n1\n\n', { schema: { a: { nullable: false } }, header: true, delimiter: ',' })).code).toBe('E_SCHEMA');
  });
});

describe('readCSV: bad input', () => {
  it('empty input gives an empty Dataset', () => {
    expect(readCSV('').ncols).toBe(0);
    expect(readCSV('\n\n').nrows).toBe(0);
    expect(readCSV(new Uint8Array(0)).ncols).toBe(0);
  });

  it('header only gives zero-row columns', () => {
    const ds = readCSV('a,b\n');
    expect(ds.columnNames).toEqual(['a', 'b']);
    expect(ds.nrows).toBe(0);
    expect(kinds(ds)).toEqual(['number', 'number']);
  });

  it('ragged rows: E_PARSE with line and column, or skipped and reported', () => {
    const text = 'a,b\n1,2\n3\n4,5,6\n7,8\n';
    const e = errorOf(() => readCSV(text));
    expect(e.code).toBe('E_PARSE');
    expect(e.details).toMatchObject({ line: 3, col: 2 });
    expect(e.message).toContain('line 3');
    const { dataset, report } = parseCSV(text, { onBadRow: 'skip' });
    expect(dataset.toColumns()).toEqual({ a: [1, 7], b: [2, 8] });
    expect(report.badRows.map((b) => [b.line, b.col, b.text])).toEqual([
      [3, 2, '3'],
      [4, 5, '4,5,6'],
    ]);
    expect(report.rows).toBe(2);
    const seen: BadRow[] = [];
    expect(readCSV(text, { onBadRow: (b) => seen.push(b) }).nrows).toBe(2);
    expect(seen).toHaveLength(2);
    expect(errorOf(() => readCSV(text, { onBadRow: 'skip' as never })).code).toBe('E_OPTION');
  });

  it('unterminated quote: E_PARSE at the opening quote', () => {
    const e = errorOf(() => readCSV('a,b\n1,2\n3,"oops\n4,5\n'));
    expect(e.code).toBe('E_PARSE');
    expect(e.details).toMatchObject({ line: 3, col: 3 });
    const { dataset, report } = parseCSV('a,b\n1,2\n3,"oops\n4,5\n', { onBadRow: 'skip' });
    expect(dataset.nrows).toBe(1);
    expect(report.badRows[0]?.reason).toContain('unterminated');
  });

  it('text after a closing quote: E_PARSE; skip resumes at the next line', () => {
    const e = errorOf(() => readCSV('a,b\n"x"y,1\n2,3\n'));
    expect(e.details).toMatchObject({ line: 2, col: 4 });
    expect(parseCSV('a,b\n"x"y,1\n2,3\n', { onBadRow: 'skip' }).dataset.toColumns()).toEqual({ a: [2], b: [3] });
  });

  it('line numbers count line breaks inside quoted fields', () => {
    const e = errorOf(() => readCSV('a,b\n"multi\nline",1\n2\n'));
    expect(e.details.line).toBe(4);
  });

  it('duplicate and empty column names are renamed and reported', () => {
    const { dataset, report } = parseCSV('a,a,,a_2,b\n1,2,3,4,5\n');
    expect(dataset.columnNames).toEqual(['a', 'a_3', 'column3', 'a_2', 'b']);
    expect(report.renamedColumns).toEqual([
      { index: 1, from: 'a', to: 'a_3', reason: 'duplicate' },
      { index: 2, from: '', to: 'column3', reason: 'empty' },
    ]);
  });

  it('__proto__ and constructor are ordinary column names', () => {
    const ds = readCSV('__proto__,constructor,toString\n1,x,y\n2,z,w\n');
    expect(ds.columnNames).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getOwnPropertyDescriptor(ds.toColumns(), '__proto__')?.value).toEqual([1, 2]);
    const row = ds.row(0);
    expect(Object.keys(row)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('a 10 MB single field reads; beyond maxFieldChars is E_LIMIT', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const ds = readCSV(`a,b\n"${big}",1\n`);
    expect((ds.get(0, 'a') as string).length).toBe(big.length);
    const e = errorOf(() => readCSV(`a\n${'y'.repeat(100)}\n`, { maxFieldChars: 50 }));
    expect(e.code).toBe('E_LIMIT');
    expect(e.details).toMatchObject({ option: 'maxFieldChars', line: 2 });
  });

  it('more columns than a Dataset holds: E_LIMIT before any row is read', () => {
    const e = errorOf(() => readCSV(`${','.repeat(100_000)}\n`));
    expect(e.code).toBe('E_LIMIT');
    expect(e.details.count).toBe(100_001);
  });

  it('non-UTF-8 bytes: E_ENCODING with the byte offset, unless an encoding is given', () => {
    const latin1 = new Uint8Array([0x61, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]); // "a\ncafé\n" in latin1
    const e = errorOf(() => readCSV(latin1));
    expect(e.code).toBe('E_ENCODING');
    expect(e.details.byte).toBe(5);
    expect(readCSV(latin1, { encoding: 'latin1' }).get(0, 'a')).toBe('café');
    expect(errorOf(() => readCSV(latin1, { encoding: 'no-such-encoding' })).code).toBe('E_OPTION');
  });

  it('mixed types in a column read as strings (category or text)', () => {
    const ds = readCSV('a\n1\ntwo\n3.5\ntrue\n2024-01-01\n');
    expect(ds.column('a').kind).toBe('category');
    expect(ds.toColumns().a).toEqual(['1', 'two', '3.5', 'true', '2024-01-01']);
  });

  it('Infinity is a number value, not missing', () => {
    const ds = readCSV('a\n1\nInfinity\n-Infinity\n');
    expect(ds.column('a').kind).toBe('number');
    expect(ds.toColumns().a).toEqual([1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  });

  it('bad options are refused by name', () => {
    expect(errorOf(() => readCSV('a', { delimiter: ',,' })).details.option).toBe('delimiter');
    expect(errorOf(() => readCSV('a', { delimiter: '"' })).details.option).toBe('delimiter');
    expect(errorOf(() => readCSV('a', { maxFieldChars: 0 })).details.option).toBe('maxFieldChars');
    expect(errorOf(() => readCSV('a', { maxRows: -1 })).details.option).toBe('maxRows');
    expect(errorOf(() => readCSV('a', { missingTokens: 'NA' as never })).details.option).toBe('missingTokens');
    expect(errorOf(() => readCSV('a', { header: 'yes' as never })).details.option).toBe('header');
    expect(errorOf(() => readCSV('a', { onBadRow: 'ignore' as never })).details.option).toBe('onBadRow');
    expect(errorOf(() => readCSV('a', { onInvalid: 'drop' as never })).details.option).toBe('onInvalid');
  });

  it('maxRows stops early', () => {
    expect(readCSV('a\n1\n2\n3\n', { maxRows: 2 }).toColumns()).toEqual({ a: [1, 2] });
  });
});

describe('writeCSV', () => {
  it('quotes what needs it and writes missing, dates, booleans, -0 and Infinity', () => {
    const ds = Dataset.from(
      {
        t: ['x, y', 'say "hi"', 'a\nb', '', 'NA', null],
        n: [1.5, -0, Number.POSITIVE_INFINITY, null, 2, 3],
        d: [new Date(Date.UTC(2024, 2, 1)), null, null, null, null, null],
        b: [true, false, null, true, true, false],
      },
      { missingTokens: [] },
    );
    const text = writeCSV(ds, { missing: '' });
    expect(text.split('\n')[0]).toBe('t,n,d,b');
    expect(text).toContain('"x, y",1.5,2024-03-01,true');
    expect(text).toContain('"say ""hi""",-0,,false');
    expect(text).toContain('"a\nb",Infinity,,');
    expect(text).toContain('"",,,true');
    expect(text).toContain('"NA",2,,true');
    const back = readCSV(text, { schema: { t: { kind: 'text' } } });
    expect(back.toColumns()).toEqual(ds.toColumns());
    expect(Object.is(back.get(1, 'n'), -0)).toBe(true);
  });

  it('csvChunks yields the same text in pieces of chunkRows rows', () => {
    const ds = Dataset.from({ a: Array.from({ length: 25 }, (_, i) => i), b: Array.from({ length: 25 }, (_, i) => `v${i % 4}`) });
    const pieces = [...csvChunks(ds, { chunkRows: 10 })];
    expect(pieces).toHaveLength(4); // header + 3 pieces of rows
    expect(pieces.join('')).toBe(writeCSV(ds));
    expect(() => [...csvChunks(ds, { chunkRows: 0 })]).toThrow(TesseraError);
  });

  it('honours delimiter, missing token, CRLF and header options', () => {
    const ds = Dataset.from({ a: [1, null], b: ['x;y', 'z'] });
    expect(writeCSV(ds, { delimiter: ';', missing: 'NA', newline: '\r\n' })).toBe('a;b\r\n1;"x;y"\r\nNA;z\r\n');
    expect(writeCSV(ds, { header: false })).toBe('1,"x;y"\n,z\n');
    expect(errorOf(() => writeCSV(ds, { delimiter: '"' })).details.option).toBe('delimiter');
    expect(writeCSV(Dataset.empty())).toBe('');
    const times = Dataset.from({ d: [new Date(Date.UTC(2024, 0, 1, 10)), new Date(Date.UTC(2024, 0, 2))] });
    expect(writeCSV(times)).toBe('d\n2024-01-01T10:00:00.000Z\n2024-01-02T00:00:00.000Z\n');
  });
});

describe('readCSV: dates parsed from character codes equal parseIsoDate', () => {
  it('every day of 1900, 2000, 2023, 2024 and 2100, and impossible days', async () => {
    const { parseIsoDate } = await import('../../src/index.js');
    const vals: string[] = [];
    for (const y of [1900, 2000, 2023, 2024, 2100]) {
      for (let m = 1; m <= 12; m++) for (let d = 1; d <= 31; d++) vals.push(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    }
    const col = readCSV(`d\n${vals.join('\n')}\n`).column('d');
    expect(col.kind).toBe('datetime');
    if (col.kind === 'datetime') vals.forEach((v, i) => expect(col.values[i]).toBe(parseIsoDate(v) ?? Number.NaN));
  });
});
