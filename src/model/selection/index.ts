export * from './cross-validate.js';
export { getScorer, type Scorer, type ScorerName, targetLabels } from './scoring.js';
export * from './splitters.js';
