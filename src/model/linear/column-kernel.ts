import {
  BLOCK_OP,
  BR,
  BR_IF,
  END,
  F64_ADD,
  get,
  HEADER,
  I32,
  I32_ADD,
  I32_GE_S,
  I32_GE_U,
  I32_MUL,
  I32_SHL,
  i32c,
  LOOP_OP,
  lazyModule,
  section,
  set,
  simd,
  str,
  uleb,
  V128,
} from '../../core/wasm.js';
import type { Dataset } from '../../dataset/dataset.js';
import { featureMatrix } from '../../dataset/features.js';

/** Rows per block: a block of 50 columns (200 KB) stays in L2 between the two passes. */
export const BLOCK = 512;

/**
 * A column-major copy of the feature matrix with the two block products a gradient method needs:
 * `z[c·BLOCK + i] += Σⱼ X[s+i, j] · w[c·pw + j]` and `g[c·pw + j] += Σᵢ X[s+i, j] · r[c·BLOCK + i]`
 * for the rows `s .. s+len` of one block. Each column is padded with zeros to a multiple of 4 rows
 * (`stride`), so a block length is always a multiple of 4; `r` must be 0 on padding rows.
 * Backed by a small WebAssembly SIMD module (f64x2) where the runtime can compile one, and by
 * the same loops in JavaScript where it cannot (no WebAssembly, or a Content-Security-Policy
 * without `wasm-unsafe-eval`): both give the same results up to rounding.
 *
 * @example
 * ```ts
 * const K = columnKernel(ds, ['a', 'b'], 1, 'LogisticRegression');
 * K.w.set([0.5, -1]);
 * K.z.fill(0, 0, BLOCK); K.zBlock(0, Math.min(BLOCK, K.stride), 0); // K.z[i] = X[i]·w
 * ```
 */
export interface ColumnKernel {
  /** Rows (without padding) and columns. */
  readonly n: number;
  readonly p: number;
  /** Rows per column including the zero padding (a multiple of 4). */
  readonly stride: number;
  /** Row length of `w` and `g`: `p` rounded up to a multiple of 4 (zero columns pad `X`; leave `w` 0 there). */
  readonly pw: number;
  /** Coefficient rows (`k x pw`), gradient rows (`k x pw`), block scores and block residuals (`k x BLOCK`). */
  readonly w: Float64Array;
  readonly g: Float64Array;
  readonly z: Float64Array;
  readonly r: Float64Array;
  /** Whether the WebAssembly SIMD kernels are in use. */
  readonly wasm: boolean;
  /** Hands the memory back for the next fit to reuse (call once, when done). */
  release(): void;
  /** Adds `X[s..s+len] · w[c]` into `z[c·BLOCK ..]` (`len` a multiple of 4). */
  zBlock(s: number, len: number, c: number): void;
  /** Adds `X[s..s+len]ᵀ · r[c·BLOCK ..]` into `g[c·pw ..]` (`len` a multiple of 4). */
  gBlock(s: number, len: number, c: number): void;
}

// ---------------------------------------------------------------------------------------------
// A hand-assembled WebAssembly module (under 1 KB, built here at load: no code generation from
// strings). Two functions of (x, stride, len, p, v, out), all i32 byte addresses/lengths, `p` a
// multiple of 4 (zero columns pad it), `len` a multiple of 4 rows:
//   z: for j < p: for i < len: out[i] += v[j] * x[j·stride + i]      (four columns per sweep)
//   g: for j < p: out[j] += Σᵢ x[j·stride + i] · v[i]                 (four dots per sweep)
// with f64x2 lanes and four rows per step.

const F64_LOAD = (offset: number) => [0x2b, 3, ...uleb(offset)];
const F64_STORE = (offset: number) => [0x39, 3, ...uleb(offset)];
const V128_LOAD = (offset: number) => simd(0, 4, ...uleb(offset));
const V128_STORE = (offset: number) => simd(11, 4, ...uleb(offset));
const F64X2_SPLAT = simd(20);
const F64X2_EXTRACT = (lane: number) => simd(33, lane);
const F64X2_ADD = simd(240);
const F64X2_MUL = simd(242);

