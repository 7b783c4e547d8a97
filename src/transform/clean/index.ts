export * from './date-parser.js';
export * from './kind-coercer.js';
export * from './missing-tokens.js';
export * from './text-cleaner.js';
export * from './winsorizer.js';
