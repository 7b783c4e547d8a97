/**
 * Node-only helpers: read and write files, read Node streams. The formats and options are those of
 * the core readers and writers in `tessera` (`readCSV`, `readCSVStream`, `writeCSV`, ...).
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { TesseraError } from '../core/index.js';
import {
  type ArrowWriteOptions,
  type CSVReadOptions,
  type CSVStreamOptions,
  type CSVWriteOptions,
  csvChunks,
  type Dataset,
  type DatasetOptions,
  type JSONReadOptions,
  type JSONWriteOptions,
  type NDJSONReadOptions,
  type NDJSONStreamOptions,
  readArrow,
  readCSV,
  readCSVStream,
  readJSON,
  readNDJSON,
  readNDJSONStream,
  writeArrow,
  writeJSON,
  writeNDJSON,
} from '../dataset/index.js';

/** A file path, or a Node `Readable` already open. @example `const src: NodeSource = 'data.csv';` */
export type NodeSource = string | URL | Readable;

function fileError(path: string | URL, e: unknown): TesseraError {
  const code = (e as { code?: string }).code;
  return new TesseraError(
    code === 'ENOENT' ? 'E_OPTION' : 'E_UNSUPPORTED',
    `cannot access file ${String(path)}: ${(e as Error).message}`,
    { path: String(path) },
    { cause: e },
  );
}

async function bytesOf(path: string | URL): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    throw fileError(path, e);
  }
}

/**
 * Reads a CSV file into a Dataset (see `readCSV` for the format and options).
 *
 * @example
 * ```ts
 * import { readCSVFile } from 'tessera/node';
 * const ds = await readCSVFile('data/sales.csv', { schema: { id: { role: 'id' } } });
 * ```
 */
export async function readCSVFile(path: string | URL, options: CSVReadOptions = {}): Promise<Dataset> {
  return readCSV(await bytesOf(path), options);
}

/**
 * Writes a Dataset to a CSV file, streaming it in pieces (see `writeCSV` for the format).
 *
 * @example
 * ```ts
 * import { writeCSVFile } from 'tessera/node';
 * await writeCSVFile('out.csv', ds, { delimiter: ';' });
 * ```
 */
export async function writeCSVFile(path: string | URL, ds: Dataset, options: CSVWriteOptions = {}): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => out.once('error', (e) => reject(fileError(path, e))));
  failed.catch(() => {});
  try {
    for (const piece of csvChunks(ds, options)) {
      if (!out.write(piece)) await Promise.race([once(out, 'drain'), failed]);
    }
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
  } finally {
    out.destroy();
  }
}

function toReadable(source: NodeSource): Readable {
  if (typeof source === 'string' || source instanceof URL) {
    const s = createReadStream(source);
    return s;
  }
  return source;
}

async function* guarded(source: NodeSource): AsyncGenerator<Uint8Array | string> {
  const stream = toReadable(source);
  try {
    for await (const piece of stream) yield piece as Uint8Array | string;
  } catch (e) {
    if (e instanceof TesseraError) throw e;
    throw fileError(typeof source === 'string' || source instanceof URL ? source : 'stream', e);
  } finally {
    stream.destroy();
  }
}

/**
 * Reads CSV from a file path or a Node `Readable` in chunks of `chunkSize` rows, in bounded memory
 * (see `readCSVStream` for how the schema stays the same across chunks).
 *
 * @example
 * ```ts
 * import { streamCSVFile } from 'tessera/node';
 * for await (const chunk of streamCSVFile('big.csv', { chunkSize: 100_000 })) console.log(chunk.nrows);
 * ```
 */
export function streamCSVFile(source: NodeSource, options: CSVStreamOptions = {}): AsyncGenerator<Dataset> {
  return readCSVStream(guarded(source), options);
}

/**
 * Reads newline-delimited JSON from a file path or a Node `Readable` in chunks of `chunkSize` rows.
 *
 * @example
 * ```ts
 * import { streamNDJSONFile } from 'tessera/node';
 * for await (const chunk of streamNDJSONFile('events.ndjson')) console.log(chunk.nrows);
 * ```
 */
export function streamNDJSONFile(source: NodeSource, options: NDJSONStreamOptions = {}): AsyncGenerator<Dataset> {
  return readNDJSONStream(guarded(source), options);
}

/**
 * Reads a JSON file holding an array of objects.
 *
 * @example
 * ```ts
 * import { readJSONFile } from 'tessera/node';
 * const ds = await readJSONFile('rows.json');
 * ```
 */
export async function readJSONFile(path: string | URL, options: JSONReadOptions = {}): Promise<Dataset> {
  return readJSON(await bytesOf(path), options);
}

/**
 * Writes a Dataset to a JSON file (an array of objects).
 *
 * @example
 * ```ts
 * import { writeJSONFile } from 'tessera/node';
 * await writeJSONFile('rows.json', ds);
 * ```
 */
export async function writeJSONFile(path: string | URL, ds: Dataset, options: JSONWriteOptions = {}): Promise<void> {
  await writeText(path, writeJSON(ds, options));
}

/**
 * Reads a newline-delimited JSON file.
 *
 * @example
 * ```ts
 * import { readNDJSONFile } from 'tessera/node';
 * const ds = await readNDJSONFile('events.ndjson');
 * ```
 */
export async function readNDJSONFile(path: string | URL, options: NDJSONReadOptions = {}): Promise<Dataset> {
  return readNDJSON(await bytesOf(path), options);
}

/**
 * Writes a Dataset to a newline-delimited JSON file.
 *
 * @example
 * ```ts
 * import { writeNDJSONFile } from 'tessera/node';
 * await writeNDJSONFile('events.ndjson', ds);
 * ```
 */
export async function writeNDJSONFile(path: string | URL, ds: Dataset, options: JSONWriteOptions = {}): Promise<void> {
  await writeText(path, writeNDJSON(ds, options));
}

/**
 * Reads an Arrow IPC file (file or stream format).
 *
 * @example
 * ```ts
 * import { readArrowFile } from 'tessera/node';
 * const ds = await readArrowFile('node_modules/vega-datasets/data/flights-200k.arrow');
 * ```
 */
export async function readArrowFile(path: string | URL, options: DatasetOptions = {}): Promise<Dataset> {
  return readArrow(await bytesOf(path), options);
}

/**
 * Writes a Dataset to an Arrow IPC file.
 *
 * @example
 * ```ts
 * import { writeArrowFile } from 'tessera/node';
 * await writeArrowFile('out.arrow', ds);
 * ```
 */
export async function writeArrowFile(path: string | URL, ds: Dataset, options: ArrowWriteOptions = {}): Promise<void> {
  try {
    await writeFile(path, writeArrow(ds, options));
  } catch (e) {
    if (e instanceof TesseraError) throw e;
    throw fileError(path, e);
  }
}

async function writeText(path: string | URL, text: string): Promise<void> {
  try {
    await writeFile(path, text, 'utf8');
  } catch (e) {
    throw fileError(path, e);
  }
}
