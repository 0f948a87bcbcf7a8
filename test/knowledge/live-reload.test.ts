import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { syntheticNoteFiles } from '../../bench/synthetic.js';

/** A logger whose JSON lines the test can read. */
function capturedLogger() {
  const lines: { msg: string; file?: string; line?: number; level: number }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l) as (typeof lines)[number]);
      done();
    },
  });
  return { log: createLogger({ level: 'info', pretty: false, destination }), lines };
}

const until = async (what: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

const card = (id: string, ko: string, en: string, summary: string) =>
  `---\nkind: concept\nid: ${id}\ntitle: { ko: ${ko}, en: ${en} }\nsummary: { ko: ${summary}, en: ${summary} }\nsource: { file: notes.md }\n---\n${summary}\n`;

let app: App | undefined;
let dir: string | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function watched(files: Record<string, string>) {
  dir = mkdtempSync(join(tmpdir(), 'watch-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const { log, lines } = capturedLogger();
  app = await createApp({ notesPaths: [dir], log, watchNotes: true, dailyPlatforms: [] });
  await app.watcher!.ready();
  return { dir, lines, app };
}

describe('notes watched while the bot answers', () => {
  it('picks up a changed, an added and a removed note', async () => {
    const { dir, app } = await watched({ 'a.md': '## 파드 (Pod)\n\n컨테이너를 묶는 단위다.\n' });
    const top = (q: string) => app.tutor.lookup(q).hits[0]?.concept.title.ko;
    expect(top('pod')).toBe('파드');

    writeFileSync(join(dir, 'a.md'), '## 파드 (Pod)\n\n컨테이너를 묶는 단위다.\n\n## 레플리카셋 (ReplicaSet)\n\n파드 수를 유지한다.\n');
    await until(() => top('replicaset') === '레플리카셋');

    writeFileSync(join(dir, 'b.md'), '## 서비스 (Service)\n\n파드에 고정된 접속 경로를 준다.\n');
    await until(() => top('service') === '서비스');
    expect(app.knowledge.concepts.map((c) => c.title.ko).sort()).toEqual(['레플리카셋', '서비스', '파드']);

    unlinkSync(join(dir, 'b.md'));
    await until(() => app.knowledge.concepts.length === 2);
    expect(app.tutor.lookup('service').hits.every((h) => h.concept.title.ko !== '서비스')).toBe(true);
  });

  it('shares one frozen card between answers, and shows an edit to its note once the notes reload', async () => {
    const { dir, app } = await watched({ 'a.md': '## 파드 (Pod)\n\n컨테이너를 묶는 단위다.\n' });
    const ask = async () => {
      const [reply] = await app.tutor.handle({ platform: 'test', user: { id: 'u1' }, channel: { id: 'c1' }, text: '/k8s pod' });
      return reply!;
    };
    const first = await ask();
    const again = await ask();
    expect(again.card).toBe(first.card);
    expect(Object.isFrozen(first.card) && Object.isFrozen(first.card!.title)).toBe(true);
    expect(first.markdown).toContain('컨테이너를 묶는 단위다.');

    // Same length as before: a cache keyed on the body's length would keep showing the old text.
    const before = app.live.snapshot.version;
    writeFileSync(join(dir, 'a.md'), '## 파드 (Pod)\n\n컨테이너를 담는 단위다.\n');
    await until(() => app.live.snapshot.version > before);
    const edited = await ask();
    expect(edited.card).not.toBe(first.card);
    expect(edited.card!.body).toContain('컨테이너를 담는 단위다.');
    expect(edited.markdown).toContain('컨테이너를 담는 단위다.');
  });

  it('answers every query during a reload from a complete index, old or new, and switches at once', async () => {
    // 3,000 notes: the new index takes several slices to build, so queries run between them.
    const { files, english } = syntheticNoteFiles(3000);
    const initial = Object.fromEntries(files.map((f) => [f.name, f.text]));
    initial['zz-last.md'] = '## 마지막 노트 (Last Note)\n\n목록의 맨 끝에 있는 노트다.\n';
    const { dir, app } = await watched(initial);
    const lastAdded = english[english.length - 1]!;

    const seen = new Set<number>();
    let answered = 0;
    let stop = false;
    const problems: string[] = [];
    const asking = (async () => {
      while (!stop) {
        const { kb, version } = app.live.snapshot;
        const last = app.tutor.lookup('last note').hits[0]?.concept;
        const deep = app.tutor.lookup(lastAdded).hits[0]?.concept;
        // A half-built index would miss the notes indexed last.
        if (last?.title.en !== 'Last Note' || !deep || deep.title.en !== lastAdded) problems.push(`v${version}: ${last?.title.en} / ${deep?.title.en}`);
        // Hits come from the notes of the same snapshot: never an old hit with new notes.
        if (last && kb.byId.get(last.id) !== last) problems.push(`v${version}: mismatched snapshot`);
        seen.add(version);
        answered += 1;
        await new Promise((r) => setImmediate(r));
      }
    })();

    const before = app.live.snapshot.version;
    const answeredBefore = answered;
    writeFileSync(join(dir, 'zz-last.md'), '## 마지막 노트 (Last Note)\n\n목록의 맨 끝에 있는 노트다. 고쳐 썼다.\n');
    await until(() => app.live.snapshot.version > before);
    await app.watcher!.idle();
    const settled = answered;
    await until(() => answered > settled + 1);
    stop = true;
    await asking;

    expect(problems).toEqual([]);
    expect(answered - answeredBefore).toBeGreaterThan(3);
    expect([...seen].sort()).toEqual([before, before + 1]);
    expect(app.tutor.lookup('last note').hits[0]!.concept.body).toContain('고쳐 썼다');
  });

  it('keeps the last good version of a note whose edit does not parse, and logs its file and line', async () => {
    const { dir, app, lines } = await watched({ 'etcd.md': card('etcd', 'etcd', 'etcd', '클러스터 상태를 저장하는 키-값 저장소'), 'other.md': '## 파드 (Pod)\n\n컨테이너를 묶는 단위다.\n' });
    expect(app.tutor.lookup('etcd').hits[0]!.concept.summary.ko).toBe('클러스터 상태를 저장하는 키-값 저장소');

    // A broken card and, in the same save, a good edit elsewhere: the good one goes through.
    writeFileSync(join(dir, 'etcd.md'), '---\nkind: concept\nid: etcd\ntitle: [unclosed\n---\n망가진 노트\n');
    const version = app.live.snapshot.version;
    writeFileSync(join(dir, 'other.md'), '## 파드 (Pod)\n\n컨테이너를 묶는 가장 작은 단위다.\n');
    // Waits for the reload itself: a free note's body is read from its file, so it shows the edit even before.
    await until(() => app.live.snapshot.version > version && app.tutor.lookup('pod').hits[0]?.concept.summary.ko.includes('가장 작은') === true);

    expect(app.tutor.lookup('etcd').hits[0]!.concept.summary.ko).toBe('클러스터 상태를 저장하는 키-값 저장소');
    const warning = lines.find((l) => l.file === 'etcd.md' && /kept the previous version/.test(l.msg));
    expect(warning).toBeDefined();
    expect(warning!.line).toBeGreaterThanOrEqual(2);

    // Fixed: the new version is taken.
    writeFileSync(join(dir, 'etcd.md'), card('etcd', 'etcd', 'etcd', '모든 상태가 모이는 곳'));
    await until(() => app.tutor.lookup('etcd').hits[0]?.concept.summary.ko === '모든 상태가 모이는 곳');
  });

  it('keeps answering from the old notes when every note is removed', async () => {
    const { dir, app, lines } = await watched({ 'a.md': '## 파드 (Pod)\n\n컨테이너를 묶는 단위다.\n' });
    unlinkSync(join(dir, 'a.md'));
    await until(() => lines.some((l) => /no concepts left/.test(l.msg)));
    expect(app.tutor.lookup('pod').hits[0]!.concept.title.ko).toBe('파드');
  });
});

describe('NOTES_WATCH', () => {
  it('reads 1/0 (and true/false, on/off), is unset by default, and names the variable and the fix when it is neither', () => {
    expect(loadConfig({ NOTES_WATCH: '1' }).notesWatch).toBe(true);
    expect(loadConfig({ NOTES_WATCH: 'off' }).notesWatch).toBe(false);
    expect(loadConfig({}).notesWatch).toBeUndefined();
    expect(() => loadConfig({ NOTES_WATCH: 'sometimes' })).toThrow(/NOTES_WATCH must be 1 or 0.*Fix: set NOTES_WATCH=1/);
  });
});
