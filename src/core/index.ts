export * from './abort.js';
export * from './errors.js';
export * from './options.js';
export * from './protocol.js';
export * from './random.js';
export * from './serialize.js';
export * from './special.js';
export * from './sql.js';
