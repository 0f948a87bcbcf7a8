import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/shared.js';

/** A port that was free a moment ago; PORT=0 is refused by the config schema. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The environment of a container before it is configured: no chat settings at all. */
function bareEnv(port: number, metricsPort: number, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(SLACK_|DISCORD_|PORT$|METRICS_PORT$|HOST$|NOTES_PATH$|LOG_)/.test(k)) env[k] = v;
  return {
    ...env,
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
  };
}

async function waitFor(url: string, child: ChildProcess, ms = 15_000): Promise<Response> {
  const until = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the bot exited early with ${child.exitCode}`);
    try {
      return await fetch(url);
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'tutor-main-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start in a container before it is configured', () => {
  it('given no TTY and no chat settings, keeps running, serves health and readiness on PORT and metrics on METRICS_PORT only, says no platform is configured, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const metricsPort = await freePort();
    // tsx's own CLI relays signals to the program; `npx tsx` puts npm and a shell in between, and npm does not pass SIGTERM on.
    const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'adapters', 'main.ts')], {
      cwd: ROOT,
      env: bareEnv(port, metricsPort, dataDir),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stdout!.on('data', (d: Buffer) => (logs += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      const health = await waitFor(`http://127.0.0.1:${port}/healthz`, child);
      expect(health.status).toBe(200);

      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, checks: { store: true } });

      const metrics = await (await waitFor(`http://127.0.0.1:${metricsPort}/metrics`, child)).text();
      // Not on PORT: an ingress that publishes PORT for Slack's HTTP mode must not publish metrics.
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
      expect(metrics).toContain('# TYPE tutor_commands_total counter');
      expect(metrics).toContain('process_cpu_user_seconds_total');
      expect(metrics).toContain('nodejs_eventloop_lag_seconds');
      expect(logs).toContain('no chat platform is configured');

      const sentAt = Date.now();
      child.kill('SIGTERM');
      const result = await exited;
      expect(result).toEqual({ code: 0, signal: null });
      // The promise, with room for a slow shared machine; not a speed test.
      expect(Date.now() - sentAt).toBeLessThan(10_000);
      expect(logs).toContain('shutdown complete');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
