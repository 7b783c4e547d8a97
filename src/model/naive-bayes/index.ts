export * from './gaussian-naive-bayes.js';
