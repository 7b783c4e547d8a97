export * from './checks.js';
export * from './pattern.js';
export { assertSuiteColumns, columnStat, type RunChecksOptions, runChecks } from './run-checks.js';
export * from './sql.js';
