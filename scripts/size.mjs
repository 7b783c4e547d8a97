// Per-entry size budgets (minified + gzip, dependencies bundled, as a browser bundler would ship them).
// Also checks that the core entry pulls in no TensorFlow.js and that importing one primitive
// tree-shakes the rest. Run after `npm run build`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const budgets = [
  // name, import statement, budget in KiB (gzip), externals
  ['tessera (everything)', `export * from '${root}/dist/index.js';`, 450, []],
  ['tessera { Dataset }', `export { Dataset } from '${root}/dist/index.js';`, 90, []],
  ['tessera { StandardScaler, pipeline }', `export { StandardScaler, pipeline } from '${root}/dist/index.js';`, 110, []],
  // the autoencoder extends the detect area's base classes, and the detect area now includes the
  // supervised detector (which wraps any model): the nn entry carries most of detect and model
  ['tessera/nn (without tfjs)', `export * from '${root}/dist/nn/index.js';`, 200, ['@tensorflow/*']],
];

const dir = mkdtempSync(join(tmpdir(), 'tessera-size-'));
let failed = false;
try {
  for (const [name, code, budgetKiB, external] of budgets) {
    const entry = join(dir, 'entry.mjs');
    writeFileSync(entry, code);
    const res = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      external,
      logLevel: 'silent',
    });
    const bytes = res.outputFiles[0].contents;
    const gz = gzipSync(bytes).length / 1024;
    const inputs = Object.keys(res.metafile.inputs);
    const tf = inputs.filter((p) => p.includes('@tensorflow'));
    const nodeBuiltins = inputs.filter((p) => p.startsWith('node:'));
    const ok = gz <= budgetKiB && (name.startsWith('tessera/nn') || tf.length === 0) && nodeBuiltins.length === 0;
    if (!ok) failed = true;
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} ${name.padEnd(40)} ${gz.toFixed(1).padStart(7)} KiB gzip (budget ${budgetKiB} KiB)${tf.length && !name.startsWith('tessera/nn') ? ' pulls in TensorFlow.js!' : ''}${nodeBuiltins.length ? ` imports ${nodeBuiltins.join(', ')}` : ''}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed) {
  console.error('size budgets exceeded');
  process.exit(1);
}
