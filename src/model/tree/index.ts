export type { ForestArrays } from './cart.js';
export * from './decision-tree.js';
