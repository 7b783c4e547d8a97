/**
 * tessera: an embeddable TypeScript SDK for data AI. The core entry (`tessera`) has no
 * TensorFlow.js and no Node-only API; see `tessera/node` and `tessera/nn`.
 *
 * @packageDocumentation
 */
export * from './alert/index.js';
export * from './cluster/index.js';
export * from './core/index.js';
export * from './dataset/index.js';
export * from './detect/index.js';
export * from './model/index.js';
export * from './quality/index.js';
export * from './query/index.js';
export * from './reduce/index.js';
export * from './transform/index.js';
export * from './viz/index.js';
