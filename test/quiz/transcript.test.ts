import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

/** The transcript contract end to end: `tutor chat --json` as a child process, JSON lines in and out. */
interface Out {
  channel: string;
  user?: string;
  kind: string;
  code?: string;
  visibility: string;
  markdown: string;
  quiz?: {
    kind: string;
    prompt: string;
    items: { label: string; text: string }[];
    roundId?: string;
    number?: number;
    total?: number;
    deadline?: number;
  };
  grade?: { user: string; correct: boolean; points: number; expected: string[] | string };
  scoreboard?: { final?: boolean; entries: { user: string; points: number; rank: number }[] };
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function start(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  const { DATA_DIR: _drop, ...rest } = process.env;
  return spawn(process.execPath, ['--import', 'tsx', 'adapters/cli.ts', 'chat', '--json', ...args], {
    cwd: process.cwd(),
    env: { ...rest, LOG_LEVEL: 'error', ...env },
  });
}

/** Feeds every line, closes standard input, and collects the replies. */
async function transcript(lines: object[], args: string[] = ['--seed', '7'], env: Record<string, string> = {}): Promise<Out[]> {
  const child = start(args, env);
  const out: Out[] = [];
  const rl = createInterface({ input: child.stdout });
  rl.on('line', (l) => out.push(JSON.parse(l) as Out));
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  for (const l of lines) child.stdin.write(`${JSON.stringify(l)}\n`);
  child.stdin.end();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`tutor exited ${code}: ${err}`);
  return out;
}

const say = (user: string, channel: string, text: string) => ({ user, channel, text });
const START = say('alice', 'c1', '/quiz start 2 order 파드 생성 과정');

describe('the transcript (tutor chat --json)', () => {
  it('plays a team round with several users and channels, timers advanced by ticks', async () => {
    // With the same seed, a first run reveals the right orders (a throwaway wrong answer shows `expected`).
    const peek = await transcript([START, say('zed', 'c1', 'A B C D E F G H'), { tick: 30 }, say('zed', 'c1', 'A B C D E F G H')]);
    const expected = peek.filter((o) => o.grade).map((o) => o.grade!.expected as string[]);
    expect(expected).toHaveLength(2);
    const [e1, e2] = expected as [string[], string[]];
    const nearMiss = [e1[1]!, e1[0]!, ...e1.slice(2)];

    const out = await transcript([
      START,
      say('bob', 'c1', '/quiz start'),
      say('bob', 'c1', e1.join(' ')),
      say('carol', 'c1', e1.join(',').toLowerCase()),
      say('dave', 'c1', nearMiss.join(' ')),
      say('bob', 'c1', e1.join(' ')),
      say('erin', 'c1', 'A B C'),
      say('erin', 'c1', 'A A B C D E F G'),
      say('erin', 'c1', 'A B C D E F G Z'),
      say('erin', 'c2', e1.join(' ')),
      { tick: 30 },
      say('carol', 'c1', e2.map((l) => l.charCodeAt(0) - 64).join(' ')),
      { tick: 30 },
      say('bob', 'c1', e2.join(' ')),
    ]);
    const byCode = (code: string) => out.filter((o) => o.code === code);

    const [q1] = out;
    expect(q1).toMatchObject({
      channel: 'c1',
      user: 'alice',
      kind: 'quiz',
      visibility: 'channel',
      quiz: { kind: 'order', number: 1, total: 2 },
    });
    expect(q1!.quiz!.items.map((i) => i.label)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']);
    expect(q1!.quiz!.prompt).toContain('Ordering drill');
    expect(byCode('quiz.round.running')).toHaveLength(1);

    const grades = out.filter((o) => o.grade);
    expect(grades.map((g) => [g.grade!.user, g.grade!.correct])).toEqual([
      ['bob', true],
      ['carol', true],
      ['dave', false],
      ['carol', true],
    ]);
    expect(grades[0]!.grade).toMatchObject({ points: 100, expected: e1 });
    expect(grades[1]!.grade!.points).toBeLessThan(100);
    expect(grades[2]!.grade!.points).toBeGreaterThan(0);
    expect(grades[2]!.grade!.points).toBeLessThan(grades[1]!.grade!.points);
    expect(grades.every((g) => g.visibility === 'private')).toBe(true);

    expect(byCode('quiz.answered').map((o) => o.user)).toEqual(['bob']);
    expect(byCode('quiz.invalid.labels.count')).toHaveLength(1);
    expect(byCode('quiz.invalid.labels.duplicate')).toHaveLength(1);
    expect(byCode('quiz.invalid.labels.range')).toHaveLength(1);
    expect(byCode('quiz.round.elsewhere')).toMatchObject([{ channel: 'c2', user: 'erin' }]);

    const boards = out.filter((o) => o.kind === 'scoreboard');
    expect(boards).toHaveLength(2);
    expect(boards[0]).toMatchObject({ channel: 'c1', visibility: 'channel', scoreboard: { final: false } });
    expect(boards[0]!.scoreboard!.entries.map((e) => e.user)).toEqual(['bob', 'carol', 'dave']);
    const q2 = out.find((o) => o.quiz?.number === 2);
    expect(q2).toMatchObject({ channel: 'c1', visibility: 'channel' });
    expect(out.indexOf(q2!)).toBeGreaterThan(out.indexOf(boards[0]!));
    expect(boards[1]!.scoreboard!.final).toBe(true);
    const final = Object.fromEntries(boards[1]!.scoreboard!.entries.map((e) => [e.user, e.points]));
    expect(final.carol).toBe(grades[1]!.grade!.points + grades[3]!.grade!.points);
    // Bob answered question 2 after the round was over.
    expect(out.at(-1)).toMatchObject({ user: 'bob', code: 'quiz.late' });
  }, 60_000);

  it('after a crash mid-round, resumes the round with every answer kept, and says so', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'transcript-crash-'));
    dirs.push(dataDir);
    const child = start(['--seed', '9'], { DATA_DIR: dataDir });
    const lines: Out[] = [];
    const rl = createInterface({ input: child.stdout });
    const waitFor = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => (lines.length >= n ? resolve() : setTimeout(check, 20));
        check();
      });
    rl.on('line', (l) => lines.push(JSON.parse(l) as Out));
    child.stdin.write(`${JSON.stringify(say('alice', 'c1', '/quiz start 2 choice'))}\n`);
    child.stdin.write(`${JSON.stringify(say('bob', 'c1', 'A'))}\n`);
    await waitFor(2);
    const bobFirst = lines[1]!.grade!;
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));

    const after = await transcript([say('bob', 'c1', 'B'), say('carol', 'c1', String(bobFirst.expected)), { tick: 30 }], ['--seed', '9'], {
      DATA_DIR: dataDir,
    });
    expect(after[0]).toMatchObject({ channel: 'c1', code: 'quiz.round.resumed', visibility: 'channel', quiz: { number: 1, total: 2 } });
    expect(after[0]!.markdown).toContain('resumes');
    expect(after[1]).toMatchObject({ user: 'bob', code: 'quiz.answered' });
    expect(after[2]!.grade).toMatchObject({ user: 'carol', correct: true });
    const board = after.find((o) => o.kind === 'scoreboard')!;
    const points = Object.fromEntries(board.scoreboard!.entries.map((e) => [e.user, e.points]));
    expect(points.bob).toBe(bobFirst.points);
    expect(points.carol).toBe(after[2]!.grade!.points);
  }, 60_000);
});
