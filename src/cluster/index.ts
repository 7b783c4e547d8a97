export * from './agglomerative.js';
export * from './common.js';
export * from './dbscan.js';
export * from './kd-tree.js';
export * from './kmeans.js';
export * from './kmeans-core.js';
export * from './metrics.js';
