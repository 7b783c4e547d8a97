/**
 * Streaming detectors' throughput, one core: points per second for EwmaDetector, RollingZScore,
 * RollingMAD (window 100 and 1,000) and RandomCutForest (default 40 trees x 256, shingle 4; and
 * 100 trees), on a noisy sine with spikes. Median of 5 runs. Run: `npx tsx benchmarks/stream.bench.ts`.
 * No npm peer streaming detector is installed, so there is no same-process comparison.
 */
import { EwmaDetector, RandomCutForest, Rng, RollingMAD, RollingZScore, type StreamingDetector } from '../src/index.js';

const rng = new Rng(1);
const N = 1_000_000;
const series = Float64Array.from({ length: N }, (_, i) => Math.sin(i / 20) + 0.1 * rng.normal() + (i % 5000 === 0 ? 5 : 0));
let peak = 0;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);

/** Median of 5 runs of points per wall-clock second and per CPU second of this process (the machine is shared). */
function rate(make: () => StreamingDetector, points: number): [number, number] {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < 5; r++) {
    const d = make();
    let sink = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < points; i++) sink += d.update(series[i] as number);
    const s = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    if (Number.isNaN(sink)) throw new Error('NaN score');
    peak = Math.max(peak, process.memoryUsage().rss);
    wall.push(points / s);
    cpu.push(points / ((c.user + c.system) / 1e6));
  }
  return [wall.sort((a, b) => a - b)[2] as number, cpu.sort((a, b) => a - b)[2] as number];
}

const rows: [string, [number, number]][] = [
  ['EwmaDetector', rate(() => new EwmaDetector(), N)],
  ['RollingZScore window 100', rate(() => new RollingZScore({ window: 100 }), N)],
  ['RollingZScore window 1,000', rate(() => new RollingZScore({ window: 1000 }), N)],
  ['RollingMAD window 100', rate(() => new RollingMAD({ window: 100 }), 300_000)],
  ['RollingMAD window 1,000', rate(() => new RollingMAD({ window: 1000 }), 300_000)],
  ['RandomCutForest 40 trees x 256, shingle 4', rate(() => new RandomCutForest(), 10_000)],
  ['RandomCutForest 100 trees x 256, shingle 4', rate(() => new RandomCutForest({ numTrees: 100 }), 5_000)],
];
clearInterval(timer);
console.log(`\n## Streaming throughput (median of 5 runs, ${new Date().toISOString()}, node ${process.version})\n`);
console.log('| detector | points / wall s | points / CPU s |');
console.log('|---|---|---|');
for (const [name, [w, c]] of rows) console.log(`| ${name} | ${Math.round(w).toLocaleString('en-US')} | ${Math.round(c).toLocaleString('en-US')} |`);
console.log(`\nPeak RSS: ${(peak / 1048576).toFixed(0)} MB`);
