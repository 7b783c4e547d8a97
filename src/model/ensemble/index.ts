export * from './gradient-boosting.js';
export * from './random-forest.js';