// params: 0 x, 1 stride (bytes), 2 len (rows), 3 p, 4 v, 5 out
// i32 locals: 6 j, 7 i (bytes), 8 end (bytes), 9..12 column addresses; v128 locals: 13..16 per column, 17 scratch
const J = 6;
const I = 7;
const END_I = 8;
const COLS = [9, 10, 11, 12];
const VEC = [13, 14, 15, 16];
const TMP = 17;
const at = (base: number) => [...get(base), ...get(I), I32_ADD];
const jAddr = (base: number) => [...get(base), ...get(J), ...i32c(3), I32_SHL, I32_ADD];

const PROLOGUE = [...get(2), ...i32c(3), I32_SHL, ...set(END_I), ...i32c(0), ...set(J)];
const J_HEAD = [...BLOCK_OP, ...LOOP_OP, ...get(J), ...get(3), I32_GE_S, BR_IF, 1];
// column addresses x + (j + c)·stride, and i = 0
const COLUMNS = [
  ...get(0),
  ...get(J),
  ...get(1),
  I32_MUL,
  I32_ADD,
  ...set(COLS[0] as number),
  ...[1, 2, 3].flatMap((c) => [...get(COLS[c - 1] as number), ...get(1), I32_ADD, ...set(COLS[c] as number)]),
  ...i32c(0),
  ...set(I),
];
const I_HEAD = [...BLOCK_OP, ...LOOP_OP, ...get(I), ...get(END_I), I32_GE_U, BR_IF, 1];
const I_TAIL = [...get(I), ...i32c(32), I32_ADD, ...set(I), BR, 0, END, END];
const J_TAIL = [...get(J), ...i32c(4), I32_ADD, ...set(J), BR, 0, END, END];

// z: out[i..i+2] = out[i..i+2] + Σ_c a_c · col_c[i..i+2], at byte offsets 0 and 16
const zStep = (off: number) => [
  ...at(5),
  ...at(5),
  ...V128_LOAD(off),
  ...[0, 1, 2, 3].flatMap((c) => [...at(COLS[c] as number), ...V128_LOAD(off), ...get(VEC[c] as number), ...F64X2_MUL, ...F64X2_ADD]),
  ...V128_STORE(off),
];
const Z_BODY = [
  ...PROLOGUE,
  ...J_HEAD,
  ...[0, 1, 2, 3].flatMap((c) => [...jAddr(4), ...F64_LOAD(8 * c), ...F64X2_SPLAT, ...set(VEC[c] as number)]),
  ...COLUMNS,
  ...I_HEAD,
  ...zStep(0),
  ...zStep(16),
  ...I_TAIL,
  ...J_TAIL,
  END,
];

// g: acc_c += col_c[i..i+2] · v[i..i+2]; then out[j + c] += lanes of acc_c
const ZERO_V128 = [0x44, 0, 0, 0, 0, 0, 0, 0, 0, ...F64X2_SPLAT];
const gStep = (off: number) => [
  ...at(4),
  ...V128_LOAD(off),
  ...set(TMP),
  ...[0, 1, 2, 3].flatMap((c) => [
    ...get(VEC[c] as number),
    ...at(COLS[c] as number),
    ...V128_LOAD(off),
    ...get(TMP),
    ...F64X2_MUL,
    ...F64X2_ADD,
    ...set(VEC[c] as number),
  ]),
];
const G_BODY = [
  ...PROLOGUE,
  ...J_HEAD,
  ...COLUMNS,
  ...[0, 1, 2, 3].flatMap((c) => [...ZERO_V128, ...set(VEC[c] as number)]),
  ...I_HEAD,
  ...gStep(0),
  ...gStep(16),
  ...I_TAIL,
  ...[0, 1, 2, 3].flatMap((c) => [
    ...jAddr(5),
    ...jAddr(5),
    ...F64_LOAD(8 * c),
    ...get(VEC[c] as number),
    ...F64X2_EXTRACT(0),
    ...get(VEC[c] as number),
    ...F64X2_EXTRACT(1),
    F64_ADD,
    F64_ADD,
    ...F64_STORE(8 * c),
  ]),
  ...J_TAIL,
  END,
];

