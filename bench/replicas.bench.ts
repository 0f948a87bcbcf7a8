/**
 * `npm run bench:replicas`: the same command mix through the real core (router, search, quiz engine,
 * store) on 1 replica with SQLite, 1 replica on PostgreSQL and 3 replicas (3 processes) on one
 * PostgreSQL, in one run. Each replica is its own process driving its own app with 8 commands in
 * flight; per command it records the latency, and per process the CPU time. The mix per player: a
 * `/k8s` lookup, a solo question (`/quiz choice`), its answer (a store write: answer, player, review
 * queue) and, every fifth player, `/leaderboard` (an aggregate read).
 *
 * Prints commands per second, p50/p99 latency and CPU per command for each setup, and the goal:
 * PostgreSQL's p99 within 2× SQLite's. Exits 1 when a command failed. PostgreSQL: BENCH_DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test), a schema of its own, dropped afterwards.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createApp } from '../src/app.js';
import { silentLogger } from '../src/logger.js';

const PLAYERS = Number(process.env.BENCH_PLAYERS ?? 150);
const IN_FLIGHT = 8;
const CONCEPTS = ['etcd', 'kubelet', 'kube-proxy', '파드', 'scheduler', 'deployment', 'service', '쿠버네티스'];

interface WorkerResult {
  /** Latencies by command kind: lookup, question, answer, leaderboard. */
  kinds: Record<string, number[]>;
  commands: number;
  failed: number;
  latencies: number[];
  cpuMs: number;
  wallMs: number;
}

async function worker(kind: string, where: string, tag: string): Promise<void> {
  const app = await createApp({
    log: silentLogger,
    seed: 1,
    ...(kind === 'sqlite' ? { dataDir: where } : { database: { url: where, poolMax: 5 } }),
  });
  const latencies: number[] = [];
  const kinds: Record<string, number[]> = { lookup: [], question: [], answer: [], leaderboard: [] };
  let failed = 0;
  const say = async (user: string, channel: string, text: string, kind: string) => {
    const t0 = performance.now();
    try {
      const replies = await app.tutor.handle({
        platform: 'bench',
        user: { id: user, name: user },
        channel: { id: channel },
        workspace: 'w',
        text,
      });
      if (replies.length === 0 || replies.some((r) => r.kind === 'error')) failed++;
    } catch {
      failed++;
    }
    const ms = performance.now() - t0;
    latencies.push(ms);
    kinds[kind]!.push(ms);
  };
  const player = async (i: number) => {
    const user = `${tag}-u${i}`;
    const channel = `${tag}-c${i % 20}`;
    await say(user, channel, `/k8s ${CONCEPTS[i % CONCEPTS.length]}`, 'lookup');
    await say(user, `dm-${user}`, '/quiz choice', 'question');
    await say(user, `dm-${user}`, 'A', 'answer');
    if (i % 5 === 0) await say(user, channel, '/leaderboard', 'leaderboard');
  };
  // Warm-up: the first commands compile code paths and fill caches.
  for (let i = 0; i < 10; i++) await player(-1 - i);
  latencies.length = 0;
  for (const k of Object.values(kinds)) k.length = 0;
  failed = 0;
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < PLAYERS) await player(next++);
    }),
  );
  const wallMs = performance.now() - w0;
  const cpu = process.cpuUsage(cpu0);
  await app.close();
  const result: WorkerResult = { kinds, commands: latencies.length, failed, latencies, cpuMs: (cpu.user + cpu.system) / 1000, wallMs };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runWorker(kind: string, where: string, tag: string): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const self = fileURLToPath(import.meta.url);
    const child = spawn(process.execPath, ['--import', 'tsx', self, '--worker', kind, where, tag], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as WorkerResult) : reject(new Error(`worker ${tag} exited ${code}`)),
    );
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

interface Row {
  setup: string;
  commands: number;
  failed: number;
  perSecond: number;
  p50: number;
  p99: number;
  cpuPerCommandMs: number;
  kinds: Record<string, { p50: number; p99: number }>;
}

function summarize(setup: string, results: WorkerResult[]): Row {
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const commands = results.reduce((n, r) => n + r.commands, 0);
  const wall = Math.max(...results.map((r) => r.wallMs));
  return {
    setup,
    commands,
    failed: results.reduce((n, r) => n + r.failed, 0),
    perSecond: commands / (wall / 1000),
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    cpuPerCommandMs: results.reduce((n, r) => n + r.cpuMs, 0) / commands,
    kinds: Object.fromEntries(
      Object.keys(results[0]!.kinds).map((k) => {
        const all = results.flatMap((r) => r.kinds[k]!).sort((a, b) => a - b);
        return [k, { p50: pct(all, 50), p99: pct(all, 99) }];
      }),
    ),
  };
}

async function main(): Promise<void> {
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-replicas-'));
  const rows: Row[] = [];
  try {
    rows.push(summarize('1 replica, SQLite', [await runWorker('sqlite', dir, 's')]));
    rows.push(summarize('1 replica, PostgreSQL', [await runWorker('postgres', url.toString(), 'p')]));
    rows.push(
      summarize('3 replicas, PostgreSQL', await Promise.all(['r1', 'r2', 'r3'].map((t) => runWorker('postgres', url.toString(), t)))),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
  console.log(
    `bench:replicas — ${PLAYERS} players per replica (lookup, solo question, answer, leaderboard every 5th), ${IN_FLIGHT} in flight per replica`,
  );
  console.log('setup                    commands  failed  cmd/s   p50 ms  p99 ms  CPU ms/cmd');
  for (const r of rows) {
    console.log(
      `${r.setup.padEnd(24)} ${String(r.commands).padStart(8)}  ${String(r.failed).padStart(6)}  ${r.perSecond.toFixed(0).padStart(5)}  ${r.p50.toFixed(2).padStart(6)}  ${r.p99.toFixed(2).padStart(6)}  ${r.cpuPerCommandMs.toFixed(3).padStart(10)}`,
    );
  }
  console.log(
    'p50/p99 ms by command: ' +
      rows
        .map(
          (r) =>
            `${r.setup}: ${Object.entries(r.kinds)
              .map(([k, v]) => `${k} ${v.p50.toFixed(2)}/${v.p99.toFixed(2)}`)
              .join(', ')}`,
        )
        .join(' | '),
  );
  const [sqlite, pg1] = rows as [Row, Row, Row];
  const ratio = pg1.p99 / sqlite.p99;
  console.log(`goal: PostgreSQL p99 within 2× SQLite's — ${ratio.toFixed(2)}× (${ratio <= 2 ? 'met' : 'NOT met'})`);
  if (rows.some((r) => r.failed > 0)) process.exitCode = 1;
}

if (process.argv[2] === '--worker') {
  worker(process.argv[3]!, process.argv[4]!, process.argv[5]!).catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
