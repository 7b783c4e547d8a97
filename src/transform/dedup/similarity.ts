import { editDistance } from '../../core/errors.js';

/**
 * Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, up to 4 characters).
 *
 * @example
 * ```ts
 * jaroWinkler('MARTHA', 'MARHTA'); // 0.961
 * ```
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  const ma = new Uint8Array(la);
  const mb = new Uint8Array(lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(lb - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (!mb[j] && a.charCodeAt(i) === b.charCodeAt(j)) {
        ma[i] = 1;
        mb[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let t = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (!ma[i]) continue;
    while (!mb[k]) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) t++;
    k++;
  }
  const jaro = (matches / la + matches / lb + (matches - t / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/**
 * Levenshtein similarity: 1 − distance / max length, in [0, 1].
 *
 * @example
 * ```ts
 * levenshteinSimilarity('kitten', 'sitting'); // 0.571
 * ```
 */
export function levenshteinSimilarity(a: string, b: string): number {
  const m = Math.max(a.length, b.length);
  if (m === 0) return 1;
  return 1 - editDistance(a, b) / m;
}

function tokens(s: string): string[] {
  return s
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);
}

/**
 * Token-set similarity (as fuzzywuzzy's `token_set_ratio`, on a 0-1 scale): compares the shared
 * tokens with each side's full sorted token list, so word order and repeated words do not matter.
 *
 * @example
 * ```ts
 * tokenSetSimilarity('Allen, Miss Elisabeth', 'Elisabeth Allen (Miss)'); // 1
 * ```
 */
export function tokenSetSimilarity(a: string, b: string): number {
  const ta = new Set(tokens(a));
  const tb = new Set(tokens(b));
  if (ta.size === 0 && tb.size === 0) return 1;
  const inter = [...ta].filter((t) => tb.has(t)).sort();
  const da = [...ta].filter((t) => !tb.has(t)).sort();
  const db = [...tb].filter((t) => !ta.has(t)).sort();
  const t0 = inter.join(' ');
  const t1 = [t0, ...da].filter(Boolean).join(' ');
  const t2 = [t0, ...db].filter(Boolean).join(' ');
  return Math.max(inter.length > 0 ? levenshteinSimilarity(t0, t1) : 0, inter.length > 0 ? levenshteinSimilarity(t0, t2) : 0, levenshteinSimilarity(t1, t2));
}
