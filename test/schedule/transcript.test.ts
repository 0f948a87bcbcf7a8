import { describe, expect, it } from 'vitest';
import { jsonLines, runTutor } from '../support/cli.js';
import { tempDir } from './harness.js';

describe('/daily in the transcript', () => {
  it('subscribes, refuses a non-admin, and prints one post per ticked day with its channel', async () => {
    const tmp = tempDir();
    try {
      const input = [
        { user: 'u1', channel: 'c1', text: '/daily on 09:00 UTC' },
        { user: 'u2', channel: 'c1', text: '/daily off', admin: false },
        { tick: 2 * 86_400 },
        { user: 'u1', channel: 'c1', text: '/daily now' },
        { user: 'u1', channel: 'c1', text: '/daily status' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n');
      const res = await runTutor(['chat', '--json'], `${input}\n`, { DATA_DIR: tmp.dir });
      expect(res.code).toBe(0);
      const lines = jsonLines(res.stdout) as {
        channel: string;
        code?: string;
        kind: string;
        daily?: { day: string };
        actions?: unknown[];
      }[];
      // Two days ticked: two posts. `now` then posts today's unless today's 09:00 UTC has passed already.
      const codes = lines.map((l) => l.code);
      const nowSent = codes.includes('daily.now.sent');
      expect(codes).toEqual([
        'daily.on',
        'daily.forbidden',
        'daily.post',
        'daily.post',
        ...(nowSent ? ['daily.post', 'daily.now.sent'] : ['daily.now.already']),
        'daily.status',
      ]);
      const posts = lines.filter((l) => l.kind === 'daily');
      expect(posts.every((p) => p.channel === 'c1' && p.actions?.length === 1)).toBe(true);
      expect(new Set(posts.map((p) => p.daily!.day)).size).toBe(posts.length);
    } finally {
      tmp.remove();
    }
  });
});
