/**
 * `npm run bench`: search accuracy per category and latency p50/p95 at the shipped size, 1,000 and
 * 10,000 concepts, for our engine and for plain fuse.js (default options, same fields), measured in
 * the same run. `npm run -s bench -- --json` prints one JSON object.
 */
import Fuse from 'fuse.js';
import { loadKnowledge } from '../src/knowledge/load.js';
import type { Concept } from '../src/knowledge/types.js';
import { SearchIndex } from '../src/search/engine.js';
import { accuracy, formatAccuracy, loadQueries, type Accuracy } from '../test/support/queries.js';
import { mulberry32, syntheticConcepts } from './synthetic.js';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const log = (s: string) => {
  if (!json) process.stdout.write(`${s}\n`);
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function time(queries: string[], run: (q: string) => unknown): { p50: number; p95: number; n: number } {
  for (const q of queries.slice(0, 10)) run(q); // warm the JIT
  const ms: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    run(q);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)), n: ms.length };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function sample<T>(xs: T[], n: number, seed = 3): T[] {
  if (xs.length <= n) return xs;
  const rnd = mulberry32(seed);
  const copy = [...xs];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

function plainFuse(concepts: Concept[]) {
  return new Fuse(concepts, { keys: ['title.ko', 'title.en', 'aliases', 'summary.ko', 'summary.en', 'body'] });
}

const shipped = loadKnowledge(['knowledge']).concepts;
const queries = loadQueries();
if (queries.length === 0) throw new Error('no labelled queries in test/fixtures/queries.tsv');

const t0 = performance.now();
new SearchIndex(shipped);
const buildShippedMs = round(performance.now() - t0);
log(`k8s tutor search benchmark — ${shipped.length} shipped concepts, ${queries.length} labelled queries`);
log(`index build (shipped): ${buildShippedMs} ms`);

interface SizeResult {
  size: number;
  buildMs: number;
  ours: { accuracy: Accuracy[]; latency: { p50: number; p95: number; n: number } };
  fuse: { accuracy: Accuracy[]; latency: { p50: number; p95: number; n: number }; sampled: number };
  ratio: { p50: number; p95: number };
}

const sizes = quick ? [shipped.length, 1000] : [shipped.length, 1000, 10000];
const results: SizeResult[] = [];
for (const size of sizes) {
  const concepts = size <= shipped.length ? shipped : [...shipped, ...syntheticConcepts(size - shipped.length)];
  const b = performance.now();
  const index = new SearchIndex(concepts);
  const buildMs = round(performance.now() - b);
  const oursAcc = accuracy(queries, (q) => index.search(q).hits.map((h) => h.concept.id));
  const oursLat = time(
    queries.map((q) => q.query),
    (q) => index.search(q),
  );
  // Plain fuse.js scans every body: at 10,000 concepts a query takes most of a second, so it runs on a fixed sample.
  const fuse = plainFuse(concepts);
  const fuseQueries = size >= 10000 ? sample(queries, quick ? 20 : 60) : size >= 1000 ? sample(queries, 150) : queries;
  const fuseAcc = accuracy(fuseQueries, (q) => fuse.search(q, { limit: 5 }).map((r) => r.item.id));
  const fuseLat = time(
    fuseQueries.map((q) => q.query),
    (q) => fuse.search(q, { limit: 5 }),
  );
  const r: SizeResult = {
    size: concepts.length,
    buildMs,
    ours: { accuracy: oursAcc.rows, latency: oursLat },
    fuse: { accuracy: fuseAcc.rows, latency: fuseLat, sampled: fuseQueries.length },
    ratio: { p50: round(fuseLat.p50 / Math.max(oursLat.p50, 0.001)), p95: round(fuseLat.p95 / Math.max(oursLat.p95, 0.001)) },
  };
  results.push(r);
  log(`\n== ${r.size} concepts (index build ${buildMs} ms) ==`);
  log(`ours:       p50 ${oursLat.p50} ms  p95 ${oursLat.p95} ms  (n=${oursLat.n})`);
  log(`plain fuse: p50 ${fuseLat.p50} ms  p95 ${fuseLat.p95} ms  (n=${fuseLat.n}${fuseQueries.length < queries.length ? ', sampled' : ''})`);
  log(`speed-up:   p50 ×${r.ratio.p50}  p95 ×${r.ratio.p95}`);
  log(`accuracy, ours:\n${formatAccuracy(oursAcc.rows)}`);
  log(`accuracy, plain fuse.js${fuseQueries.length < queries.length ? ` (sample of ${fuseQueries.length})` : ''}:\n${formatAccuracy(fuseAcc.rows)}`);
  if (!json && oursAcc.misses.length) log(`ours, top-1 misses (${oursAcc.misses.length}): ${oursAcc.misses.slice(0, 12).map((m) => `${m.q.query}→${m.got[0] ?? '∅'} (want ${m.q.expected})`).join('; ')}`);
}

const goals = {
  shippedP95Under1ms: results[0]!.ours.latency.p95 < 1,
  largeP95Under5ms: (results.find((r) => r.size >= 10000)?.ours.latency.p95 ?? 0) < 5,
  shippedBuildUnder1s: buildShippedMs < 1000,
  accuracyHoldsAtLargeSize: results.every((r) => (r.ours.accuracy.find((a) => a.category === 'all')?.top1 ?? 0) >= (results[0]!.ours.accuracy.find((a) => a.category === 'all')?.top1 ?? 0) - 0.005),
};
if (json) process.stdout.write(`${JSON.stringify({ shipped: shipped.length, queries: queries.length, buildShippedMs, sizes: results, goals })}\n`);
else log(`\ngoals: ${Object.entries(goals).map(([k, v]) => `${k}=${v ? 'met' : 'MISSED'}`).join('  ')}`);
