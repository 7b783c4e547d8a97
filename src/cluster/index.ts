export * from './common.js';
export * from './kmeans.js';
export * from './kmeans-core.js';
