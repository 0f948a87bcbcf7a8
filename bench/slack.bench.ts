/**
 * `npm run bench:slack`: signed `/k8s` commands under load (autocannon) against our Slack adapter in
 * HTTP mode and, in the same run, against a bare Bolt app whose handler only acknowledges. Each app
 * runs in its own process, and so does the fake Slack (auth.test, response_urls); autocannon runs here.
 * Prints requests per second and p50/p99 acknowledgement latency for both, and the ratio.
 *
 *   npm run bench:slack -- [--duration 20] [--connections 100] [--json]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { createApp } from '../src/app.js';
import { silentLogger } from '../src/logger.js';
import { createSlackAdapter } from '../adapters/slack/adapter.js';
import { boltLogger } from '../adapters/slack/boltLogger.js';
import { signedHeaders } from '../test/fakes/slack/sign.js';
import { FakeSlackApi } from '../test/fakes/slack/webApi.js';

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
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (opts: { url: string; connections: number; duration: number; requests: AutocannonRequest[] }) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const SECRET = 'bench-signing-secret';
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

// A mix of what people ask: exact names, Korean, typos, questions, misses, help and a quiz command.
const QUERIES = ['etcd', '파드', 'kubelet', '디플로이먼트', 'kube-proxy', '스케쥴러', 'what is a pod', '쿠버네티스가 뭐야', 'dockerfile', 'ㅋㅂㄹ', 'zzqx nothing', 'help', 'pod-creation', 'configmap', '서비스'];

/** Child process: one app on a port, printing READY when it listens. */
async function serve(kind: 'ours' | 'bare' | 'fake', apiUrl: string): Promise<void> {
  const host = '127.0.0.1';
  // A clean exit, so a CPU profile (BENCH_CPU_PROF=dir) gets written.
  process.on('SIGTERM', () => process.exit(0));
  if (kind === 'fake') {
    const api = await new FakeSlackApi({ anyResponseUrl: true, countOnly: true }).start();
    process.stdout.write(`READY ${api.port}\n`);
    return;
  }
  if (kind === 'ours') {
    const tutor = await createApp({ notesPaths: ['knowledge'], log: silentLogger });
    const adapter = createSlackAdapter({ tutor: tutor.tutor, log: silentLogger, slack: { botToken: 'xoxb-test-token', appToken: undefined, signingSecret: SECRET, apiUrl, adminUsers: [] }, port: 0, host });
    await adapter.start();
    process.stdout.write(`READY ${adapter.address()!.port}\n`);
    return;
  }
  const receiver = new HTTPReceiver({ signingSecret: SECRET, logger: boltLogger(silentLogger), processBeforeResponse: false });
  const app = new App({ token: 'xoxb-test-token', receiver, logger: boltLogger(silentLogger), logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: apiUrl } });
  app.command('/k8s', async ({ ack }) => {
    await ack();
  });
  const server = (await receiver.start({ port: 0, host })) as import('node:http').Server;
  process.stdout.write(`READY ${(server.address() as import('node:net').AddressInfo).port}\n`);
}

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  /** Answers (response_url posts) in all, and how many had arrived when the load stopped. */
  answered?: number;
  answeredAtEnd?: number;
  /** Seconds after the load stopped until every answer had arrived. */
  drainS?: number;
}

function startChild(kind: 'ours' | 'bare' | 'fake', apiUrl: string): Promise<{ child: ChildProcess; port: number }> {
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...process.execArgv, ...prof, fileURLToPath(import.meta.url), '--serve', kind, '--api', apiUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`${kind} app exited (${code}) before it was ready`)));
  });
}

/** The fake Slack runs in its own process so answering it does not slow the load generator down. */
interface FakeHandle {
  port: number;
  apiUrl: string;
  answered(): Promise<number>;
}

async function startFake(): Promise<{ child: ChildProcess; fake: FakeHandle }> {
  const { child, port } = await startChild('fake', '');
  const fake: FakeHandle = {
    port,
    apiUrl: `http://127.0.0.1:${port}/api/`,
    answered: async () => {
      const counts = (await (await fetch(`http://127.0.0.1:${port}/_fake/counts`)).json()) as Record<string, number>;
      return counts['response_url 200'] ?? 0;
    },
  };
  return { child, fake };
}

