/**
 * Internal helpers to assemble small WebAssembly modules from bytes at load time (no code
 * generation from strings, so a strict Content-Security-Policy with 'wasm-unsafe-eval' suffices):
 * LEB128 encoders, the opcodes the kernels use, sections, and a compile that returns null where
 * WebAssembly (or its SIMD) is unavailable or blocked. Used by the linear models' column kernel and
 * the k-means seeding kernel; not part of the public API.
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const LOCAL_GET = 0x20;
export const LOCAL_SET = 0x21;
export const LOCAL_TEE = 0x22;
export const I32_CONST = 0x41;
export const F64_CONST = 0x44;
export const I32_ADD = 0x6a;
export const I32_MUL = 0x6c;
export const I32_AND = 0x71;
export const I32_SHL = 0x74;
export const I32_GE_S = 0x4e;
export const I32_GE_U = 0x4f;
export const I32_LT_U = 0x49;
export const F64_ADD = 0xa0;
export const F64_SUB = 0xa1;
export const F64_MUL = 0xa2;
export const F64_LT = 0x63;
export const SELECT = 0x1b;
export const BLOCK_OP = [0x02, 0x40];
export const LOOP_OP = [0x03, 0x40];
export const IF_OP = [0x04, 0x40];
export const ELSE = 0x05;
export const BR = 0x0c;
export const BR_IF = 0x0d;
export const END = 0x0b;

/** Unsigned LEB128. */
export function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Signed LEB128. */
export function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A SIMD instruction (prefix 0xfd) with its immediates. */
export const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
/** `local.get i`, `local.set i`, `local.tee i`, `i32.const v`. */
export const get = (i: number): number[] => [LOCAL_GET, i];
export const set = (i: number): number[] => [LOCAL_SET, i];
export const tee = (i: number): number[] => [LOCAL_TEE, i];
export const i32c = (v: number): number[] => [I32_CONST, ...sleb(v)];

/** A module section: id, size, body. */
export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** A name (length-prefixed ASCII). */
export function str(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
}

/** The module header (magic and version 1). */
export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** Compiles `bytes`, or returns null where WebAssembly is missing, rejects the module (no SIMD) or is blocked by a Content-Security-Policy. */
export function compileModule(bytes: () => Uint8Array<ArrayBuffer>): WebAssembly.Module | null {
  try {
    if (typeof WebAssembly === 'object') {
      const b = bytes();
      if (WebAssembly.validate(b)) return new WebAssembly.Module(b);
    }
  } catch {
    // a Content-Security-Policy without 'wasm-unsafe-eval', or no SIMD: the JavaScript loops serve
  }
  return null;
}

/**
 * {@link compileModule} on first call, then the same result (module or null) on every later call:
 * a kernel file's `const wasmModule = lazyModule(moduleBytes);`.
 */
export function lazyModule(bytes: () => Uint8Array<ArrayBuffer>): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled === undefined) compiled = compileModule(bytes);
    return compiled;
  };
}
