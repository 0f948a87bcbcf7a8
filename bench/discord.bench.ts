/**
 * `npm run bench:discord`: interactions dispatched through the fake Discord gateway to the real
 * discord.js client and our adapter, 200 in flight, timed from dispatch to the interaction
 * callback arriving at the fake REST API. Both run in this one process on this machine, so the
 * figures include the fake's own work. discord.js's client-side global request limit (50/s, the
 * real Discord's) is raised for the bench, or it would measure that queue and not the adapter;
 * interaction callbacks use discord.js's burst queue anyway, follow-ups would not.
 *
 * Baseline, measured in the same run: a bare discord.js client on the same fake that answers
 * every interaction at once with nothing, which is the cost of the gateway, discord.js and REST
 * alone. The adapter's figures are printed beside it as ratios.
 */
import { performance } from 'node:perf_hooks';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { createDiscordAdapter } from '../adapters/discord/adapter.js';
import { createApp } from '../src/app.js';
import { silentLogger } from '../src/logger.js';
import { startFakeDiscord, type FakeDiscord } from '../test/fakes/discord/server.js';

const IN_FLIGHT = 200;
const N = Number(process.env.BENCH_N ?? 3000);
const RAISED_LIMIT = 100_000;

interface Result {
  label: string;
  n: number;
  seconds: number;
  lost: number;
  rejected: number;
  p50: number;
  p99: number;
  max: number;
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

async function drive(fake: FakeDiscord, label: string, n: number, dispatch: (i: number) => string): Promise<Result> {
  const started = new Map<string, number>();
  const latencies: number[] = [];
  let rejected = 0;
  let sent = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    let idle: NodeJS.Timeout | undefined;
    const finish = () => {
      fake.onCall = undefined;
      resolve();
    };
    const arm = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(finish, 5000); // nothing for 5 s: what is still pending is lost
    };
    const launch = () => {
      const i = sent++;
      started.set(dispatch(i), performance.now());
    };
    fake.onCall = (call) => {
      const m = /^\/api\/v10\/interactions\/(\d+)\//.exec(call.path);
      if (!m) return;
      const at = started.get(m[1]!);
      if (at === undefined) return;
      started.delete(m[1]!);
      latencies.push(performance.now() - at);
      if (call.status >= 400) rejected++;
      arm();
      if (sent < n) launch();
      else if (started.size === 0) {
        clearTimeout(idle);
        finish();
      }
    };
    arm();
    for (let k = 0; k < Math.min(IN_FLIGHT, n); k++) launch();
  });
  const seconds = (performance.now() - t0) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  return { label, n, seconds, lost: started.size, rejected, p50: pct(sorted, 50), p99: pct(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
}

function line(r: Result, base?: Result): string {
  const ratio = base ? `  (p50 ×${(r.p50 / base.p50).toFixed(1)}, p99 ×${(r.p99 / base.p99).toFixed(1)} of baseline)` : '';
  return `${r.label.padEnd(34)} ${(r.n / r.seconds).toFixed(0).padStart(6)} interactions/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  max ${r.max.toFixed(1).padStart(6)} ms  lost ${r.lost}  rejected ${r.rejected}${ratio}`;
}

async function main(): Promise<void> {
  const who = { id: '500000000000000009', username: 'bench' };
  const app = await createApp({ log: silentLogger, notesPaths: ['knowledge'] });
  const names = app.knowledge.concepts.flatMap((c) => [c.title.ko, c.title.en, c.id]);
  // What people type into the box: prefixes of names in both languages, a few typos.
  const typed = names.flatMap((n) => [n.slice(0, 1), n.slice(0, 2), n.slice(0, Math.ceil(n.length / 2)), n]).filter(Boolean);
  const queries = [...names, 'kubelte', '스케쥴러', 'ㅋㅂㄴㅌㅅ', 'deploymnet', '파드가 뭐야', 'what is a pod', '서비스 어카운트'];

  // Baseline: discord.js alone, answering at once.
  const fakeA = await startFakeDiscord();
  const bare = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fakeA.apiUrl, globalRequestsPerSecond: RAISED_LIMIT } });
  bare.on(Events.InteractionCreate, (i) => {
    if (i.isAutocomplete()) void i.respond([]).catch(() => undefined);
    else if (i.isRepliable()) void i.reply({ content: 'ok', flags: 64 }).catch(() => undefined);
  });
  const readyA = new Promise((r) => bare.once(Events.ClientReady, r));
  await bare.login(fakeA.token);
  await readyA;
  const chA = fakeA.guilds[0]!.channels[0]!.id;
  await drive(fakeA, 'warm-up', 500, (i) => fakeA.autocomplete(who, chA, 'k8s', 'query', typed[i % typed.length]!).id);
  const baseAuto = await drive(fakeA, 'baseline autocomplete (bare d.js)', N, (i) => fakeA.autocomplete(who, chA, 'k8s', 'query', typed[i % typed.length]!).id);
  const baseCmd = await drive(fakeA, 'baseline command (bare d.js)', N, (i) => fakeA.slash(who, chA, 'k8s', { query: queries[i % queries.length]! }).id);
  await bare.destroy();
  await fakeA.close();

  // The adapter, with the real tutor.
  const fake = await startFakeDiscord();
  const adapter = createDiscordAdapter({ token: fake.token, apiUrl: fake.apiUrl, tutor: app.tutor, log: silentLogger, globalRequestsPerSecond: RAISED_LIMIT });
  await adapter.start();
  const ch = fake.guilds[0]!.channels[0]!.id;
  await drive(fake, 'warm-up', 500, (i) => fake.autocomplete(who, ch, 'k8s', 'query', typed[i % typed.length]!).id);
  await drive(fake, 'warm-up', 500, (i) => fake.slash(who, ch, 'k8s', { query: queries[i % queries.length]! }).id);
  const auto = await drive(fake, 'autocomplete /k8s query (adapter)', N, (i) => fake.autocomplete(who, ch, 'k8s', 'query', typed[i % typed.length]!).id);
  const cmd = await drive(fake, 'slash /k8s query:… (adapter)', N, (i) => fake.slash(who, ch, 'k8s', { query: queries[i % queries.length]! }).id);
  await adapter.stop();
  await fake.close();

  process.stdout.write(`discord bench: ${N} interactions per row, ${IN_FLIGHT} in flight, ${app.knowledge.concepts.length} concepts; discord.js globalRequestsPerSecond raised to ${RAISED_LIMIT} for the bench\n`);
  process.stdout.write(`${line(baseAuto)}\n${line(baseCmd)}\n${line(auto, baseAuto)}\n${line(cmd, baseCmd)}\n`);
  const goals = [
    ['autocomplete p99 < 20 ms', auto.p99 < 20],
    ['commands p99 < 50 ms', cmd.p99 < 50],
    ['no lost interaction', auto.lost + cmd.lost === 0 && auto.rejected + cmd.rejected === 0],
  ] as const;
  for (const [goal, ok] of goals) process.stdout.write(`${ok ? 'PASS' : 'MISS'} ${goal}\n`);
  await app.close();
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
