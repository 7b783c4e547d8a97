// ---------------------------------------------------------------------------------------------
// A hand-assembled WebAssembly SIMD (f64x2) kernel for the k-means++ seeding, with the same
// arithmetic as the JavaScript distance kernels of kmeans-core.ts, so that both paths give the
// same bits: a squared distance is summed with the even columns in one accumulator and the odd
// columns in another (f64x2 lanes 0 and 1), an odd last column is added to the even sum, and the
// two sums are added at the end; WebAssembly has no fused multiply-add in these instructions and
// JavaScript engines do not fuse, so every rounding is the same. The module is built here at load
// (no code generation from strings), in the way of src/model/linear/column-kernel.ts.
//
// Four functions score1 .. score4 (m candidates), all (x, d, n, c0, c1, c2, c3, closest, assign,
// bound, trial, pot), i32 byte addresses except d and n (counts); c_t for t >= m are unused:
//   for i < n: ci = closest[i]
//     if bound[assign[i]] < ci: w_t = min(ci, |x_i - c_t|²) for t < m  (c_t: byte address of a row)
//     else w_t = ci
//     trial[t·n + i] = w_t; pot[t] += w_t (pot starts at 0, sums in row order)

import {
  BLOCK_OP,
  BR,
  BR_IF,
  ELSE,
  END,
  F64,
  F64_ADD,
  F64_CONST,
  F64_LT,
  F64_MUL,
  F64_SUB,
  get,
  HEADER,
  I32,
  I32_ADD,
  I32_AND,
  I32_GE_U,
  I32_LT_U,
  I32_MUL,
  I32_SHL,
  IF_OP,
  i32c,
  LOOP_OP,
  lazyModule,
  SELECT,
  section,
  set,
  simd,
  str,
  tee,
  uleb,
  V128,
} from '../core/wasm.js';

const F64_LOAD = [0x2b, 3, 0];
const F64_STORE = [0x39, 3, 0];
const I32_LOAD = [0x28, 2, 0];
const V128_LOAD = simd(0, 3, 0); // alignment hint 8 bytes: rows start at any multiple of 8
const V128_ZERO = simd(12, ...new Array<number>(16).fill(0));
const F64X2_EXTRACT = (lane: number) => simd(33, lane);
const F64X2_ADD = simd(240);
const F64X2_SUB = simd(241);
const F64X2_MUL = simd(242);
const F64_ZERO = [F64_CONST, 0, 0, 0, 0, 0, 0, 0, 0];

// params
const PX = 0;
const PD = 1;
const PN = 2;
const PC = [3, 4, 5, 6];
const PCLOSEST = 7;
const PASSIGN = 8;
const PBOUND = 9;
const PTRIAL = 10;
const PPOT = 11;
// i32 locals
const LI = 12; // row index
const LXO = 13; // row address
const LQ = 14; // byte offset in the row
const LPAIR = 15; // bytes of the even-length prefix of a row
const LNB = 16; // n·8: stride between the candidates' trial rows
const LTB = 17; // trial + i·8
const LROW = 18; // d·8
// f64 locals
const LCI = 19;
const LP = [20, 21, 22, 23];
const LXS = 24;
const LW = [25, 26, 27, 28];
// v128 locals
const LACC = [29, 30, 31, 32];
const LXV = 33;
const LU = 34;

