export * from './classification.js';
export * from './regression.js';
