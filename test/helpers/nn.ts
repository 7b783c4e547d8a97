/**
 * Starts the tessera/nn backend in tests, in Node and in Chromium (where the WASM binaries are
 * served by Vite as asset URLs). Use `await startBackend()` in a `beforeAll` of every nn test.
 */

import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { ensureBackend } from '../../src/nn/index.js';

export function startBackend(): Promise<string> {
  const inBrowser = typeof window !== 'undefined';
  return ensureBackend(
    inBrowser
      ? { wasmPaths: { 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded } }
      : {},
  );
}
