export * from './exact-dedup.js';
export * from './fuzzy-dedup.js';
export * from './similarity.js';
