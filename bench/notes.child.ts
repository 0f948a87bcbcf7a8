/**
 * One measured process for `npm run bench`: starts the app on a notes folder as `npm start` would
 * (the same loader, index and composition root) and reports, as one JSON line, how long after process
 * start it could answer, its memory, query latency and accuracy on one-letter typos of the notes'
 * English names, and, with --reload, how long an edit took to be answered.
 */
import { appendFileSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../src/app.js';
import { silentLogger } from '../src/logger.js';
import { mulberry32, oneLetterOff } from './synthetic.js';

const [dir, englishFile] = process.argv.slice(2);
if (!dir || !englishFile) throw new Error('usage: notes.child.ts NOTES_DIR ENGLISH_JSON [--reload]');
const reload = process.argv.includes('--reload');

const app = await createApp({ notesPaths: [dir], log: silentLogger, dailyPlatforms: [], watchNotes: reload });
app.tutor.lookup('etcd');
const readyMs = process.uptime() * 1000;
const rssReadyMB = process.memoryUsage().rss / 1e6;

const english = JSON.parse(readFileSync(englishFile, 'utf8')) as string[];
const rnd = mulberry32(5);
const picks = Array.from({ length: 400 }, () => Math.floor(rnd() * english.length));
const byEnglish = new Map(app.knowledge.concepts.map((c) => [c.title.en, c.id]));
let top1 = 0;
const ms: number[] = [];
for (const [n, at] of picks.entries()) {
  const name = english[at]!;
  const query = oneLetterOff(name, rnd);
  const t = performance.now();
  const outcome = app.tutor.lookup(query);
  if (n >= 10) ms.push(performance.now() - t); // the first few warm the JIT
  if (outcome.hits[0]?.concept.id === byEnglish.get(name)) top1 += 1;
}
ms.sort((a, b) => a - b);
const pct = (p: number) => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))]!;

let reloadMs: number | undefined;
if (reload && app.watcher) {
  await app.watcher.ready();
  const file = join(
    dir,
    readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .sort()[0]!,
  );
  const t = performance.now();
  appendFileSync(file, '\n## 방금 쓴 노트 (Freshly Written)\n\n편집이 바로 보이는지 재는 노트다.\n');
  while (app.tutor.lookup('freshly written').hits[0]?.concept.title.en !== 'Freshly Written') await new Promise((r) => setTimeout(r, 10));
  reloadMs = performance.now() - t;
}

// Settled: the app collects once after indexing, and after a reload a second later (src/knowledge/collect.ts).
if (reload) await new Promise((r) => setTimeout(r, 2000));
const rssMB = Math.round(process.memoryUsage().rss / 1e6);
// What the process keeps, not what the build and the queries left for the collector (`--expose-gc` from the bench).
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
gc?.();
const afterGc = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({
    concepts: app.knowledge.concepts.length,
    readyMs: Math.round(readyMs),
    rssReadyMB: Math.round(rssReadyMB),
    rssMB,
    ...(gc ? { rssGcMB: Math.round(afterGc.rss / 1e6), heapGcMB: Math.round(afterGc.heapUsed / 1e6) } : {}),
    typoTop1: top1 / picks.length,
    p50: Math.round(pct(50) * 1000) / 1000,
    p95: Math.round(pct(95) * 1000) / 1000,
    ...(reloadMs !== undefined ? { reloadMs: Math.round(reloadMs) } : {}),
  })}\n`,
);
await app.close();
