/**
 * `tessera/nn`: primitives backed by TensorFlow.js (WASM backend in Node and browsers). This is the
 * only entry point that imports `@tensorflow/tfjs`.
 *
 * @packageDocumentation
 */

export * from './autoencoder.js';
export { type BackendOptions, ensureBackend, tensorCount, type WasmPaths } from './backend.js';
export * from './lstm-forecaster.js';
export * from './mlp.js';
export * from './vae-imputer.js';