function code(body: number[]): number[] {
  // locals: 7 i32 (6..12), 5 v128 (13..17)
  const fn = [2, 7, I32, 5, V128, ...body];
  return [...uleb(fn.length), ...fn];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const bytes = [
    ...HEADER,
    ...section(1, [1, 0x60, 6, I32, I32, I32, I32, I32, I32, 0]),
    ...section(3, [2, 0, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [3, ...str('mem'), 0x02, 0, ...str('z'), 0x00, 0, ...str('g'), 0x00, 1]),
    ...section(10, [2, ...code(Z_BODY), ...code(G_BODY)]),
  ];
  return Uint8Array.from(bytes);
}

const wasmModule = lazyModule(moduleBytes);

type BlockFn = (x: number, stride: number, len: number, p: number, v: number, out: number) => void;

interface Arena {
  inst: WebAssembly.Instance;
  mem: WebAssembly.Memory;
}

// One instance and its memory are kept (weakly: the garbage collector may take them) for the next
// fit: first-touch page faults on a fresh 40 MB memory cost more than the fit's ten passes over it.
// A fit in progress holds it (arenaBusy); a concurrent fit gets a fresh one.
let cachedArena: WeakRef<Arena> | undefined;
let arenaBusy = false;

function takeArena(mod: WebAssembly.Module, bytes: number): Arena {
  const need = Math.ceil(bytes / 65536);
  const old = arenaBusy ? undefined : cachedArena?.deref();
  let arena: Arena;
  if (old) arena = old;
  else {
    const inst = new WebAssembly.Instance(mod, {});
    arena = { inst, mem: inst.exports.mem as WebAssembly.Memory };
  }
  const have = arena.mem.buffer.byteLength / 65536;
  if (need > have) arena.mem.grow(need - have);
  if (!arenaBusy) {
    cachedArena = new WeakRef(arena);
    arenaBusy = true;
  }
  return arena;
}

let preferWasm = true;

/**
 * Turns the WebAssembly kernels off (or back on) for this module, so that the pure JavaScript path
 * can be tested and compared. Returns the previous setting.
 *
 * @example
 * ```ts
 * const was = useWasmKernels(false); // ... fit with the JavaScript loops ...
 * useWasmKernels(was);
 * ```
 */
export function useWasmKernels(on: boolean): boolean {
  const was = preferWasm;
  preferWasm = on;
  return was;
}

/**
 * Builds a {@link ColumnKernel} for `k` coefficient rows over `columns` of `ds`. The columns must be
 * numeric (number, integer, datetime, boolean) and complete; otherwise `featureMatrix` throws its
 * usual error naming the column (`E_SCHEMA` with an encoder hint, `E_MISSING_VALUES`, `E_NON_FINITE`).
 *
 * @example
 * ```ts
 * const K = columnKernel(ds, ['a', 'b'], 1, 'LogisticRegression');
 * ```
 */
export function columnKernel(ds: Dataset, columns: readonly string[], k: number, owner: string): ColumnKernel {
  const n = ds.nrows;
  const p = columns.length;
  const stride = Math.ceil(n / 4) * 4;
  const pw = Math.ceil(p / 4) * 4;
  const kp = k * pw;
  const kpBytes = Math.ceil((kp * 8) / 16) * 16;
  const gOff = kpBytes;
  const zOff = 2 * kpBytes;
  const rOff = zOff + k * BLOCK * 8;
  const xOff = rOff + k * BLOCK * 8;
  const bytes = xOff + stride * pw * 8;
  const mod = preferWasm && bytes < 2 ** 31 ? wasmModule() : null;
  let buffer: ArrayBuffer;
  let zFn: BlockFn | null = null;
  let gFn: BlockFn | null = null;
  let arena: Arena | null = null;
  if (mod) {
    try {
      arena = takeArena(mod, bytes);
      buffer = arena.mem.buffer;
      zFn = arena.inst.exports.z as unknown as BlockFn;
      gFn = arena.inst.exports.g as unknown as BlockFn;
    } catch {
      arena = null;
      buffer = new ArrayBuffer(bytes);
      zFn = null;
    }
  } else buffer = new ArrayBuffer(bytes);
  const release = () => {
    if (arena && arena === cachedArena?.deref()) arenaBusy = false;
  };
  const w = new Float64Array(buffer, 0, kp);
  const g = new Float64Array(buffer, gOff, kp);
  const z = new Float64Array(buffer, zOff, k * BLOCK);
  const r = new Float64Array(buffer, rOff, k * BLOCK);
  const X = new Float64Array(buffer, xOff, stride * pw);
  w.fill(0);
  try {
    fillColumns(ds, columns, owner, X, stride);
  } catch (e) {
    release();
    throw e;
  }
  // zero padding (a reused arena holds an earlier fit's numbers)
  for (let j = 0; j < p; j++) X.fill(0, j * stride + n, (j + 1) * stride);
  X.fill(0, p * stride, pw * stride);
  if (zFn && gFn) {
    const zf = zFn;
    const gf = gFn;
    return {
      n,
      p,
      pw,
      stride,
      w,
      g,
      z,
      r,
      wasm: true,
      release,
      zBlock: (s, len, c) => zf(xOff + s * 8, stride * 8, len, pw, c * pw * 8, zOff + c * BLOCK * 8),
      gBlock: (s, len, c) => gf(xOff + s * 8, stride * 8, len, pw, rOff + c * BLOCK * 8, gOff + c * pw * 8),
    };
  }
  return {
    n,
    p,
    pw,
    stride,
    w,
    g,
    z,
    r,
    wasm: false,
    release,
    zBlock: (s, len, c) => {
      const zo = c * BLOCK;
      const wo = c * pw;
      for (let j = 0; j < p; j++) {
        const a = w[wo + j] as number;
        if (a === 0) continue;
        const o = j * stride + s;
        for (let i = 0; i < len; i++) z[zo + i] = (z[zo + i] as number) + a * (X[o + i] as number);
      }
    },
    gBlock: (s, len, c) => {
      const ro = c * BLOCK;
      const go = c * pw;
      for (let j = 0; j < p; j++) {
        const o = j * stride + s;
        let a0 = 0;
        let a1 = 0;
        for (let i = 0; i < len; i += 2) {
          a0 += (X[o + i] as number) * (r[ro + i] as number);
          a1 += (X[o + i + 1] as number) * (r[ro + i + 1] as number);
        }
        g[go + j] = (g[go + j] as number) + a0 + a1;
      }
    },
  };
}

/** Copies the columns into `X` (column-major, `stride` rows each, zero padding), with the usual checks. */
function fillColumns(ds: Dataset, columns: readonly string[], owner: string, X: Float64Array, stride: number): void {
  const n = ds.nrows;
  for (let j = 0; j < columns.length; j++) {
    const col = ds.column(columns[j] as string);
    const o = j * stride;
    let bad = false;
    if (col.kind === 'number' || col.kind === 'integer' || col.kind === 'datetime') {
      const v = col.values;
      for (let i = 0; i < n; i++) {
        const x = v[i] as number;
        // NaN or ±Infinity
        if (x - x !== 0) {
          bad = true;
          break;
        }
      }
      if (!bad) X.set(v.length === n ? v : v.subarray(0, n), o);
    } else if (col.kind === 'boolean') {
      const v = col.values;
      for (let i = 0; i < n; i++) {
        const x = v[i] as number;
        if (x < 0) {
          bad = true;
          break;
        }
        X[o + i] = x;
      }
    } else bad = true;
    if (bad) {
      // throws the usual error naming the column; the fallback copy is never reached in practice
      const m = featureMatrix(ds, columns, { owner, allowMissing: false }).data;
      const p = columns.length;
      for (let jj = 0; jj < p; jj++) for (let i = 0; i < n; i++) X[jj * stride + i] = m[i * p + jj] as number;
      return;
    }
  }
}
