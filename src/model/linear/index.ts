export * from './bayesian-ridge.js';
export { FittedLinearRegressor, type LinearState } from './common.js';
export * from './elastic-net.js';
export * from './lasso.js';
export { type LbfgsOptions, lbfgs } from './lbfgs.js';
export * from './linear-regression.js';
export * from './logistic-regression.js';
export { lstsq } from './lstsq.js';
export * from './ridge.js';
