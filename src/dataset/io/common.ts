import { TesseraError, unknownColumn } from '../../core/errors.js';
import { type Column, type ColumnKind, isMissing } from '../column.js';
import type { DatasetOptions } from '../dataset.js';
import type { Coercion } from '../infer.js';
import { type ColumnRole, checkOverride, type FieldOverride } from '../schema.js';
import { isZodObject, zodToOverrides } from '../zod-schema.js';

/** Text or bytes accepted by the readers. @example `const input: TextInput = new Uint8Array([97, 10]);` */
export type TextInput = string | Uint8Array | ArrayBuffer;

/**
 * Options shared by the text readers for turning bytes into text.
 *
 * @example
 * ```ts
 * readCSV(bytes, { encoding: 'latin1' });
 * ```
 */
export interface DecodeOptions {
  /**
   * Encoding of byte input, any label `TextDecoder` knows (`utf-8`, `latin1`, `utf-16le`, ...).
   * Default `utf-8`, decoded strictly: an invalid byte sequence throws `E_ENCODING` with its byte offset.
   */
  encoding?: string;
}

/**
 * Decodes byte input to text (strict UTF-8 by default) and strips a leading byte-order mark.
 *
 * @example
 * ```ts
 * decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])); // 'a'
 * ```
 */
export function decodeText(input: TextInput, options: DecodeOptions = {}): string {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const decoder = makeDecoder(options.encoding);
  try {
    const text = decoder.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (e) {
    throw encodingError(bytes, options.encoding, e);
  }
}

/**
 * A `TextDecoder` for an encoding label, strict (`fatal`) so invalid bytes are refused; throws
 * `E_OPTION` naming the option for an unknown label.
 *
 * @example
 * ```ts
 * makeDecoder('utf-8').decode(new Uint8Array([104, 105])); // 'hi'
 * ```
 */
export function makeDecoder(encoding: string | undefined): TextDecoder {
  try {
    return new TextDecoder(encoding ?? 'utf-8', { fatal: true, ignoreBOM: true });
  } catch (e) {
    throw new TesseraError('E_OPTION', `option "encoding": unknown encoding ${JSON.stringify(encoding)}`, { option: 'encoding' }, { cause: e });
  }
}

/**
 * The `E_ENCODING` error for bytes a strict decoder refused, with the offset of the first invalid
 * UTF-8 sequence when the encoding is UTF-8.
 *
 * @example
 * ```ts
 * throw encodingError(bytes, 'utf-8', cause);
 * ```
 */
export function encodingError(bytes: Uint8Array | undefined, encoding: string | undefined, cause: unknown, baseOffset = 0): TesseraError {
  const enc = encoding ?? 'utf-8';
  const at = bytes && /^utf-?8$/i.test(enc) ? firstInvalidUtf8(bytes) : -1;
  const where = at >= 0 ? ` at byte ${baseOffset + at}` : '';
  return new TesseraError(
    'E_ENCODING',
    `input is not valid ${enc}${where}; pass the right "encoding" option (e.g. 'latin1') or fix the bytes`,
    at >= 0 ? { option: 'encoding', byte: baseOffset + at } : { option: 'encoding' },
    { cause },
  );
}

/** Offset of the first invalid UTF-8 sequence, or -1 (an incomplete sequence at the end counts). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= n) return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Column overrides resolved from a tessera schema object or a zod object (own keys only, so
 * `__proto__` is an ordinary name).
 *
 * @example
 * ```ts
 * resolveOverrides({ id: { role: 'id' } });
 * ```
 */
export function resolveOverrides(schema: DatasetOptions['schema']): Record<string, FieldOverride> {
  const out: Record<string, FieldOverride> = Object.create(null);
  if (schema === undefined) return out;
  if (isZodObject(schema)) return zodToOverrides(schema);
  for (const k of Object.keys(schema)) {
    Object.defineProperty(out, k, { value: (schema as Record<string, FieldOverride>)[k], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Checks overrides and roles against the column names read from a file: unknown names throw
 * `E_COLUMN` with the closest names, bad kinds/roles `E_SCHEMA`. Returns the roles to apply.
 *
 * @example
 * ```ts
 * const roles = checkOverrides(['a', 'b'], overrides, { b: 'target' });
 * ```
 */
export function checkOverrides(
  names: readonly string[],
  overrides: Record<string, FieldOverride>,
  roles: Record<string, ColumnRole> | undefined,
): Record<string, ColumnRole> {
  const set = new Set(names);
  const out: Record<string, ColumnRole> = Object.create(null);
  for (const k of Object.keys(overrides)) {
    if (!set.has(k)) unknownColumn(k, names);
    const o = overrides[k] as FieldOverride;
    checkOverride(k, o);
    if (o.role) Object.defineProperty(out, k, { value: o.role, enumerable: true, writable: true, configurable: true });
  }
  for (const k of Object.keys(roles ?? {})) {
    if (!set.has(k)) unknownColumn(k, names);
    const r = (roles as Record<string, ColumnRole>)[k] as ColumnRole;
    checkOverride(k, { role: r });
    Object.defineProperty(out, k, { value: r, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Enforces `nullable: false` overrides on built columns (`E_SCHEMA` naming column and row).
 *
 * @example
 * ```ts
 * checkNullable(columns, overrides);
 * ```
 */
export function checkNullable(cols: readonly Column[], overrides: Record<string, FieldOverride>, rowOffset = 0): void {
  for (const c of cols) {
    const o = Object.hasOwn(overrides, c.name) ? overrides[c.name] : undefined;
    if (o?.nullable !== false) continue;
    for (let i = 0; i < c.length; i++) {
      if (isMissing(c, i))
        throw new TesseraError('E_SCHEMA', `column "${c.name}" is declared not nullable but row ${rowOffset + i} is missing`, {
          column: c.name,
          row: rowOffset + i,
        });
    }
  }
}

/**
 * Drops the coercions that only say "a text cell was parsed as the declared kind" (in a text file
 * every cell is a string, so that is not news); keeps missing tokens and invalid cells.
 *
 * @example
 * ```ts
 * const kept = usefulCoercions(built.coercions);
 * ```
 */
export function usefulCoercions(list: readonly Coercion[]): Coercion[] {
  return list.filter((c) => !(c.from === 'string' && c.to !== 'null'));
}

/** Kinds in the order readers list them. @internal */
export type Kind = ColumnKind;

/**
 * Checks a positive integer option; throws `E_OPTION` naming it.
 *
 * @example
 * ```ts
 * checkPositiveInt('chunkSize', 1000, 1e9);
 * ```
 */
export function checkPositiveInt(name: string, v: unknown, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) {
    throw new TesseraError('E_OPTION', `option "${name}" must be an integer in [1, ${max}], got ${String(v)}`, { option: name });
  }
  return v;
}
