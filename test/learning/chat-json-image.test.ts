import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonLines, runTutor } from '../support/cli.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('tutor chat --json with a picture', () => {
  it('writes the /progress PNG to --image-dir and prints {mime, alt, file} in its place', async () => {
    dir = mkdtempSync(join(tmpdir(), 'chat-images-'));
    const input = ['{"user":"a","text":"/quiz recall etcd"}', '{"user":"a","text":"etcd"}', '{"user":"a","text":"/progress"}', ''].join(
      '\n',
    );
    const r = await runTutor(['chat', '--json', '--seed', '1', '--image-dir', dir], input);
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout) as {
      code?: string;
      image?: { mime: string; alt: string; file: string; data?: unknown };
      markdown: string;
    }[];
    const progress = lines.find((l) => l.code === 'progress.mine')!;
    expect(progress.image).toMatchObject({ mime: 'image/png' });
    expect(progress.image!.data).toBeUndefined();
    expect(progress.image!.file.startsWith(dir)).toBe(true);
    expect(readFileSync(progress.image!.file).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(progress.image!.alt).toContain('Streak 1 day');
    expect(progress.markdown).toContain(progress.image!.alt);
  });
});
