export * from './affine.js';
export * from './min-max-scaler.js';
export * from './robust-scaler.js';
export * from './standard-scaler.js';
