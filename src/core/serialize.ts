import { TesseraError } from './errors.js';
import type { Fitted, Serialized } from './protocol.js';

type Loader = (json: Serialized) => unknown;

const registry = new Map<string, { version: number; loader: Loader }>();

/**
 * Registers how to restore a fitted type from JSON. Each fitted class registers itself when its
 * module is loaded, so `load` knows every primitive the program imports.
 *
 * @example
 * ```ts
 * registerLoader('FittedStandardScaler', 1, (json) => FittedStandardScaler.fromJSON(json));
 * ```
 */
export function registerLoader(type: string, version: number, loader: Loader): void {
  registry.set(type, { version, loader });
}

/**
 * Restores any fitted object from its `toJSON()` output (also after `JSON.stringify`/`JSON.parse`).
 * Throws `E_SERIALIZATION` for an unknown type (import the primitive first) or a newer version.
 *
 * @example
 * ```ts
 * import { load, StandardScaler } from 'tessera';
 * const fitted = await new StandardScaler().fit(ds);
 * const again = load(JSON.parse(JSON.stringify(fitted)));
 * ```
 */
export function load<T = Fitted>(json: unknown): T {
  const j = json as Partial<Serialized> | null;
  if (j === null || typeof j !== 'object' || typeof j.type !== 'string' || typeof j.version !== 'number' || !('state' in j)) {
    throw new TesseraError('E_SERIALIZATION', 'not a tessera serialised object: expected { type, version, params, state }');
  }
  const entry = registry.get(j.type);
  if (!entry) {
    throw new TesseraError('E_SERIALIZATION', `unknown type "${j.type}": import the module that defines it before calling load`, { type: j.type });
  }
  if (j.version > entry.version || j.version < 1 || !Number.isInteger(j.version)) {
    throw new TesseraError('E_SERIALIZATION', `"${j.type}" version ${j.version} is not supported (this build reads up to ${entry.version})`, {
      type: j.type,
    });
  }
  return entry.loader(j as Serialized) as T;
}

/**
 * Checks a serialised object's type and returns its state, for a class's own `fromJSON`.
 *
 * @example
 * ```ts
 * const state = expectType<{ mean: string }>(json, 'FittedStandardScaler');
 * ```
 */
export function expectType<S, P = unknown>(json: Serialized, type: string): { params: P; state: S } {
  if (json.type !== type) throw new TesseraError('E_SERIALIZATION', `expected type "${type}", got "${json.type}"`, { type: json.type });
  return { params: json.params as P, state: json.state as S };
}

/**
 * Encodes a typed array as base64 of its little-endian bytes (exact, keeps NaN and Infinity).
 *
 * @example
 * ```ts
 * const s = encodeArray(new Float64Array([1, NaN]));
 * decodeFloat64(s); // Float64Array [1, NaN]
 * ```
 */
export function encodeArray(a: Float64Array | Float32Array | Int32Array | Uint32Array | Int8Array | Uint8Array): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) s += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk) as unknown as number[]);
  return btoa(s);
}

function decodeBytes(s: unknown, width: number): ArrayBuffer {
  if (typeof s !== 'string') throw new TesseraError('E_SERIALIZATION', 'expected a base64 string for an array');
  let bin: string;
  try {
    bin = atob(s);
  } catch (e) {
    throw new TesseraError('E_SERIALIZATION', 'invalid base64 in serialised array', {}, { cause: e });
  }
  if (bin.length % width !== 0) throw new TesseraError('E_SERIALIZATION', `serialised array length ${bin.length} is not a multiple of ${width}`);
  const buf = new ArrayBuffer(bin.length);
  const u8 = new Uint8Array(buf);
  for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
  return buf;
}

/** Decodes {@link encodeArray} output to a `Float64Array`. @example `decodeFloat64(encodeArray(new Float64Array([1])))` */
export function decodeFloat64(s: unknown): Float64Array {
  return new Float64Array(decodeBytes(s, 8));
}
/** Decodes {@link encodeArray} output to a `Float32Array`. @example `decodeFloat32(encodeArray(new Float32Array([1])))` */
export function decodeFloat32(s: unknown): Float32Array {
  return new Float32Array(decodeBytes(s, 4));
}
/** Decodes {@link encodeArray} output to an `Int32Array`. @example `decodeInt32(encodeArray(new Int32Array([1])))` */
export function decodeInt32(s: unknown): Int32Array {
  return new Int32Array(decodeBytes(s, 4));
}
/** Decodes {@link encodeArray} output to a `Uint8Array`. @example `decodeUint8(encodeArray(new Uint8Array([1])))` */
export function decodeUint8(s: unknown): Uint8Array {
  return new Uint8Array(decodeBytes(s, 1));
}