async function load(name: string, port: number, api: FakeHandle, duration: number, connections: number): Promise<Result> {
  let n = 0;
  const before = await api.answered();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        path: '/slack/events',
        setupRequest: (req) => {
          // Every request is a new command: its own trigger_id (so none is taken for a retry), a fresh
          // response_url, signed now, exactly as Slack sends it.
          n += 1;
          const body = new URLSearchParams({
            token: 'x',
            team_id: 'T0001',
            team_domain: 'bench',
            channel_id: 'C0001',
            channel_name: 'general',
            user_id: `U${n % 500}`,
            user_name: 'bench',
            command: '/k8s',
            text: QUERIES[n % QUERIES.length]!,
            api_app_id: 'A0001',
            response_url: `http://127.0.0.1:${api.port}/response/b${n}`,
            trigger_id: `${n}.${randomUUID()}`,
          }).toString();
          return { ...req, body, headers: { ...signedHeaders(SECRET, body) } };
        },
      },
    ],
  });
  // Answers still queued behind the acks arrive after the load stops: count how long that takes.
  const sent = result.requests.total;
  const delivered = async () => (await api.answered()) - before;
  const atEnd = await delivered();
  const stopped = performance.now();
  let last = atEnd;
  let still = performance.now();
  while (name.startsWith('ours') && last < sent && performance.now() - still < 3_000) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await delivered();
    if (now !== last) {
      last = now;
      still = performance.now();
    }
  }
  const drainS = (performance.now() - stopped) / 1000;
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    ...(name === 'ours' ? { answered: last, answeredAtEnd: atEnd, drainS } : {}),
  };
}

async function main(): Promise<void> {
  const duration = arg('duration', 20);
  const connections = arg('connections', 100);
  const json = process.argv.includes('--json');
  const { child: fakeChild, fake: api } = await startFake();
  const results: Result[] = [];
  for (const kind of ['bare', 'ours'] as const) {
    const { child, port } = await startChild(kind, api.apiUrl);
    try {
      // A short warm-up (JIT, connection pools), not counted.
      await load(`${kind}-warmup`, port, api, 2, Math.min(connections, 20));
      results.push(await load(kind, port, api, duration, connections));
    } finally {
      child.kill('SIGTERM');
    }
  }
  fakeChild.kill('SIGTERM');
  const [bare, ours] = results as [Result, Result];
  const ratio = ours.rps / bare.rps;
  const goals = { throughput: ratio >= 0.8, p99: ours.p99 < 50, errors: ours.errors === 0 && ours.non2xx === 0 };
  if (json) {
    process.stdout.write(`${JSON.stringify({ duration, connections, bare, ours, ratio, goals })}\n`);
    return;
  }
  const row = (r: Result) => `${r.name.padEnd(6)} ${r.rps.toFixed(0).padStart(8)} req/s   ack p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   ${r.requests} requests, ${r.errors} errors, ${r.non2xx} non-2xx`;
  process.stdout.write(
    [
      `signed /k8s commands, ${connections} connections, ${duration} s each (autocannon)`,
      row(bare),
      row(ours),
      `throughput ours/bare: ${(ratio * 100).toFixed(1)}%  (goal ≥ 80%: ${goals.throughput ? 'met' : 'NOT met'})`,
      `ack p99 ours: ${ours.p99} ms  (goal < 50 ms: ${goals.p99 ? 'met' : 'NOT met'})`,
      `errors ours: ${ours.errors + ours.non2xx}  (goal 0: ${goals.errors ? 'met' : 'NOT met'})`,
      `answers ours: ${ours.answeredAtEnd} of ${ours.requests} delivered while the load ran (${((ours.answeredAtEnd ?? 0) / duration).toFixed(0)}/s), all ${ours.answered} within ${ours.drainS?.toFixed(1)} s after it stopped`,
      '',
    ].join('\n'),
  );
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt >= 0) {
  void serve(process.argv[serveAt + 1] as 'ours' | 'bare' | 'fake', process.argv[process.argv.indexOf('--api') + 1] ?? '');
} else {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  });
}
