/**
 * `npm run bench`: search accuracy per category and latency p50/p95 at the shipped size, 1,000,
 * 10,000 and 100,000 concepts, for our engine and for plain fuse.js (default options, same fields),
 * measured in the same run; then notes at scale: a process started on 10,000 and 100,000 notes
 * written `## 한국어 이름 (English name)`, timed from its start until it answers, with its memory and a
 * reload after an edit, each size run for the engine of `--before REV` (default e35674f) and for this tree, with
 * tsx and compiled by tsc as the image runs it. The labelled queries are timed for both engines too, in this
 * process, on the same concepts. `npm run -s bench -- --json` prints one JSON object; `--quick` stops at
 * 10,000; `--notes-only` skips the labelled-query sizes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fuse from 'fuse.js';
import { loadKnowledge } from '../src/knowledge/load.js';
import type { Concept } from '../src/knowledge/types.js';
import { SearchIndex } from '../src/search/engine.js';
import { accuracy, formatAccuracy, loadQueries, type Accuracy } from '../test/support/queries.js';
import { mulberry32, syntheticConcepts, syntheticNoteFiles } from './synthetic.js';

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
  /** The engine of --before on the same concepts, in this process. */
  before?: { buildMs: number; accuracy: Accuracy[]; latency: { p50: number; p95: number; n: number } };
  fuse: { accuracy: Accuracy[]; latency: { p50: number; p95: number; n: number }; sampled: number };
  ratio: { p50: number; p95: number };
}

const here = dirname(fileURLToPath(import.meta.url));
/**
 * The engine of `--before REV` (default: the tree before the third issue-14 pass, memory and query time),
 * extracted with `git archive` next to this tree's node_modules: its SearchIndex is timed on the labelled
 * queries beside this one, and the notes sizes run for it and for this tree on the same files, one process
 * after the other. So the before and after figures come from the same run.
 */
const beforeRev = process.argv.includes('--before') ? process.argv[process.argv.indexOf('--before') + 1]! : 'e35674f';
function extract(rev: string): string | undefined {
  const root = mkdtempSync(join(tmpdir(), 'bench-before-'));
  const done = spawnSync('sh', ['-c', `git archive ${JSON.stringify(rev)} | tar -x -C ${JSON.stringify(root)}`], { cwd: join(here, '..') });
  if (done.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    return undefined;
  }
  symlinkSync(join(here, '..', 'node_modules'), join(root, 'node_modules'));
  return root;
}
const beforeRoot = extract(beforeRev);
type Engine = typeof SearchIndex;
const BeforeIndex: Engine | undefined = beforeRoot
  ? ((await import(join(beforeRoot, 'src', 'search', 'engine.ts'))) as { SearchIndex: Engine }).SearchIndex
  : undefined;

const notesOnly = process.argv.includes('--notes-only');
const sizes = notesOnly ? [] : quick ? [shipped.length, 1000] : [shipped.length, 1000, 10000, 100000];
const results: SizeResult[] = [];
for (const size of sizes) {
  const concepts = size <= shipped.length ? shipped : [...shipped, ...syntheticConcepts(size - shipped.length)];
  let before: SizeResult['before'];
  if (BeforeIndex) {
    const bb = performance.now();
    let old: SearchIndex | undefined = new BeforeIndex(concepts);
    const oldBuildMs = round(performance.now() - bb);
    const oldAcc = accuracy(queries, (q) => old!.search(q).hits.map((h) => h.concept.id));
    const oldLat = time(
      queries.map((q) => q.query),
      (q) => old!.search(q),
    );
    old = undefined;
    before = { buildMs: oldBuildMs, accuracy: oldAcc.rows, latency: oldLat };
  }
  const b = performance.now();
  let index: SearchIndex | undefined = new SearchIndex(concepts);
  const buildMs = round(performance.now() - b);
  const oursAcc = accuracy(queries, (q) => index!.search(q).hits.map((h) => h.concept.id));
  const oursLat = time(
    queries.map((q) => q.query),
    (q) => index!.search(q),
  );
  index = undefined;
  // Plain fuse.js scans every body: at 10,000 concepts a query takes most of a second, so it runs on a fixed sample
  // (at 100,000, on a handful: each of its queries takes seconds).
  const fuse = plainFuse(concepts);
  const fuseQueries =
    size >= 100000 ? sample(queries, 5) : size >= 10000 ? sample(queries, quick ? 20 : 60) : size >= 1000 ? sample(queries, 150) : queries;
  const fuseAcc = accuracy(fuseQueries, (q) => fuse.search(q, { limit: 5 }).map((r) => r.item.id));
  const fuseLat = time(
    fuseQueries.map((q) => q.query),
    (q) => fuse.search(q, { limit: 5 }),
  );
  const r: SizeResult = {
    size: concepts.length,
    buildMs,
    ours: { accuracy: oursAcc.rows, latency: oursLat },
    ...(before ? { before } : {}),
    fuse: { accuracy: fuseAcc.rows, latency: fuseLat, sampled: fuseQueries.length },
    ratio: { p50: round(fuseLat.p50 / Math.max(oursLat.p50, 0.001)), p95: round(fuseLat.p95 / Math.max(oursLat.p95, 0.001)) },
  };
  results.push(r);
  log(`\n== ${r.size} concepts (index build ${buildMs} ms) ==`);
  log(`ours:       p50 ${oursLat.p50} ms  p95 ${oursLat.p95} ms  (n=${oursLat.n})`);
  if (before) {
    const top1 = (rows: Accuracy[]) => round((rows.find((a) => a.category === 'all')?.top1 ?? 0) * 100);
    log(
      `before (${beforeRev}): p50 ${before.latency.p50} ms  p95 ${before.latency.p95} ms  build ${before.buildMs} ms  top-1 ${top1(before.accuracy)} % (now ${top1(oursAcc.rows)} %)`,
    );
  }
  log(
    `plain fuse: p50 ${fuseLat.p50} ms  p95 ${fuseLat.p95} ms  (n=${fuseLat.n}${fuseQueries.length < queries.length ? ', sampled' : ''})`,
  );
  log(`speed-up:   p50 ×${r.ratio.p50}  p95 ×${r.ratio.p95}`);
  log(`accuracy, ours:\n${formatAccuracy(oursAcc.rows)}`);
  log(
    `accuracy, plain fuse.js${fuseQueries.length < queries.length ? ` (sample of ${fuseQueries.length})` : ''}:\n${formatAccuracy(fuseAcc.rows)}`,
  );
  if (!json && oursAcc.misses.length)
    log(
      `ours, top-1 misses (${oursAcc.misses.length}): ${oursAcc.misses
        .slice(0, 12)
        .map((m) => `${m.q.query}→${m.got[0] ?? '∅'} (want ${m.q.expected})`)
        .join('; ')}`,
    );
}

