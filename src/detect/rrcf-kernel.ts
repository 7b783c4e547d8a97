/**
 * The random cut forest's update step as a small hand-assembled WebAssembly module (internal).
 *
 * It runs exactly the same arithmetic, in the same order, as the JavaScript methods of the tree in
 * `rrcf.ts` (insertion with CoDisp on the way down, eviction with box repair on the way up, the
 * mulberry32 stream), on the same node layout, so both paths give identical bits and a forest can
 * be serialised by one and restored by the other. Memory layout of a forest (byte offsets):
 *
 * - 0: the random stream's state (u32); 8: the point being inserted (d f64);
 * - from `8 + 8d`, one block per tree of `treeBytes` bytes: box/cut records (nodes x (2d+1) f64),
 *   link records (nodes x 5 i32: left, right, parent, mass, cut dimension), the leaf of each window
 *   slot (cap i32), the free list (nodes i32), then nFree and root (2 i32).
 *
 * The code is written below in a terse stack-machine listing (one instruction per `;` or line,
 * `#` starts a comment to the end of its line) that `Fn.asm` turns into bytes; the listing is a constant of this file,
 * never user input.
 */

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
  HEADER,
  I32,
  I32_ADD,
  I32_AND,
  I32_CONST,
  I32_GE_S,
  I32_MUL,
  I32_SHL,
  IF_OP,
  LOCAL_GET,
  LOCAL_SET,
  LOCAL_TEE,
  LOOP_OP,
  lazyModule,
  SELECT,
  section,
  sleb,
  str,
  uleb,
} from '../core/wasm.js';

/** Opcodes without immediates, by the listing's names (`f.` = f64); core/wasm's constants where it has them. */
const OPS: Record<string, number> = {
  add: I32_ADD,
  sub: 0x6b,
  mul: I32_MUL,
  and: I32_AND,
  or: 0x72,
  xor: 0x73,
  shl: I32_SHL,
  shr_u: 0x76,
  eqz: 0x45,
  eq: 0x46,
  lt_s: 0x48,
  gt_s: 0x4a,
  ge_s: I32_GE_S,
  'f.eq': 0x61,
  'f.ne': 0x62,
  'f.lt': F64_LT,
  'f.gt': 0x64,
  'f.le': 0x65,
  'f.add': F64_ADD,
  'f.sub': F64_SUB,
  'f.mul': F64_MUL,
  'f.div': 0xa3,
  'f.from_s': 0xb7,
  'f.from_u': 0xb8,
  select: SELECT,
  return: 0x0f,
  else: ELSE,
  end: END,
};
/** Structured instructions without a result (block type 0x40). */
const BLOCKS: Record<string, number[]> = { block: BLOCK_OP, loop: LOOP_OP, if: IF_OP };

/** Instructions with a local (get/set/tee), an index (branch depth, function) or a memory offset (opcode and alignment). */
const LOCAL_OPS: Record<string, number> = { get: LOCAL_GET, set: LOCAL_SET, tee: LOCAL_TEE };
const INDEX_OPS: Record<string, number> = { br: BR, br_if: BR_IF, call: 0x10 };
const MEMORY_OPS: Record<string, number[]> = { ld: [0x28, 2], st: [0x36, 2], ldf: [0x2b, 3], stf: [0x39, 3] };

// link record field offsets (bytes)
const LEFT = 0;
const RIGHT = 4;
const PARENT = 8;
const MASS = 12;
const DIM = 16;

/** One function: named locals (params first, then i32 and f64 locals) and its listing. */
class Fn {
  private readonly idx = new Map<string, number>();
  constructor(
    params: string[],
    private readonly i32s: string[],
    private readonly f64s: string[],
  ) {
    for (const n of [...params, ...i32s, ...f64s]) this.idx.set(n, this.idx.size);
  }

