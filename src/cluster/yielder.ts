import { checkAbort, yieldToEventLoop } from '../core/abort.js';

/**
 * A cooperative scheduler for long fits: `tick()` checks the abort signal every call and lets the
 * event loop run once at least `everyMs` milliseconds have passed since the last yield, so a
 * browser stays responsive without paying a timer per iteration.
 *
 * @example
 * ```ts
 * const tick = yielder(options?.signal);
 * for (let it = 0; it < maxIter; it++) { step(); await tick(); }
 * ```
 */
export function yielder(signal: AbortSignal | undefined, everyMs = 40): () => Promise<void> {
  let last = now();
  return async () => {
    checkAbort(signal);
    const t = now();
    if (t - last >= everyMs) {
      await yieldToEventLoop(signal);
      last = now();
    }
  };
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