// Notes at scale, each size in a fresh process started as the bot starts (tsx, the same composition root).
interface NotesRun {
  notes: number;
  concepts: number;
  readyMs: number;
  rssReadyMB: number;
  rssMB: number;
  typoTop1: number;
  p50: number;
  p95: number;
  reloadMs?: number;
  /** After the queries and a forced GC (this tree's child only). */
  rssGcMB?: number;
  heapGcMB?: number;
}
/**
 * The engine before issue 14 (MiniSearch for descriptions, commit 83e4142), on the same generated notes and
 * machine, measured once on 2026-12-01: ready at 8.9 s and 308 MB RSS at 01:12 UTC (load 0.5, under --cpu-prof),
 * typo top-1 99.3 % (300 queries) later under load. Not run again here: under the machine's usual load its
 * 10,000-note build took 70-90 s, and 100,000 notes was stopped unfinished.
 */
const BEFORE = { notes10k: { readyMs: 8885, rssMB: 308, typoTop1: 0.993 }, notes100k: 'not measured (stopped unfinished)' };

/** Node flags of `npm start` and the image (NODE_OPTIONS in the Dockerfile); the before engine runs as it was measured then. */
const START_FLAGS = ['--expose-gc', '--max-semi-space-size=4'];
/** The image's environment for the allocator (Dockerfile): given to the compiled run, which runs as the image does. */
const IMAGE_ENV = { MALLOC_MMAP_THRESHOLD_: '131072' };
const BEFORE_FLAGS = ['--expose-gc'];

function runNotes(
  dir: string,
  englishFile: string,
  reload: boolean,
  how: { root: string; flags: string[]; compiled?: string; env?: Record<string, string> },
): Promise<NotesRun> {
  return new Promise((resolve, reject) => {
    const program = how.compiled
      ? [join(how.compiled, 'bench', 'notes.child.js')]
      : ['--import', 'tsx', join(how.root, 'bench', 'notes.child.ts')];
    const child = spawn(process.execPath, [...how.flags, ...program, dir, englishFile, ...(reload ? ['--reload'] : [])], {
      cwd: how.root,
      env: { ...process.env, ...how.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as NotesRun) : reject(new Error(`notes.child exited ${code}`))));
  });
}

/**
 * This tree compiled as the image compiles it (tsc -p tsconfig.build.json), and the notes child beside it
 * (esbuild, types stripped), so a notes size also runs as production does: plain node, no tsx (~23 MB).
 */
function compile(): string | undefined {
  const root = join(here, '..');
  const out = mkdtempSync(join(tmpdir(), 'bench-compiled-'));
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', out],
    { cwd: root },
  );
  const esbuild = spawnSync(
    join(root, 'node_modules', '.bin', 'esbuild'),
    ['bench/notes.child.ts', 'bench/synthetic.ts', '--format=esm', '--platform=node', `--outdir=${join(out, 'bench')}`],
    { cwd: root },
  );
  if (tsc.status !== 0 || esbuild.status !== 0) {
    rmSync(out, { recursive: true, force: true });
    return undefined;
  }
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'));
  return out;
}

