export type { FillValue, ImputeReport, ImputeResult } from './common.js';
export * from './knn-imputer.js';
export * from './simple-imputer.js';
