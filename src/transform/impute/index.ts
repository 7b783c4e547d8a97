export type { FillValue, ImputeReport, ImputeResult } from './common.js';
export * from './enrich.js';
export * from './iterative-imputer.js';
export * from './knn-imputer.js';
export * from './pool.js';
export * from './simple-imputer.js';