const notesRuns: (NotesRun & { goalMs: number; engine: string })[] = [];
const compiled = compile();
try {
  for (const [notes, goalMs] of quick
    ? [[10000, 3000]]
    : [
        [10000, 3000],
        [100000, 30000],
      ]) {
    const root = mkdtempSync(join(tmpdir(), 'bench-notes-'));
    try {
      const dir = join(root, 'notes');
      mkdirSync(dir);
      const { files, english } = syntheticNoteFiles(notes!);
      const write = () => {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir);
        for (const f of files) writeFileSync(join(dir, f.name), f.text);
      };
      writeFileSync(join(root, 'english.json'), JSON.stringify(english));
      if (beforeRoot) {
        write();
        const run = await runNotes(dir, join(root, 'english.json'), true, { root: beforeRoot, flags: BEFORE_FLAGS });
        notesRuns.push({ ...run, notes: notes!, goalMs: goalMs!, engine: `before (${beforeRev}), tsx ${BEFORE_FLAGS.join(' ')}` });
      }
      write();
      const run = await runNotes(dir, join(root, 'english.json'), true, { root: join(here, '..'), flags: START_FLAGS });
      notesRuns.push({ ...run, notes: notes!, goalMs: goalMs!, engine: `now, tsx ${START_FLAGS.join(' ')}` });
      if (compiled) {
        write();
        const run = await runNotes(dir, join(root, 'english.json'), true, {
          root: join(here, '..'),
          flags: START_FLAGS,
          compiled,
          env: IMAGE_ENV,
        });
        notesRuns.push({
          ...run,
          notes: notes!,
          goalMs: goalMs!,
          engine: `now, compiled (node ${START_FLAGS.join(' ')}, ${Object.entries(IMAGE_ENV)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}, as the image)`,
        });
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
} finally {
  if (beforeRoot) rmSync(beforeRoot, { recursive: true, force: true });
  if (compiled) rmSync(compiled, { recursive: true, force: true });
}
log(
  `\n== notes at scale: "## 한국어 이름 (English name)" notes, one process each, timed from its start; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} ==`,
);
log(
  `first engine (MiniSearch, commit 83e4142, a labelled figure measured once on this machine, not in this run): 10,000 notes ready in ${BEFORE.notes10k.readyMs / 1000} s, ` +
    `RSS ${BEFORE.notes10k.rssMB} MB, one-letter typo top-1 ${BEFORE.notes10k.typoTop1 * 100} %; 100,000: ${BEFORE.notes100k}`,
);
for (const r of notesRuns) {
  log(
    `${r.notes.toLocaleString('en')} notes, ${r.engine}: ready ${round(r.readyMs / 1000)} s (goal ≤ ${r.goalMs / 1000} s)  RSS ${r.rssReadyMB} MB at ready, ${r.rssMB} MB after the queries and the edit (settled 2 s)` +
      `${r.rssGcMB !== undefined ? `, ${r.rssGcMB} MB after a forced GC (heap used ${r.heapGcMB} MB)` : ''}  ` +
      `typo top-1 ${round(r.typoTop1 * 100)} %  p50 ${r.p50} ms  p95 ${r.p95} ms${r.reloadMs !== undefined ? `  edit answered after ${round(r.reloadMs / 1000)} s (goal ≤ 2 s)` : ''}`,
  );
}
const nowRuns = notesRuns.filter((r) => r.engine.startsWith('now'));

const goals = {
  shippedP95Under1ms: (results[0]?.ours.latency.p95 ?? 0) < 1,
  tenThousandP95Under1ms: (results.find((r) => r.size >= 10000 && r.size < 100000)?.ours.latency.p95 ?? 0) < 1,
  largeP95Under5ms: (results.find((r) => r.size >= 100000)?.ours.latency.p95 ?? 0) < 5,
  shippedBuildUnder1s: buildShippedMs < 1000,
  accuracyHoldsAtLargeSize: results.every(
    (r) =>
      (r.ours.accuracy.find((a) => a.category === 'all')?.top1 ?? 0) >=
      (results[0]!.ours.accuracy.find((a) => a.category === 'all')?.top1 ?? 0) - 0.005,
  ),
  notesReadyInTime: nowRuns.every((r) => r.readyMs <= r.goalMs),
  notesReloadUnder2s: nowRuns.every((r) => (r.reloadMs ?? 0) <= 2000),
  // Judged as production runs (compiled, the image's node flags) when that run could be made; the tsx run is printed beside it.
  rssUnder300MBAt100k: (nowRuns.some((r) => r.engine.includes('compiled'))
    ? nowRuns.filter((r) => r.engine.includes('compiled'))
    : nowRuns
  ).every((r) => r.notes < 100000 || r.rssMB < 300),
};
if (json)
  process.stdout.write(
    `${JSON.stringify({ shipped: shipped.length, queries: queries.length, buildShippedMs, sizes: results, notes: notesRuns, before: BEFORE, goals })}\n`,
  );
else
  log(
    `\ngoals: ${Object.entries(goals)
      .map(([k, v]) => `${k}=${v ? 'met' : 'MISSED'}`)
      .join('  ')}`,
  );
