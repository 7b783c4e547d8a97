export * from './affine.js';
export * from './min-max-scaler.js';
export * from './robust-scaler.js';
export * from './standard-scaler.js';
export * from './clean/index.js';
export * from './dedup/index.js';
export * from './impute/index.js';
