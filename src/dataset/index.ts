export * from './column.js';
export * from './dataset.js';
export * from './features.js';
export * from './infer.js';
export * from './io/index.js';
export * from './schema.js';
export { isZodObject, zodToOverrides } from './zod-schema.js';
