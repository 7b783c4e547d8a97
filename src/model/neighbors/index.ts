export { KnnOptions, type KnnParams } from './common.js';
export * from './k-neighbors-classifier.js';
export * from './k-neighbors-regressor.js';
export { bruteKnn, KdTree } from './kd-tree.js';
