export * from './common.js';
export * from './ecod.js';
export * from './elliptic-envelope.js';
export * from './ensemble.js';
export * from './isolation-forest.js';
export * from './lof.js';
export * from './one-class-svm.js';
export * from './statistical.js';
