/**
 * scikit-learn-compatible Isolation Forest trees (internal): the same trees as scikit-learn 1.2's
 * `IsolationForest(random_state=seed)` for the same data, so scores agree to rounding. It
 * re-implements, from their documented behaviour, the random streams involved: NumPy's legacy
 * `RandomState` (MT19937 with masked rejection sampling for bounded integers), scikit-learn's
 * `sample_without_replacement` ("auto": a permutation, tracking selection or reservoir sampling by
 * the sampled fraction), the derived per-tree seeds, and the tree module's `rand_r` xorshift with its
 * Fisher-Yates feature draw (constant features remembered down the tree) and uniform thresholds on
 * float32 values, grown depth-first, left child first.
 */

/** NumPy's legacy `RandomState` for the draws scikit-learn makes (MT19937, masked bounded integers). */
export class NumpyRandomState {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30);
      // 1812433253 * prev + i, modulo 2^32, without losing precision
      mt[i] = (((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i) >>> 0;
    }
  }

  /** The next raw 32-bit output. */
  nextUint32(): number {
    const mt = this.mt;
    if (this.index >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = ((mt[k] as number) & 0x80000000) | ((mt[(k + 1) % 624] as number) & 0x7fffffff);
        mt[k] = ((mt[(k + 397) % 624] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
      }
      this.index = 0;
    }
    let y = mt[this.index++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform integer in [0, max] (max < 2^32), by masked rejection as NumPy's legacy bounded draws. */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    for (;;) {
      const v = (this.nextUint32() & mask) >>> 0;
      if (v <= max) return v;
    }
  }

  /** `randint(high)`: a uniform integer in [0, high). */
  randint(high: number): number {
    return this.interval(high - 1);
  }

  /** `permutation(n)`: Fisher-Yates from the end. */
  permutation(n: number): Int32Array {
    const a = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i >= 1; i--) {
      const j = this.interval(i);
      const t = a[i] as number;
      a[i] = a[j] as number;
      a[j] = t;
    }
    return a;
  }
}

/** scikit-learn's `sample_without_replacement(nPop, nSamp, random_state)` with method "auto". */
export function sampleWithoutReplacement(nPop: number, nSamp: number, rs: NumpyRandomState): Int32Array {
  const ratio = nPop !== 0 ? nSamp / nPop : 1;
  if (ratio > 0.01 && ratio < 0.99) return rs.permutation(nPop).slice(0, nSamp);
  if (ratio < 0.2) {
    // tracking selection
    const out = new Int32Array(nSamp);
    const seen = new Set<number>();
    for (let i = 0; i < nSamp; i++) {
      let j = rs.randint(nPop);
      while (seen.has(j)) j = rs.randint(nPop);
      seen.add(j);
      out[i] = j;
    }
    return out;
  }
  // reservoir sampling
  const out = Int32Array.from({ length: nSamp }, (_, i) => i);
  for (let i = nSamp; i < nPop; i++) {
    const j = rs.randint(i + 1);
    if (j < nSamp) out[j] = i;
  }
  return out;
}

const RAND_R_MAX = 0x7fffffff;
const FEATURE_THRESHOLD = 1e-7;
const INT32_MAX = 0x7fffffff;

/** The tree module's xorshift `rand_r` state. */
class RandR {
  constructor(public s: number) {}
  next(): number {
    let s = this.s >>> 0;
    if (s === 0) s = 1;
    s = (s ^ (s << 13)) >>> 0;
    s = (s ^ (s >>> 17)) >>> 0;
    s = (s ^ (s << 5)) >>> 0;
    this.s = s;
    return s % (RAND_R_MAX + 1);
  }
  int(low: number, high: number): number {
    return low + (this.next() % (high - low));
  }
  uniform(low: number, high: number): number {
    return ((high - low) * this.next()) / RAND_R_MAX + low;
  }
}

/** Trees in tessera's layout: children of node i at left[i] and left[i] + 1; leaves hold depth + c(size) in `value`. */
export interface SklearnForest {
  feature: Int32Array;
  split: Float64Array;
  left: Int32Array;
  value: Float64Array;
  roots: Int32Array;
}

/**
 * The double `t` such that, for every double x, `x <= t` exactly when `fround(x) <= thr`: scikit-learn
 * compares float32 inputs with double thresholds; this moves the rounding into the threshold so
 * that scoring reads the float64 data unchanged.
 */
export function float32Cut(thr: number): number {
  const f32 = new Float32Array(1);
  const i32 = new Int32Array(f32.buffer);
  let F = Math.fround(thr);
  const step = (x: number, up: boolean): number => {
    // the adjacent float32 of x (not NaN), upwards or downwards
    if (x === 0) return up ? 1.401298464324817e-45 : -1.401298464324817e-45;
    f32[0] = x;
    i32[0] = (i32[0] as number) + (x > 0 === up ? 1 : -1);
    return f32[0] as number;
  };
  if (F > thr) F = step(F, false); // the largest float32 <= thr
  if (F === Number.POSITIVE_INFINITY) return F;
  const up = step(F, true);
  const mid = up === Number.POSITIVE_INFINITY ? F + 2 ** 103 : (F + up) / 2; // exact in double
  // a tie rounds to the float32 with an even significand
  f32[0] = F;
  const evenF = ((i32[0] as number) & 1) === 0;
  if (evenF) return mid;
  // the largest double below mid
  const d = new Float64Array([mid]);
  const b = new BigInt64Array(d.buffer);
  b[0] = (b[0] as bigint) + (mid > 0 ? -1n : 1n);
  return d[0] as number;
}

