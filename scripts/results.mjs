// Rebuilds benchmarks/RESULTS.md from the per-area figures in benchmarks/results/*.md.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = resolve(import.meta.dirname, '..', 'benchmarks', 'results');
const parts = readdirSync(dir)
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => readFileSync(join(dir, f), 'utf8').trim())
  // each area file starts at heading level 1; nest them under this page's title
  .map((text) => text.replace(/^(#{1,5}) /gm, '#$1 '));
const head = `# Benchmark results

Measured on this project's development machine (2 cores, 24 GiB, Node 20; shared and noisy, so
figures are medians of several runs and comparisons are ratios measured in the same process).
Reference figures for scikit-learn / pandas / statsmodels come from Debian's python3 packages on the
same machine (scripts in \`benchmarks/reference/\`). Each section below is kept in
\`benchmarks/results/<area>.md\`; this file is rebuilt by \`node scripts/results.mjs\`.
`;
writeFileSync(resolve(dir, '..', 'RESULTS.md'), `${head}\n${parts.join('\n\n')}\n`);
console.log(`RESULTS.md: ${parts.length} sections`);