  /** Assembles a listing into the function body (local declarations, code, size prefix). */
  asm(listing: string): number[] {
    const code: number[] = [];
    const instructions = listing.split('\n').flatMap((l) => l.replace(/#.*/, '').split(';'));
    for (const raw of instructions) {
      const line = raw.trim();
      if (line === '') continue;
      const [op = '', arg = ''] = line.split(/\s+/);
      const local = (): number => {
        const k = this.idx.get(arg);
        if (k === undefined) throw new Error(`rrcf kernel: unknown local ${arg}`);
        return k;
      };
      const n = Number(arg);
      const withLocal = LOCAL_OPS[op];
      const withIndex = INDEX_OPS[op];
      const memory = MEMORY_OPS[op];
      if (withLocal !== undefined) code.push(withLocal, ...uleb(local()));
      else if (withIndex !== undefined) code.push(withIndex, ...uleb(n));
      else if (memory !== undefined) code.push(...memory, ...uleb(n));
      else if (op === 'i32') code.push(I32_CONST, ...sleb(n | 0));
      else if (op === 'f64') code.push(F64_CONST, ...new Uint8Array(new Float64Array([n]).buffer));
      else if (BLOCKS[op] !== undefined) code.push(...(BLOCKS[op] as number[]));
      else if (op === 'if_f64') code.push(IF_OP[0] as number, F64);
      else {
        const o = OPS[op];
        if (o === undefined || arg !== '') throw new Error(`rrcf kernel: bad instruction ${line}`);
        code.push(o);
      }
    }
    const all = [2, ...uleb(this.i32s.length), I32, ...uleb(this.f64s.length), F64, ...code, END];
    return [...uleb(all.length), ...all];
  }
}

// Listing fragments shared by the functions (they use the locals they name).

/** `for (j = 0; j < d8; j += 8) { body }` over byte offsets; the body sits two labels deep (block, loop). */
const forJ = (body: string): string => `i32 0; set j; block; loop; get j; get d8; ge_s; br_if 1\n${body}\nget j; i32 8; add; set j; br 0; end; end`;
/** s8 = (2d + 1) * 8 (bytes per box record), d8 = d * 8. */
const STRIDES = 'get d; i32 4; shl; i32 8; add; set s8; get d; i32 3; shl; set d8';
/** Addresses of node n's link record (gb + 20n) and box record (fb + n s8). */
const gaddr = (n: string): string => `get gb; get ${n}; i32 20; mul; add`;
const faddr = (n: string): string => `get fb; get ${n}; get s8; mul; add`;
/** Addresses of lo[j] and hi[j] in the box record at local o, and of p[j]. */
const atLo = (o: string): string => `get ${o}; get j; add`;
const atHi = (o: string): string => `get ${o}; get d8; add; get j; add`;
const AT_P = 'get pp; get j; add';
/** v = p[j], lo = lo[j], hi = hi[j] of the box record at local o. */
const loadVLoHi = (o: string): string => `${AT_P}; ldf 0; set v; ${atLo(o)}; ldf 0; set lo; ${atHi(o)}; ldf 0; set hi`;
/** Pops a free node into local `into` (nFree--, node = free[nFree]); pushes node n back. */
const alloc = (into: string): string => `get frb; get hb; ld 0; i32 1; sub; tee tmp; i32 2; shl; add; ld 0; set ${into}; get hb; get tmp; st 0`;
const release = (n: string): string => `get frb; get hb; ld 0; i32 2; shl; add; get ${n}; st 0; get hb; get hb; ld 0; i32 1; add; st 0`;
/** A new leaf holding p (its box is the point), into local `leaf`. */
const NEW_LEAF = `${alloc('leaf')}; ${gaddr('leaf')}; tee tmp; i32 -1; st ${LEFT}; get tmp; i32 1; st ${MASS}; ${faddr('leaf')}; set ou
${forJ(`${atLo('ou')}; ${AT_P}; ldf 0; tee v; stf 0; ${atHi('ou')}; get v; stf 0`)}`;
/** leafOf[slot] = n. */
const setLeafOf = (n: string): string => `get lb; get slot; i32 2; shl; add; get ${n}; st 0`;
/** Replaces child `old` of node `par` (the root when par < 0) by `nu`. */
const replaceChild = (par: string, old: string, nu: string): string =>
  `get ${par}; i32 0; lt_s; if; get hb; get ${nu}; st 4; else
   ${gaddr(par)}; tee tmp; ld ${LEFT}; get ${old}; eq; if; get tmp; get ${nu}; st ${LEFT}; else; get tmp; get ${nu}; st ${RIGHT}; end
   end`;
/** Walks from node n to the root, dropping each mass by one and running `body` (with ni = n's link record) on the way. */
const walkUp = (body: string): string => `block; loop; get n; i32 0; lt_s; br_if 1
  ${gaddr('n')}; tee ni; get ni; ld ${MASS}; i32 1; sub; st ${MASS}
  ${body}
  get ni; ld ${PARENT}; set n; br 0; end; end`;
/** mulberry32's next draw in [0, 1), its state at address rp (same operations as FastRng.next). */
const DRAW = `get rp; get rp; ld 0; i32 ${0x6d2b79f5}; add; tee ra; st 0
  get ra; get ra; i32 15; shr_u; xor; get ra; i32 1; or; mul; set rt                 # t = imul(a ^ a >>> 15, a | 1)
  get rt; get rt; get rt; get rt; i32 7; shr_u; xor; get rt; i32 61; or; mul; add; xor; tee rt  # t ^= t + imul(t ^ t >>> 7, t | 61)
  get rt; i32 14; shr_u; xor; f.from_u; f64 ${2 ** -32}; f.mul                         # (t ^ t >>> 14) / 2^32
`;

const TREE_PARAMS = ['fb', 'gb', 'lb', 'frb', 'hb', 'd', 'slot'];

/** ins(fb, gb, lb, frb, hb, d, slot, pp, rp) -> CoDisp of the inserted point (RcTree.insert). */
function insertBody(): number[] {
  const F = new Fn(
    [...TREE_PARAMS, 'pp', 'rp'],
    ['s8', 'd8', 'node', 'o', 'gi', 'j', 'c', 'leaf', 'u', 'ui', 'par', 'massNode', 'child', 'massChild', 'root', 'ra', 'rt', 'ou', 'tmp'],
    ['best', 'ext', 'span', 'v', 'lo', 'hi', 'r', 'x', 'e', 'ratio'],
  );
  return F.asm(`${STRIDES}
get hb; ld 4; tee root; i32 0; lt_s; if
  ${NEW_LEAF}
  ${gaddr('leaf')}; i32 -1; st ${PARENT}; get hb; get leaf; st 4; ${setLeafOf('leaf')}; f64 0; return
end
get root; set node; f64 0; set best
loop
  ${faddr('node')}; set o; ${gaddr('node')}; set gi; f64 0; set ext; f64 0; set span
  ${forJ(`${loadVLoHi('o')}; get span; get hi; get lo; f.sub; f.add; set span
    get v; get lo; f.lt; if; get ext; get lo; get v; f.sub; f.add; set ext
    else; get v; get hi; f.gt; if; get ext; get v; get hi; f.sub; f.add; set ext; end; end`)}
  # a duplicate of this leaf's point
  get ext; f64 0; f.eq; get span; f64 0; f.eq; and; if
    get gi; get gi; ld ${MASS}; i32 1; add; st ${MASS}; ${setLeafOf('node')}; get best; return
  end
  # r = ext > 0 ? draw * (span + ext) : ext; the cut separates p when r < ext
  get ext; f64 0; f.gt; if_f64; ${DRAW}; get span; get ext; f.add; f.mul; else; get ext; end; tee r
  get ext; f.lt; if
    i32 -1; set c; f64 0; set x
    ${forJ(`${loadVLoHi('o')}
      get v; get lo; f.lt; if_f64; get lo; get v; f.sub; else; get v; get hi; f.gt; if_f64; get v; get hi; f.sub; else; f64 0; end; end; tee e
      f64 0; f.ne; if
        get j; i32 3; shr_u; set c
        get v; get lo; f.lt; if
          get v; get r; f.add; tee x; get v; get x; get lo; f.lt; select; set x
        else
          get hi; get r; f.add; tee x; get hi; get x; get v; f.lt; select; set x
        end
        get r; get e; f.lt; br_if 2   # out of the j loop (if, loop, block)
        get r; get e; f.sub; set r
      end`)}
    ${NEW_LEAF}
    ${alloc('u')}; ${gaddr('u')}; set ui; get gi; ld ${PARENT}; set par
    get ui; get c; st ${DIM}
    ${faddr('u')}; tee ou; get d8; i32 1; shl; add; get x; stf 0
    get pp; get c; i32 3; shl; add; ldf 0; get x; f.le; if
      get ui; get leaf; st ${LEFT}; get ui; get node; st ${RIGHT}
    else
      get ui; get node; st ${LEFT}; get ui; get leaf; st ${RIGHT}
    end
    get ui; get par; st ${PARENT}; get gi; get u; st ${PARENT}; ${gaddr('leaf')}; get u; st ${PARENT}
    get ui; get gi; ld ${MASS}; i32 1; add; st ${MASS}
    ${forJ(`${loadVLoHi('o')}
      ${atLo('ou')}; get v; get lo; get v; get lo; f.lt; select; stf 0
      ${atHi('ou')}; get v; get hi; get v; get hi; f.gt; select; stf 0`)}
    ${replaceChild('par', 'node', 'u')}
    ${setLeafOf('leaf')}
    get gi; ld ${MASS}; f.from_s; tee ratio; get best; get ratio; get best; f.gt; select; return
  end
  # not separated: count p, extend the box, follow the cut
  get gi; get gi; ld ${MASS}; tee massNode; i32 1; add; st ${MASS}
  get ext; f64 0; f.gt; if
    ${forJ(`${AT_P}; ldf 0; tee v; ${atLo('o')}; ldf 0; f.lt; if; ${atLo('o')}; get v; stf 0
      else; get v; ${atHi('o')}; ldf 0; f.gt; if; ${atHi('o')}; get v; stf 0; end; end`)}
  end
  get gi; ld ${LEFT}; get gi; ld ${RIGHT}
  get pp; get gi; ld ${DIM}; i32 3; shl; add; ldf 0; get o; get d8; i32 1; shl; add; ldf 0; f.le; select; set child
  # the sibling's mass is the node's (before p) minus the child's
  ${gaddr('child')}; ld ${MASS}; set massChild
  get massNode; get massChild; sub; f.from_s; get massChild; i32 1; add; f.from_s; f.div; tee ratio
  get best; get ratio; get best; f.gt; select; set best
  get child; set node; br 0
end
f64 0`);
}

/** rem(fb, gb, lb, frb, hb, d, slot): evicts the point of a window slot (RcTree.remove). */
function removeBody(): number[] {
  const F = new Fn(
    TREE_PARAMS,
    ['s8', 'd8', 'leaf', 'n', 'par', 'sib', 'grand', 'pi', 'ni', 'o', 'a', 'b', 'j', 'boxes', 'onFace', 'changed', 'q', 'tmp'],
    ['v', 'la', 'lb2', 'ha', 'hb2', 'lo', 'hi'],
  );
  return F.asm(`${STRIDES}
get lb; get slot; i32 2; shl; add; tee tmp; ld 0; set leaf; get tmp; i32 -1; st 0
get leaf; i32 0; lt_s; if; return; end
# a duplicate: only the masses on the path drop
${gaddr('leaf')}; ld ${MASS}; i32 1; gt_s; if
  get leaf; set n; ${walkUp('')}; return
end
${gaddr('leaf')}; ld ${PARENT}; set par
# the removed point is read from the released leaf's record (nothing is allocated before the repair ends)
${faddr('leaf')}; set q; ${release('leaf')}
get par; i32 0; lt_s; if; get hb; i32 -1; st 4; return; end
${gaddr('par')}; tee pi; ld ${RIGHT}; get pi; ld ${LEFT}; get pi; ld ${LEFT}; get leaf; eq; select; set sib
get pi; ld ${PARENT}; set grand
${gaddr('sib')}; get grand; st ${PARENT}
${replaceChild('grand', 'par', 'sib')}
${release('par')}
i32 1; set boxes; get grand; set n
${walkUp(`get boxes; if
  # a point strictly inside the box (on none of its faces) leaves it, and the ancestors', as is
  ${faddr('n')}; set o; i32 0; set onFace
  ${forJ(`get q; get j; add; ldf 0; tee v; ${atLo('o')}; ldf 0; f.eq; get v; ${atHi('o')}; ldf 0; f.eq; or
    if; i32 1; set onFace; br 2; end`)}
  get onFace; eqz; if; i32 0; set boxes; else
    get fb; get ni; ld ${LEFT}; get s8; mul; add; set a
    get fb; get ni; ld ${RIGHT}; get s8; mul; add; set b
    i32 0; set changed
    ${forJ(`${atLo('a')}; ldf 0; tee la; ${atLo('b')}; ldf 0; tee lb2; get la; get lb2; f.lt; select; set lo
      ${atHi('a')}; ldf 0; tee ha; ${atHi('b')}; ldf 0; tee hb2; get ha; get hb2; f.gt; select; set hi
      get lo; ${atLo('o')}; ldf 0; f.ne; get hi; ${atHi('o')}; ldf 0; f.ne; or; if
        i32 1; set changed; ${atLo('o')}; get lo; stf 0; ${atHi('o')}; get hi; stf 0
      end`)}
    # an unchanged box leaves every ancestor's box unchanged too
    get changed; eqz; if; i32 0; set boxes; end
  end
end`)}`);
}

/** step(base, treeBytes, nTrees, d, nodes, cap, slot, evict, pp, rp) -> sum of the trees' CoDisp (evict, then insert, tree by tree). */
function stepBody(): number[] {
  const F = new Fn(['base', 'tb', 'nT', 'd', 'nodes', 'cap', 'slot', 'evict', 'pp', 'rp'], ['k', 'fb', 'gb', 'lb', 'frb', 'hb'], ['sum']);
  const args = 'get fb; get gb; get lb; get frb; get hb; get d; get slot';
  return F.asm(`f64 0; set sum; i32 0; set k
block; loop; get k; get nT; ge_s; br_if 1
  get base; get k; get tb; mul; add; tee fb
  get nodes; get d; i32 4; shl; i32 8; add; mul; add; tee gb
  get nodes; i32 20; mul; add; tee lb
  get cap; i32 2; shl; add; tee frb
  get nodes; i32 2; shl; add; set hb
  get evict; if; ${args}; call 1; end
  get sum; ${args}; get pp; get rp; call 0; f.add; set sum
  get k; i32 1; add; set k; br 0
end; end
get sum`);
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const fnType = (params: number, results: number[]): number[] => [
    0x60,
    ...uleb(params),
    ...Array<number>(params).fill(I32),
    ...uleb(results.length),
    ...results,
  ];
  const bytes = [
    ...HEADER,
    ...section(1, [3, ...fnType(9, [F64]), ...fnType(7, []), ...fnType(10, [F64])]),
    ...section(2, [1, ...str('env'), ...str('mem'), 0x02, 0x00, 1]),
    ...section(3, [3, 0, 1, 2]),
    ...section(7, [1, ...str('step'), 0x00, 2]),
    ...section(10, [3, ...insertBody(), ...removeBody(), ...stepBody()]),
  ];
  return Uint8Array.from(bytes);
}

const wasmModule = lazyModule(moduleBytes);
let preferWasm = true;

/**
 * Turns the WebAssembly update step of {@link RandomCutForest} off (or back on) for forests created
 * afterwards, so that the JavaScript path can be tested against it. Returns the previous setting.
 * Internal (not exported from the package).
 *
 * @example
 * ```ts
 * const was = useRcfWasm(false); // forests built now use the JavaScript trees
 * useRcfWasm(was);
 * ```
 */
export function useRcfWasm(on: boolean): boolean {
  const was = preferWasm;
  preferWasm = on;
  return was;
}

/** The update step over a forest's memory. */
export type RcfStep = (
  base: number,
  treeBytes: number,
  nTrees: number,
  d: number,
  nodes: number,
  cap: number,
  slot: number,
  evict: number,
  pointAt: number,
  rngAt: number,
) => number;

/**
 * A forest's memory and its compiled step, or null where WebAssembly is unavailable, turned off, or
 * the forest would not fit in 32-bit memory. Internal.
 *
 * @example
 * ```ts
 * const k = rcfKernel(1 << 20); // { memory, step } or null
 * ```
 */
export function rcfKernel(bytes: number): { memory: WebAssembly.Memory; step: RcfStep } | null {
  if (!preferWasm || bytes > 1 << 30) return null;
  const compiled = wasmModule();
  if (compiled === null) return null;
  try {
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
    const instance = new WebAssembly.Instance(compiled, { env: { mem: memory } });
    return { memory, step: instance.exports.step as RcfStep };
  } catch {
    return null;
  }
}