/**
 * Grows `nEstimators` trees exactly as scikit-learn 1.2's `IsolationForest(random_state=seed,
 * max_samples=psi, max_features=nFeat / p)` on `data32` (row-major, values already rounded to
 * float32). Thresholds are returned as {@link float32Cut}s, to be compared with float64 inputs.
 */
export function growSklearnForest(
  data32: Float64Array,
  n: number,
  p: number,
  psi: number,
  nFeat: number,
  nEstimators: number,
  seed: number,
  leafValue: (depth: number, size: number) => number,
): SklearnForest {
  const depthLimit = Math.ceil(Math.log2(Math.max(psi, 2)));
  const maxNodes = 2 * psi - 1;
  const feature = new Int32Array(nEstimators * maxNodes);
  const split = new Float64Array(nEstimators * maxNodes);
  const left = new Int32Array(nEstimators * maxNodes);
  const value = new Float64Array(nEstimators * maxNodes);
  const roots = new Int32Array(nEstimators);
  const master = new NumpyRandomState(seed);
  const seeds = Array.from({ length: nEstimators }, () => master.randint(INT32_MAX));
  const features = new Int32Array(nFeat);
  const constant = new Int32Array(nFeat);
  const samples = new Int32Array(psi);
  // explicit stack of (node, start, end, depth, nConstant)
  const stack: number[] = [];
  let next = 0;
  for (let t = 0; t < nEstimators; t++) {
    const s = seeds[t] as number;
    const treeSeed = new NumpyRandomState(s).randint(INT32_MAX);
    const bag = new NumpyRandomState(s);
    // the tree sees the columns `cols` (all of them, in order, when nFeat = p: no draw then)
    const cols = sampleWithoutReplacement(p, nFeat, bag);
    const idx = sampleWithoutReplacement(n, psi, bag);
    samples.set(Int32Array.from(idx).sort());
    const rr = new RandR(new NumpyRandomState(treeSeed).randint(RAND_R_MAX));
    for (let j = 0; j < nFeat; j++) features[j] = j;
    const root = next++;
    roots[t] = root;
    stack.push(root, 0, psi, 0, 0);
    while (stack.length > 0) {
      const nConst = stack.pop() as number;
      const depth = stack.pop() as number;
      const end = stack.pop() as number;
      const start = stack.pop() as number;
      const node = stack.pop() as number;
      const size = end - start;
      let bestF = -1;
      let thr = 0;
      let nTotal = nConst;
      if (depth < depthLimit && size >= 2) {
        // Fisher-Yates draw of one non-constant feature (max_features = 1)
        let fi = nFeat;
        let nFound = 0;
        let nDrawn = 0;
        const nKnown = nConst;
        let visited = 0;
        while (fi > nTotal && (visited < 1 || visited <= nFound + nDrawn)) {
          visited++;
          let fj = rr.int(nDrawn, fi - nFound);
          if (fj < nKnown) {
            const tmp = features[nDrawn] as number;
            features[nDrawn] = features[fj] as number;
            features[fj] = tmp;
            nDrawn++;
            continue;
          }
          fj += nFound;
          const f = features[fj] as number;
          const col = cols[f] as number;
          let lo = data32[(samples[start] as number) * p + col] as number;
          let hi = lo;
          for (let r = start + 1; r < end; r++) {
            const v = data32[(samples[r] as number) * p + col] as number;
            if (v < lo) lo = v;
            else if (v > hi) hi = v;
          }
          if (hi <= lo + FEATURE_THRESHOLD) {
            features[fj] = features[nTotal] as number;
            features[nTotal] = f;
            nFound++;
            nTotal++;
            continue;
          }
          fi--;
          features[fj] = features[fi] as number;
          features[fi] = f;
          thr = rr.uniform(lo, hi);
          if (thr === hi) thr = lo;
          bestF = col;
          break;
        }
        // constant features found here are remembered for the descendants
        for (let k = 0; k < nKnown; k++) features[k] = constant[k] as number;
        for (let k = nKnown; k < nTotal; k++) constant[k] = features[k] as number;
      }
      if (bestF < 0) {
        feature[node] = -1;
        value[node] = leafValue(depth, size);
        continue;
      }
      let i = start;
      let j = end;
      while (i < j) {
        if ((data32[(samples[i] as number) * p + bestF] as number) <= thr) i++;
        else {
          j--;
          const tmp = samples[i] as number;
          samples[i] = samples[j] as number;
          samples[j] = tmp;
        }
      }
      const l = next;
      next += 2;
      feature[node] = bestF;
      split[node] = float32Cut(thr);
      left[node] = l;
      // right pushed first, so the left subtree is grown first (the random stream depends on it)
      stack.push(l + 1, i, end, depth + 1, nTotal);
      stack.push(l, start, i, depth + 1, nTotal);
    }
  }
  return { feature: feature.slice(0, next), split: split.slice(0, next), left: left.slice(0, next), value: value.slice(0, next), roots };
}
