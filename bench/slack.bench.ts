/**
 * `npm run bench:slack`: signed `/k8s` commands under load (autocannon) against our Slack adapter in
 * HTTP mode and, in the same run, against a minimal Bolt bot (same receiver and options) that acks and
 * then answers each command with one fixed message through Bolt's `respond()`: the least a real bot
 * does. Each command comes from its own user in one of 1,000 channels, so the fair limits (on, at their
 * defaults, as in production) keep their per-user and per-channel state without refusing the load. Prints requests per second, p50/p99 acknowledgement latency for both, the ratio, whether
 * every command got exactly one answer, and the CPU each process spent per command.
 *
 * Process layout (so the only difference between "bare" and "ours" is our app's own work):
 *   - this process only orchestrates (idle while a load runs);
 *   - the load generator (autocannon) runs in its own process;
 *   - the app under test (bare, then ours) runs alone in its own process;
 *   - Slack (auth.test and every response_url) is a raw node:net sink in its own process that answers
 *     200 {"ok":true} with keep-alive and does nothing else (test/fakes/slack/sink.ts).
 *
 *   npm run bench:slack -- [--duration 20] [--connections 100] [--pin] [--json]
 *
 * --pin puts the app under test alone on CPU 1 and the load generator and the sink on CPU 0 (taskset),
 * so neither app shares its core with the machinery around it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, createWriteStream } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { App, HTTPReceiver } from '@slack/bolt';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { createSlackAdapter } from '../adapters/slack/adapter.js';
import { boltLogger } from '../adapters/slack/boltLogger.js';
import { slackSignature } from '../test/fakes/slack/sign.js';
import { ResponseSink, type SinkCounts } from '../test/fakes/slack/sink.js';

/** The slice of autocannon's API used here (the package ships no types). */
interface AutocannonRequest {
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;

const SECRET = 'bench-signing-secret';
const BUSY_TEXT = 'Too many requests right now';
const ERROR_TEXT = 'something went wrong while answering';
type Role = 'ours' | 'bare' | 'sink' | 'load';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

// A mix of what people ask: exact names, Korean, typos, questions, misses, help and a quiz command.
const QUERIES = [
  'etcd',
  '파드',
  'kubelet',
  '디플로이먼트',
  'kube-proxy',
  '스케쥴러',
  'what is a pod',
  '쿠버네티스가 뭐야',
  'dockerfile',
  'ㅋㅂㄹ',
  'zzqx nothing',
  'help',
  'pod-creation',
  'configmap',
  '서비스',
];

// ---------------------------------------------------------------------------------------------
// Child processes. Each answers { type: 'cpu' } with its CPU time so far (µs), plus its own figures.

interface CpuReport {
  cpuUs: number;
  sink?: SinkCounts;
}

function onCpuRequest(extra: () => Partial<CpuReport> = () => ({})): void {
  process.on('message', (m: { type?: string }) => {
    if (m?.type !== 'cpu') return;
    const u = process.cpuUsage();
    process.send!({ type: 'cpu', cpuUs: u.user + u.system, ...extra() });
  });
}

/** Both apps log like production (info, JSON) into /dev/null: a log line on the hot path costs here. */
function benchLogger() {
  return createLogger({ level: 'info', destination: createWriteStream('/dev/null') });
}

async function serveApp(kind: 'ours' | 'bare', apiUrl: string): Promise<number> {
  const host = '127.0.0.1';
  const log = benchLogger();
  if (kind === 'ours') {
    const tutor = await createApp({ notesPaths: ['knowledge'], log });
    const adapter = createSlackAdapter({
      tutor: tutor.tutor,
      log,
      slack: { botToken: 'xoxb-test-token', appToken: undefined, signingSecret: SECRET, apiUrl, adminUsers: [] },
      port: 0,
      host,
    });
    await adapter.start();
    return adapter.address()!.port;
  }
  // Bolt configured as ours is (receiver options, no conversation store): ack, then one fixed answer through respond().
  const logger = boltLogger(log.child({ component: 'bolt' }));
  const receiver = new HTTPReceiver({ signingSecret: SECRET, logger, endpoints: '/slack/events', processBeforeResponse: false });
  const app = new App({
    token: 'xoxb-test-token',
    receiver,
    logger,
    clientOptions: { slackApiUrl: apiUrl },
    deferInitialization: true,
    convoStore: false,
  });
  app.command('/k8s', async ({ ack, respond }) => {
    await ack();
    await respond({
      response_type: 'ephemeral',
      text: 'etcd: the key-value store that keeps all cluster data. / etcd: 클러스터 데이터를 저장하는 키-값 저장소.',
    });
  });
  await app.init();
  const server = (await receiver.start({ port: 0, host })) as import('node:http').Server;
  return (server.address() as import('node:net').AddressInfo).port;
}

/** The load generator's process: runs autocannon when told, reports the result and its own CPU. */
function serveLoad(): void {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  onCpuRequest();
  process.on('message', (m: { type?: string; port: number; sinkPort: number; duration: number; connections: number }) => {
    if (m?.type !== 'run') return;
    void runLoad(autocannon, m).then((r) => process.send!({ type: 'result', ...r }));
  });
}

/** Form-encoded pieces prepared once; each request only adds its counter, a uuid and the signature. */
function commandBodies(sinkPort: number): (n: number) => string {
  const enc = encodeURIComponent;
  const head = `token=x&team_id=T0001&team_domain=bench&channel_name=general&user_name=bench&command=${enc('/k8s')}&api_app_id=A0001&response_url=${enc(`http://127.0.0.1:${sinkPort}/response/b`)}`;
  const texts = QUERIES.map((q) => enc(q));
  return (n) => `${head}${n}&channel_id=C${n % 1000}&user_id=U${n}&text=${texts[n % texts.length]}&trigger_id=${n}.${randomUUID()}`;
}

/** Commands built by this load generator, across runs: each has its own number (b{n} in its response_url). */
let commandsBuilt = 0;

async function runLoad(autocannon: Autocannon, m: { port: number; sinkPort: number; duration: number; connections: number }) {
  const body = commandBodies(m.sinkPort);
  const first = commandsBuilt;
  const result = await autocannon({
    url: `http://127.0.0.1:${m.port}`,
    connections: m.connections,
    duration: m.duration,
    requests: [
      {
        method: 'POST',
        path: '/slack/events',
        setupRequest: (req) => {
          // Every request is a new command, signed now, exactly as Slack sends it: its own trigger_id (so
          // none is taken for a retry) and its own response_url (/response/b{n}, so the sink sees duplicates).
          commandsBuilt += 1;
          const text = body(commandsBuilt);
          const ts = Math.floor(Date.now() / 1000);
          return {
            ...req,
            body: text,
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'x-slack-request-timestamp': String(ts),
              'x-slack-signature': slackSignature(SECRET, ts, text),
            },
          };
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    ok: result['2xx'],
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    built: commandsBuilt - first,
  };
}

async function serveChild(role: Role, apiUrl: string): Promise<void> {
  // A clean exit, so a CPU profile (BENCH_CPU_PROF=dir) gets written.
  process.on('SIGTERM', () => process.exit(0));
  process.on('disconnect', () => process.exit(0));
  if (role === 'load') {
    serveLoad();
    process.send!({ type: 'ready', port: 0 });
    return;
  }
  if (role === 'sink') {
    const sink = await new ResponseSink({ busy: BUSY_TEXT, error: ERROR_TEXT }).start();
    onCpuRequest(() => ({ sink: sink.counts() }));
    process.send!({ type: 'ready', port: sink.port });
    return;
  }
  const port = await serveApp(role, apiUrl);
  onCpuRequest();
  process.send!({ type: 'ready', port });
}

// ---------------------------------------------------------------------------------------------
// The orchestrator.

class Child {
  private constructor(
    readonly role: Role,
    readonly proc: ChildProcess,
    readonly port: number,
  ) {}

  static start(role: Role, apiUrl: string, cpu?: string): Promise<Child> {
    const prof = process.env.BENCH_CPU_PROF && role !== 'load' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const node = [...process.execArgv, ...prof, fileURLToPath(import.meta.url), '--serve', role, '--api', apiUrl];
    const [cmd, args] = cpu ? ['taskset', ['-c', cpu, process.execPath, ...node]] : [process.execPath, node];
    const proc = spawn(cmd, args as string[], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      proc.on('message', (m: { type?: string; port?: number }) => {
        if (m?.type === 'ready') resolve(new Child(role, proc, m.port ?? 0));
      });
      proc.once('exit', (code) => reject(new Error(`${role} process exited (${code}) before it was ready`)));
    });
  }

  ask<T>(message: object, reply: string): Promise<T> {
    return new Promise((resolve) => {
      const on = (m: { type?: string }) => {
        if (m?.type !== reply) return;
        this.proc.off('message', on);
        resolve(m as T);
      };
      this.proc.on('message', on);
      this.proc.send(message);
    });
  }

  cpu(): Promise<CpuReport> {
    return this.ask<CpuReport>({ type: 'cpu' }, 'cpu');
  }

  stop(): void {
    this.proc.kill('SIGTERM');
  }
}

type LoadResult = Awaited<ReturnType<typeof runLoad>>;

/** Busy and total jiffies of the whole machine, to see what else ran during the load. */
function machineTicks(): { busy: number; total: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const v = fields.map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - (v[3] ?? 0) - (v[4] ?? 0), total };
}

interface Result extends LoadResult {
  name: 'bare' | 'ours';
  /** CPU µs per acknowledged command, from the start of the load until every answer had arrived. */
  cpuPerCommand: { app: number; load: number; sink: number };
  /** Share of the machine's CPUs (100% = all of them) during the load. */
  machine: { busy: number; app: number; load: number; sink: number; other: number };
  answers: { atEnd: number; total: number; duplicates: number; busy: number; errors: number; drainS: number };
}

async function measure(
  name: 'bare' | 'ours',
  app: Child,
  load: Child,
  sink: Child,
  duration: number,
  connections: number,
): Promise<Result> {
  const run = (d: number, c: number) =>
    load.ask<LoadResult>({ type: 'run', port: app.port, sinkPort: sink.port, duration: d, connections: c }, 'result');
  const answered = async () => (await sink.cpu()).sink!;
  const settle = async (before: number) => {
    // Answers still queued behind the acks arrive after the load stops: wait until none has come for 2 s.
    let last = (await answered()).answered;
    let still = performance.now();
    while (last > before && performance.now() - still < 2_000) {
      await new Promise((r) => setTimeout(r, 100));
      const now = (await answered()).answered;
      if (now !== last) [last, still] = [now, performance.now()];
    }
    return performance.now() - still;
  };
  // Warm-up (JIT, pools), not counted.
  const pre = (await answered()).answered;
  await run(2, Math.min(connections, 20));
  await settle(pre);

  const cpu0 = await Promise.all([app.cpu(), load.cpu(), sink.cpu()]);
  const m0 = machineTicks();
  const result = await run(duration, connections);
  const m1 = machineTicks();
  const cpu1 = await Promise.all([app.cpu(), load.cpu(), sink.cpu()]);
  const stopped = performance.now();
  const quiet = await settle(cpu0[2].sink!.answered);
  const drainS = Math.max(0, (performance.now() - stopped - quiet) / 1000);
  const cpu2 = await Promise.all([app.cpu(), load.cpu(), sink.cpu()]);

  const commands = Math.max(1, result.ok);
  const perCommand = (i: number, end: CpuReport[]) => (end[i]!.cpuUs - cpu0[i]!.cpuUs) / commands;
  const during = (i: number) => (cpu1[i]!.cpuUs - cpu0[i]!.cpuUs) / 1e6;
  const n = cpus().length;
  const tick = (m1.total - m0.total) / n; // jiffies per CPU during the load
  const wall = tick / 100; // seconds (USER_HZ is 100 on Linux)
  const share = (s: number) => (s / (wall * n)) * 100;
  const busy = ((m1.busy - m0.busy) / (m1.total - m0.total)) * 100;
  const ours = share(during(0)) + share(during(1)) + share(during(2));
  const s0 = cpu0[2].sink!;
  const s2 = cpu2[2].sink!;
  return {
    name,
    ...result,
    cpuPerCommand: { app: perCommand(0, cpu2), load: perCommand(1, cpu2), sink: perCommand(2, cpu2) },
    machine: { busy, app: share(during(0)), load: share(during(1)), sink: share(during(2)), other: Math.max(0, busy - ours) },
    answers: {
      atEnd: cpu1[2].sink!.answered - s0.answered,
      total: s2.answered - s0.answered,
      duplicates: s2.duplicates - s0.duplicates,
      busy: (s2.marked.busy ?? 0) - (s0.marked.busy ?? 0),
      errors: (s2.marked.error ?? 0) - (s0.marked.error ?? 0),
      drainS,
    },
  };
}

async function main(): Promise<void> {
  const duration = arg('duration', 20);
  const connections = arg('connections', 100);
  const json = process.argv.includes('--json');
  const pin = process.argv.includes('--pin') && cpus().length >= 2;
  const sink = await Child.start('sink', '', pin ? '0' : undefined);
  const load = await Child.start('load', '', pin ? '0' : undefined);
  const apiUrl = `http://127.0.0.1:${sink.port}/api/`;
  const results: Result[] = [];
  try {
    for (const kind of ['bare', 'ours'] as const) {
      const app = await Child.start(kind, apiUrl, pin ? '1' : undefined);
      try {
        results.push(await measure(kind, app, load, sink, duration, connections));
      } finally {
        app.stop();
      }
    }
  } finally {
    load.stop();
    sink.stop();
  }
  const [bare, ours] = results as [Result, Result];
  const ratio = ours.rps / bare.rps;
  const answeredAll = ours.answers.total >= ours.ok && ours.answers.total <= ours.built && ours.answers.duplicates === 0;
  const goals = {
    throughput: ratio >= 0.8,
    p99: ours.p99 < 50,
    errors: ours.errors === 0 && ours.non2xx === 0,
    answers: answeredAll && ours.answers.busy === 0 && ours.answers.errors === 0,
  };
  const layout = `${cpus().length} CPUs; processes: load generator (autocannon), app under test (one at a time), Slack sink (raw node:net, 200 {"ok":true}, keep-alive), orchestrator (idle)${pin ? '; pinned: app on CPU 1, load generator and sink on CPU 0' : '; not pinned'}`;
  if (json) {
    process.stdout.write(`${JSON.stringify({ duration, connections, layout, bare, ours, ratio, goals })}\n`);
    return;
  }
  const row = (r: Result) =>
    `${r.name.padEnd(5)} ${r.rps.toFixed(0).padStart(6)} req/s   ack p50 ${String(r.p50).padStart(3)} ms  p90 ${String(r.p90).padStart(3)} ms  p99 ${String(r.p99).padStart(4)} ms   ${r.ok} acked, ${r.errors} errors, ${r.non2xx} non-2xx`;
  const cpuRow = (r: Result) =>
    `${r.name.padEnd(5)} CPU per command: app ${r.cpuPerCommand.app.toFixed(0).padStart(4)} µs, load generator ${r.cpuPerCommand.load.toFixed(0).padStart(3)} µs, sink ${r.cpuPerCommand.sink.toFixed(0).padStart(3)} µs   ` +
    `machine busy ${r.machine.busy.toFixed(0)}% (app ${r.machine.app.toFixed(0)}%, load ${r.machine.load.toFixed(0)}%, sink ${r.machine.sink.toFixed(0)}%, other processes ${r.machine.other.toFixed(0)}%)`;
  const a = ours.answers;
  const b = bare.answers;
  process.stdout.write(
    [
      `signed /k8s commands, ${connections} connections, ${duration} s each; baseline: minimal Bolt bot, ack + one fixed respond()`,
      `machine: ${cpus().length} CPUs shared with other work (during development, up to 8 helpers' tests and builds): figures are noisy, compare within one run`,
      `layout: ${layout}`,
      row(bare),
      row(ours),
      cpuRow(bare),
      cpuRow(ours),
      `throughput ours/bare: ${(ratio * 100).toFixed(1)}%  (goal ≥ 80%: ${goals.throughput ? 'met' : 'NOT met'}); CPU-bound estimate bare/ours app CPU: ${((bare.cpuPerCommand.app / ours.cpuPerCommand.app) * 100).toFixed(0)}%`,
      `app CPU per command: ours ${ours.cpuPerCommand.app.toFixed(0)} µs − bare ${bare.cpuPerCommand.app.toFixed(0)} µs = ${(ours.cpuPerCommand.app - bare.cpuPerCommand.app).toFixed(0)} µs for the answer (lookup, render, POST, its share of GC); 80% of bare's throughput, CPU-bound, allows ${(bare.cpuPerCommand.app / 0.8 - bare.cpuPerCommand.app).toFixed(0)} µs`,
      `ack p99 ours: ${ours.p99} ms  (goal < 50 ms: ${goals.p99 ? 'met' : 'NOT met'}); bare ${bare.p99} ms`,
      `errors ours: ${ours.errors + ours.non2xx}  (goal 0: ${goals.errors ? 'met' : 'NOT met'})`,
      `answers bare: ${b.total} for ${bare.ok} acked, ${b.duplicates} duplicates; ${b.atEnd} arrived during the load, the rest within ${b.drainS.toFixed(1)} s after it`,
      `answers ours: ${a.total} for ${ours.ok} acked (+${ours.built - ours.ok} in flight when the load stopped), ${a.duplicates} duplicates, ${a.busy} busy, ${a.errors} errors; ${a.atEnd} arrived during the load, the rest within ${a.drainS.toFixed(1)} s after it (${goals.answers ? 'every command answered once' : 'NOT every command answered once'})`,
      '',
    ].join('\n'),
  );
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt >= 0) {
  void serveChild(process.argv[serveAt + 1] as Role, process.argv[process.argv.indexOf('--api') + 1] ?? '');
} else {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  });
}
