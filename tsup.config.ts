import { defineConfig } from 'tsup';

// ESM: one output file per source module (bundle: false), so that a consumer's bundler can drop
// every module it does not use ("sideEffects": false) — importing `Dataset` does not ship k-means.
// CJS: one bundled file per entry, for require() users.
const entries = { index: 'src/index.ts', node: 'src/node.ts', nn: 'src/nn/index.ts' };
const external = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'];

export default defineConfig([
  {
    entry: ['src/**/*.ts'],
    format: ['esm'],
    bundle: false,
    dts: { entry: entries, compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    clean: true,
    target: 'es2022',
    outDir: 'dist',
  },
  {
    entry: entries,
    format: ['cjs'],
    dts: { entry: entries, compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    target: 'es2022',
    outDir: 'dist',
    external,
  },
]);
