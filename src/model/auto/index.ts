export * from './auto-model.js';
export * from './blend.js';
