import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, runTutor } from '../support/cli.js';
import { SEED_NOTES, announceSkip } from '../support/shared.js';

interface AskResult {
  query: string;
  results: {
    id: string;
    title: { ko: string; en: string | null };
    aliases: string[];
    score: number;
    source: { file: string; heading: string };
  }[];
}

describe('tutor ask --json', () => {
  it('given a query, prints the contract: query and up to five results, best first, scores from 0 to 1', async () => {
    const r = await runTutor(['ask', '--json', 'kubelte']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as AskResult;
    expect(out.query).toBe('kubelte');
    expect(out.results[0]!.id).toBe('kubelet');
    expect(out.results.length).toBeLessThanOrEqual(5);
    for (const res of out.results) {
      expect(Object.keys(res).sort()).toEqual(['aliases', 'id', 'score', 'source', 'title']);
      expect(res.score).toBeGreaterThanOrEqual(0);
      expect(res.score).toBeLessThanOrEqual(1);
      expect(Object.keys(res.source).sort()).toEqual(['file', 'heading']);
    }
    const scores = out.results.map((x) => x.score);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
  });

  it('given no query, reads one query per line and prints one JSON object per line', async () => {
    const r = await runTutor(['ask', '--json'], 'etcd\nㅋㅂㄴㅌㅅ\n\nznqjspxltm\n');
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout) as AskResult[];
    expect(lines.map((l) => l.query)).toEqual(['etcd', 'ㅋㅂㄴㅌㅅ', '', 'znqjspxltm']);
    expect(lines[0]!.results[0]!.id).toBe('etcd');
    expect(lines[1]!.results[0]!.id).toBe('kubernetes');
    expect(lines[2]!.results).toEqual([]);
    expect(lines[3]!.results[0]!.id).toBe('kubernetes');
  });

  it('given a notes path that does not exist, exits non-zero and names the path', async () => {
    const r = await runTutor(['ask', '--json', '--notes', '/nope/notes', 'etcd']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/\/nope\/notes/);
    expect(r.stdout).toBe('');
  });
});

announceSkip('tutor ask --notes over the seed notes');
describe.skipIf(!SEED_NOTES)('tutor ask --notes with the seed notes', () => {
  it('finds the etcd passage of the seed notes, and combines with knowledge when named', async () => {
    const r = await runTutor(['ask', '--json', '--notes', SEED_NOTES!, 'etcd']);
    const out = JSON.parse(r.stdout) as AskResult;
    expect(out.results[0]!.source.file).toBe('000_d359af6a4ce1f427.txt');
    const both = await runTutor(['ask', '--json', '--notes', SEED_NOTES!, '--notes', 'knowledge', 'etcd']);
    const ids = (JSON.parse(both.stdout) as AskResult).results.map((x) => x.id);
    expect(ids).toContain('etcd');
    expect(ids.some((id) => id.startsWith('000-'))).toBe(true);
  });

  it('reads NOTES_PATH when --notes is not given', async () => {
    const r = await runTutor(['ask', '--json', '파드의 생명주기'], '', { NOTES_PATH: SEED_NOTES! });
    expect((JSON.parse(r.stdout) as AskResult).results[0]!.source.heading).toBe('파드의 생명주기');
  });
});

describe('English names in the JSON', () => {
  const dir = mkdtempSync(join(tmpdir(), 'names-'));
  writeFileSync(join(dir, 'workloads.md'), '## 파드 (Pod)\n\n컨테이너를 묶는 단위다.\n\n## 컨테이너\n\n격리된 프로세스다.\n');

  it('ask --json gives the English name a heading wrote in parentheses, and null when there is none', async () => {
    const r = await runTutor(['ask', '--json', '--notes', dir], 'podd\n컨테이너\n');
    const [pod, container] = jsonLines(r.stdout) as AskResult[];
    expect(pod!.results[0]!.title).toEqual({ ko: '파드', en: 'Pod' });
    expect(container!.results[0]!.title).toEqual({ ko: '컨테이너', en: null });
    expect(Object.keys(container!.results[0]!).sort()).toEqual(['aliases', 'id', 'score', 'source', 'title']);
  });

  it('concepts --json says the same', async () => {
    const r = await runTutor(['concepts', '--json', '--notes', dir]);
    const list = JSON.parse(r.stdout) as { title: { ko: string; en: string | null } }[];
    expect(list.map((c) => c.title)).toEqual([
      { ko: '파드', en: 'Pod' },
      { ko: '컨테이너', en: null },
    ]);
  });
});

describe('tutor concepts --json', () => {
  it('lists every concept with titles, aliases, source, summary and category', async () => {
    const r = await runTutor(['concepts', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { id: string; summary: { ko: string; en: string }; category: string }[];
    expect(list.length).toBeGreaterThan(20);
    const etcd = list.find((c) => c.id === 'etcd')!;
    expect(etcd.summary.ko).toBeTruthy();
    expect(etcd.summary.en).toBeTruthy();
    expect(etcd.category).toBe('control-plane');
  });
});

describe('tutor chat', () => {
  it('over piped input, answers each line as text and exits 0 at the end', async () => {
    const r = await runTutor(['chat'], '/k8s etcd\n/help\n\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/etcd/);
    expect(r.stdout).toMatch(/How to use the k8s tutor/);
  });

  it('with --json, prints one JSON reply per line and reports a malformed line without stopping', async () => {
    const r = await runTutor(
      ['chat', '--json'],
      '{"user":"a","channel":"c1","text":"/k8s 파드가 뭐야?"}\nnot json\n{"user":"b","text":"kubelte"}\n',
    );
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout) as { kind: string; code?: string; card?: { id: string }; channel?: string; user?: string }[];
    expect(lines[0]).toMatchObject({ kind: 'card', channel: 'c1', user: 'a', card: { id: 'pod' } });
    expect(lines[1]).toMatchObject({ kind: 'error', code: 'input.invalid' });
    expect(lines[2]).toMatchObject({ kind: 'card', user: 'b', card: { id: 'kubelet' } });
  });
});
