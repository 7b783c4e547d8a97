export * from './matrix.js';
export * from './pca.js';
export * from './trustworthiness.js';
export * from './tsne.js';
