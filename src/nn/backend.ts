import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

let ready: Promise<string> | undefined;

/**
 * Makes sure a TensorFlow.js backend is ready: the WASM backend when it can start (Node and
 * browsers; its .wasm files ship inside `@tensorflow/tfjs-backend-wasm`), else the pure-JS `cpu`
 * backend. Returns the backend's name. Called by every `tessera/nn` primitive before it fits.
 *
 * @example
 * ```ts
 * import { ensureBackend } from 'tessera/nn';
 * await ensureBackend(); // 'wasm'
 * ```
 */
export function ensureBackend(preferred: 'wasm' | 'cpu' = 'wasm'): Promise<string> {
  ready ??= (async () => {
    try {
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
