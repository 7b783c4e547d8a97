import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Dataset, readCSV, TesseraError } from '../../src/index.js';
import {
  readArrowFile,
  readCSVFile,
  readJSONFile,
  readNDJSONFile,
  streamCSVFile,
  streamNDJSONFile,
  writeArrowFile,
  writeCSVFile,
  writeJSONFile,
  writeNDJSONFile,
} from '../../src/node/index.js';

const vega = fileURLToPath(new URL('../../node_modules/vega-datasets/data/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tessera-io-'));

async function collect(gen: AsyncGenerator<Dataset>): Promise<Dataset[]> {
  const out: Dataset[] = [];
  for await (const d of gen) out.push(d);
  return out;
}

describe('tessera/node file helpers', () => {
  it('reads seattle-weather.csv with the expected kinds', async () => {
    const ds = await readCSVFile(join(vega, 'seattle-weather.csv'));
    expect(ds.nrows).toBe(1461);
    expect(ds.schema.fields.map((f) => [f.name, f.kind])).toEqual([
      ['date', 'datetime'],
      ['precipitation', 'number'],
      ['temp_max', 'number'],
      ['temp_min', 'number'],
      ['wind', 'number'],
      ['weather', 'category'],
    ]);
    expect(ds.get(0, 'date')).toEqual(new Date('2012-01-01T00:00:00Z'));
  });

  it('temp_max values equal a plain split-and-Number parse', async () => {
    const ds = await readCSVFile(join(vega, 'seattle-weather.csv'));
    const col = ds.column('temp_max');
    if (col.kind !== 'number') throw new Error('kind');
    const mean = col.values.reduce((a, b) => a + b, 0) / col.length;
    const text = readFileSync(join(vega, 'seattle-weather.csv'), 'utf8').trim().split('\n').slice(1);
    const ref = text.reduce((a, l) => a + Number(l.split(',')[2]), 0) / text.length;
    expect(mean).toBeCloseTo(ref, 12);
  });

  it('writes and reads back CSV, JSON, NDJSON and Arrow files', async () => {
    const ds = await readCSVFile(join(vega, 'seattle-weather.csv'));
    const schema = Object.fromEntries(ds.schema.fields.map((f) => [f.name, { kind: f.kind }]));
    await writeCSVFile(join(dir, 'w.csv'), ds);
    expect((await readCSVFile(join(dir, 'w.csv'), { schema })).toColumns()).toEqual(ds.toColumns());
    await writeJSONFile(join(dir, 'w.json'), ds);
    expect((await readJSONFile(join(dir, 'w.json'), { schema })).toColumns()).toEqual(ds.toColumns());
    await writeNDJSONFile(join(dir, 'w.ndjson'), ds);
    expect((await readNDJSONFile(join(dir, 'w.ndjson'), { schema })).toColumns()).toEqual(ds.toColumns());
    await writeArrowFile(join(dir, 'w.arrow'), ds);
    const arrow = await readArrowFile(join(dir, 'w.arrow'));
    expect(arrow.schema.toJSON()).toEqual(ds.schema.toJSON());
    expect(arrow.toColumns()).toEqual(ds.toColumns());
  });

  it('reads the Arrow file shipped with vega-datasets', async () => {
    const ds = await readArrowFile(join(vega, 'flights-200k.arrow'));
    expect(ds.nrows).toBe(200000);
    expect(ds.ncols).toBeGreaterThan(2);
  });

  it('streams a file path and a Node Readable in chunks equal to the one-shot read', async () => {
    const file = join(vega, 'seattle-weather.csv');
    const one = readCSV(readFileSync(file));
    const a = await collect(streamCSVFile(file, { chunkSize: 400 }));
    expect(a.map((c) => c.nrows)).toEqual([400, 400, 400, 261]);
    expect((a[0] as Dataset).concat(...a.slice(1)).toColumns()).toEqual(one.toColumns());
    const b = await collect(streamCSVFile(createReadStream(file, { highWaterMark: 97 }), { chunkSize: 1000 }));
    expect((b[0] as Dataset).concat(...b.slice(1)).toColumns()).toEqual(one.toColumns());
    writeFileSync(join(dir, 's.ndjson'), '{"a":1}\n{"a":2}\n{"a":3}\n');
    const c = await collect(streamNDJSONFile(join(dir, 's.ndjson'), { chunkSize: 2 }));
    expect(c.map((d) => d.toColumns().a)).toEqual([[1, 2], [3]]);
  });

  it('a missing file is a TesseraError naming the path', async () => {
    const p = join(dir, 'nope.csv');
    await expect(readCSVFile(p)).rejects.toBeInstanceOf(TesseraError);
    await expect(readCSVFile(p)).rejects.toThrow(p);
    await expect(collect(streamCSVFile(p))).rejects.toBeInstanceOf(TesseraError);
  });
});
