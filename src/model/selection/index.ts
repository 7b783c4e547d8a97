export * from './cross-validate.js';
export { classesOf, getScorer, type Scorer, type ScorerName, targetLabels } from './scoring.js';
export * from './splitters.js';
