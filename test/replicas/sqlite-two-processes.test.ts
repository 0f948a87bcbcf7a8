import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../support/shared.js';

/**
 * Two real processes on one SQLite file (a second `tutor chat` on ./data, an overlapping deploy):
 * the second must not resume the first one's round while the first lives, and takes it over once
 * the first is killed.
 */
interface Out {
  channel: string;
  user?: string;
  code?: string;
  grade?: { correct: boolean; expected: string[] | string };
}

interface Proc {
  child: ChildProcessWithoutNullStreams;
  out: Out[];
  send(line: object): void;
  waitFor(pred: (o: Out[]) => boolean, ms?: number): Promise<void>;
}

function startChat(dataDir: string): Proc {
  const { DATA_DIR: _drop, DATABASE_URL: _db, ...rest } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/cli.ts', 'chat', '--json', '--seed', '5'], {
    cwd: ROOT,
    env: { ...rest, LOG_LEVEL: 'error', DATA_DIR: dataDir },
  });
  const out: Out[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => out.push(JSON.parse(l) as Out));
  return {
    child,
    out,
    send: (line) => child.stdin.write(`${JSON.stringify(line)}\n`),
    waitFor: async (pred, ms = 20_000) => {
      const until = Date.now() + ms;
      while (!pred(out)) {
        if (Date.now() > until) throw new Error(`timed out; got ${JSON.stringify(out.map((o) => o.code))}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

describe('two processes on one SQLite file', () => {
  const procs: Proc[] = [];
  let dir = '';
  afterEach(() => {
    for (const p of procs.splice(0)) p.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('the second does not resume the first one’s running round, and takes it over once the first is killed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'two-chats-'));
    const first = startChat(dir);
    procs.push(first);
    first.send({ user: 'alice', channel: 'c1', text: '/quiz start 2 choice' });
    first.send({ user: 'bob', channel: 'c1', text: 'A' });
    await first.waitFor((o) => o.length >= 2);
    expect(first.out[0]!.code).toBe('quiz.round.question');

    const second = startChat(dir);
    procs.push(second);
    // A command answered proves the second one is up and has run its start-up recovery.
    second.send({ user: 'carol', channel: 'c2', text: '/quiz help' });
    second.send({ tick: 6 });
    second.send({ user: 'carol', channel: 'c2', text: '/quiz help' });
    await second.waitFor((o) => o.filter((x) => x.code === 'quiz.help').length >= 2);
    expect(second.out.filter((o) => o.channel === 'c1')).toEqual([]);

    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('close', r));
    second.send({ tick: 6 });
    second.send({ user: 'carol', channel: 'c2', text: '/quiz help' });
    await second.waitFor((o) => o.some((x) => x.code === 'quiz.round.resumed'));
    expect(second.out.find((o) => o.code === 'quiz.round.resumed')).toMatchObject({ channel: 'c1' });
    // Bob's answer from before the kill is kept: answering again is refused, not counted twice.
    second.send({ user: 'bob', channel: 'c1', text: 'B' });
    await second.waitFor((o) => o.some((x) => x.user === 'bob'));
    expect(second.out.find((o) => o.user === 'bob')!.code).toBe('quiz.answered');
  }, 60_000);
});