/** The body of `score<m>`: the kernel for the first `m` candidates (1 to 4). */
const scoreBody = (m: number): number[] => {
  const T4 = [0, 1, 2, 3].slice(0, m);
  return [
    // prologue
    ...get(PD),
    ...i32c(-2),
    I32_AND,
    ...i32c(3),
    I32_SHL,
    ...set(LPAIR),
    ...get(PD),
    ...i32c(3),
    I32_SHL,
    ...set(LROW),
    ...get(PN),
    ...i32c(3),
    I32_SHL,
    ...set(LNB),
    ...get(PX),
    ...set(LXO),
    ...get(PTRIAL),
    ...set(LTB),
    // rows
    ...BLOCK_OP,
    ...LOOP_OP,
    ...get(LI),
    ...get(PN),
    I32_GE_U,
    BR_IF,
    1,
    // ci = closest[i]
    ...get(PCLOSEST),
    ...get(LI),
    ...i32c(3),
    I32_SHL,
    I32_ADD,
    ...F64_LOAD,
    ...set(LCI),
    // bound[assign[i]] < ci ?
    ...get(PBOUND),
    ...get(PASSIGN),
    ...get(LI),
    ...i32c(2),
    I32_SHL,
    I32_ADD,
    ...I32_LOAD,
    ...i32c(3),
    I32_SHL,
    I32_ADD,
    ...F64_LOAD,
    ...get(LCI),
    F64_LT,
    ...IF_OP,
    ...T4.flatMap((t) => [...V128_ZERO, ...set(LACC[t] as number)]),
    ...i32c(0),
    ...set(LQ),
    // column pairs
    ...BLOCK_OP,
    ...LOOP_OP,
    ...get(LQ),
    ...get(LPAIR),
    I32_GE_U,
    BR_IF,
    1,
    ...get(LXO),
    ...get(LQ),
    I32_ADD,
    ...V128_LOAD,
    ...set(LXV),
    ...T4.flatMap((t) => [
      ...get(LACC[t] as number),
      ...get(LXV),
      ...get(PC[t] as number),
      ...get(LQ),
      I32_ADD,
      ...V128_LOAD,
      ...F64X2_SUB,
      ...tee(LU),
      ...get(LU),
      ...F64X2_MUL,
      ...F64X2_ADD,
      ...set(LACC[t] as number),
    ]),
    ...get(LQ),
    ...i32c(16),
    I32_ADD,
    ...set(LQ),
    BR,
    0,
    END,
    END,
    // odd last column: its square, else 0 (adding +0 to a sum of squares changes no bit)
    ...T4.flatMap((t) => [...F64_ZERO, ...set(LW[t] as number)]),
    ...get(LQ),
    ...get(LROW),
    I32_LT_U,
    ...IF_OP,
    ...get(LXO),
    ...get(LQ),
    I32_ADD,
    ...F64_LOAD,
    ...set(LXS),
    ...T4.flatMap((t) => [
      ...get(LXS),
      ...get(PC[t] as number),
      ...get(LQ),
      I32_ADD,
      ...F64_LOAD,
      F64_SUB,
      ...tee(LW[t] as number),
      ...get(LW[t] as number),
      F64_MUL,
      ...set(LW[t] as number),
    ]),
    END,
    // w = (even sum + last square) + odd sum, then min(w, ci)
    ...T4.flatMap((t) => [
      ...get(LACC[t] as number),
      ...F64X2_EXTRACT(0),
      ...get(LW[t] as number),
      F64_ADD,
      ...get(LACC[t] as number),
      ...F64X2_EXTRACT(1),
      F64_ADD,
      ...tee(LW[t] as number),
      ...get(LCI),
      ...get(LW[t] as number),
      ...get(LCI),
      F64_LT,
      SELECT,
      ...set(LW[t] as number),
    ]),
    ELSE,
    ...T4.flatMap((t) => [...get(LCI), ...set(LW[t] as number)]),
    END,
    // trial rows and potentials
    ...T4.flatMap((t) => [
      ...get(LTB),
      ...(t === 0 ? [] : [...get(LNB), ...i32c(t), I32_MUL, I32_ADD]),
      ...get(LW[t] as number),
      ...F64_STORE,
      ...get(LP[t] as number),
      ...get(LW[t] as number),
      F64_ADD,
      ...set(LP[t] as number),
    ]),
    ...get(LI),
    ...i32c(1),
    I32_ADD,
    ...set(LI),
    ...get(LXO),
    ...get(LROW),
    I32_ADD,
    ...set(LXO),
    ...get(LTB),
    ...i32c(8),
    I32_ADD,
    ...set(LTB),
    BR,
    0,
    END,
    END,
    ...T4.flatMap((t) => [...get(PPOT), ...get(LP[t] as number), 0x39, 3, ...uleb(8 * t)]),
    END,
  ];
};

