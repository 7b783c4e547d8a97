/**
 * tessera: an embeddable TypeScript SDK for data AI. The core entry (`tessera`) has no
 * TensorFlow.js and no Node-only API; see `tessera/node` and `tessera/nn`.
 *
 * @packageDocumentation
 */
export * from './core/index.js';
export * from './dataset/index.js';
export * from './transform/index.js';
