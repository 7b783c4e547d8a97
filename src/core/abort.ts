import { TesseraError } from './errors.js';

/**
 * Throws `E_ABORTED` if the signal is aborted.
 *
 * @example
 * ```ts
 * checkAbort(options.signal);
 * ```
 */
export function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new TesseraError('E_ABORTED', 'fit aborted', { reason: String(signal.reason ?? '') });
}

/**
 * Lets the event loop run (so a browser stays responsive during a long fit), then checks the signal.
 *
 * @example
 * ```ts
 * for (let it = 0; it < maxIter; it++) { step(); if (it % 10 === 0) await yieldToEventLoop(signal); }
 * ```
 */
export async function yieldToEventLoop(signal?: AbortSignal): Promise<void> {
  checkAbort(signal);
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  checkAbort(signal);
}