function moduleBytes(): Uint8Array<ArrayBuffer> {
  // locals: 7 i32 (12..18), 10 f64 (19..28), 6 v128 (29..34)
  const fns = [1, 2, 3, 4].map((m) => {
    const fn = [3, 7, I32, 10, F64, 6, V128, ...scoreBody(m)];
    return [...uleb(fn.length), ...fn];
  });
  const bytes = [
    ...HEADER,
    ...section(1, [1, 0x60, 12, ...new Array<number>(12).fill(I32), 0]),
    ...section(3, [4, 0, 0, 0, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [5, ...str('mem'), 0x02, 0, ...[1, 2, 3, 4].flatMap((m) => [...str(`score${m}`), 0x00, m - 1])]),
    ...section(10, [4, ...fns.flat()]),
  ];
  return Uint8Array.from(bytes);
}

const wasmModule = lazyModule(moduleBytes);

type Score = (
  x: number,
  d: number,
  n: number,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  closest: number,
  assign: number,
  bound: number,
  trial: number,
  pot: number,
) => void;

interface Arena {
  /** score1 .. score4 */
  fns: Score[];
  mem: WebAssembly.Memory;
}

// One instance and its memory are kept (weakly: the garbage collector may take them) for the next
// seeding: the page faults of a fresh memory cost more than a seeding pass. The seeding is
// synchronous, so no two users ever share the arena at the same time.
let cachedArena: WeakRef<Arena> | undefined;
let preferWasm = true;

/**
 * Turns the WebAssembly SIMD kernel of the k-means++ seeding off (or back on), so that the pure
 * JavaScript path can be tested and compared; both give the same bits. Returns the previous setting.
 *
 * @example
 * ```ts
 * const was = useKMeansWasm(false); // ... fit with the JavaScript loops ...
 * useKMeansWasm(was);
 * ```
 */
export function useKMeansWasm(on: boolean): boolean {
  const was = preferWasm;
  preferWasm = on;
  return was;
}

/**
 * Working memory of one k-means++ seeding in WebAssembly memory: a copy of the rows (`X`), each
 * row's squared distance to its nearest seed (`closest`) and that seed (`assign`), per-seed bounds
 * (`bound`), the candidates' capped distances (`trial`, `groups x 4` rows of n) and their sums (`pot`).
 *
 * @example
 * ```ts
 * const a = seedArena(X, n, d, k, 1);
 * if (a) { a.bound.fill(-Infinity); a.score(0, 1, 0, 0, 0, 0); }
 * ```
 */
export interface SeedArena {
  readonly X: Float64Array;
  readonly closest: Float64Array;
  readonly assign: Int32Array;
  readonly bound: Float64Array;
  readonly trial: Float64Array;
  readonly pot: Float64Array;
  /**
   * Scores the first `m` (1 to 4) of the candidate rows `r0..r3` of `X` into trial rows
   * `4·group .. 4·group + m - 1` and `pot[0 .. m-1]`: `trial = min(closest, |x - X[r]|²)`,
   * computed only for rows with `bound[assign] < closest` (the others get `closest`).
   */
  score(group: number, m: number, r0: number, r1: number, r2: number, r3: number): void;
}

/**
 * A {@link SeedArena} holding a copy of `X` (n x d, row-major), or `null` where WebAssembly SIMD
 * is unavailable, turned off by {@link useKMeansWasm}, or the data would not fit in its memory.
 *
 * @example
 * ```ts
 * const a = seedArena(new Float64Array([0, 1, 2, 3]), 2, 2, 2, 1);
 * ```
 */
export function seedArena(X: Float64Array, n: number, d: number, k: number, groups: number): SeedArena | null {
  if (!preferWasm || n === 0 || d === 0) return null;
  const xb = n * d * 8;
  const closestOff = xb;
  const trialOff = closestOff + n * 8;
  const boundOff = trialOff + groups * 4 * n * 8;
  const potOff = boundOff + k * 8;
  const assignOff = potOff + 32;
  const bytes = assignOff + n * 4;
  if (bytes >= 2 ** 31) return null;
  const mod = wasmModule();
  if (!mod) return null;
  let arena: Arena;
  try {
    const old = cachedArena?.deref();
    if (old) arena = old;
    else {
      const inst = new WebAssembly.Instance(mod, {});
      arena = { fns: [1, 2, 3, 4].map((m) => inst.exports[`score${m}`] as unknown as Score), mem: inst.exports.mem as WebAssembly.Memory };
      cachedArena = new WeakRef(arena);
    }
    const need = Math.ceil(bytes / 65536);
    const have = arena.mem.buffer.byteLength / 65536;
    if (need > have) arena.mem.grow(need - have);
  } catch {
    return null;
  }
  const buffer = arena.mem.buffer;
  const Xa = new Float64Array(buffer, 0, n * d);
  Xa.set(X.length === n * d ? X : X.subarray(0, n * d));
  const fns = arena.fns;
  const rowBytes = d * 8;
  const nb = n * 8;
  return {
    X: Xa,
    closest: new Float64Array(buffer, closestOff, n),
    assign: new Int32Array(buffer, assignOff, n),
    bound: new Float64Array(buffer, boundOff, k),
    trial: new Float64Array(buffer, trialOff, groups * 4 * n),
    pot: new Float64Array(buffer, potOff, 4),
    score: (group, m, r0, r1, r2, r3) =>
      (fns[m - 1] as Score)(
        0,
        d,
        n,
        r0 * rowBytes,
        r1 * rowBytes,
        r2 * rowBytes,
        r3 * rowBytes,
        closestOff,
        assignOff,
        boundOff,
        trialOff + group * 4 * nb,
        potOff,
      ),
  };
}
