import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let ready: Promise<string> | undefined;

/**
 * Where the browser finds the WASM backend's binaries: a URL prefix ending in `/`, or one URL per
 * file name (`tfjs-backend-wasm.wasm`, `tfjs-backend-wasm-simd.wasm`,
 * `tfjs-backend-wasm-threaded-simd.wasm`). Node needs none (the files ship in the package).
 *
 * @example
 * ```ts
 * const paths: WasmPaths = 'https://cdn.example.com/tfjs-backend-wasm@4.22.0/dist/';
 * ```
 */
export type WasmPaths = string | Partial<Record<'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm', string>>;

/**
 * Options of {@link ensureBackend}.
 *
 * @example
 * ```ts
 * await ensureBackend({ backend: 'cpu' });
 * ```
 */
export interface BackendOptions {
  /** Backend to try first: `wasm` (default) or the pure-JS `cpu`. */
  backend?: 'wasm' | 'cpu';
  /** Where a browser loads the WASM binaries from (bundlers: import them as asset URLs). */
  wasmPaths?: WasmPaths;
}

/**
 * Makes sure a TensorFlow.js backend is ready: the WASM backend when it can start (its .wasm
 * files ship inside `@tensorflow/tfjs-backend-wasm`: Node finds them by itself; a browser needs
 * `wasmPaths`), else the pure-JS `cpu` backend. Returns the backend's name. Every `tessera/nn`
 * primitive calls it before fitting; the first call decides.
 *
 * @example
 * ```ts
 * import { ensureBackend } from 'tessera/nn';
 * await ensureBackend(); // 'wasm' in Node
 * ```
 */
export function ensureBackend(options: BackendOptions = {}): Promise<string> {
  ready ??= (async () => {
    const preferred = options.backend ?? 'wasm';
    try {
      if (preferred === 'wasm' && options.wasmPaths !== undefined) setWasmPaths(options.wasmPaths as Parameters<typeof setWasmPaths>[0]);
      if (await tf.setBackend(preferred)) {
        await tf.ready();
        return tf.getBackend();
      }
    } catch {
      // fall through to cpu
    }
    await tf.setBackend('cpu');
    await tf.ready();
    return tf.getBackend();
  })();
  return ready;
}

/**
 * Number of live tensors (for leak checks in tests).
 *
 * @example
 * ```ts
 * const before = tensorCount();
 * ```
 */
export function tensorCount(): number {
  return tf.memory().numTensors;
}

export { tf };
