import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { NotesLoader } from '../../src/knowledge/notesLoader.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const NOTES = '## 파드 (Pod)\n\n컨테이너를 묶는 가장 작은 단위다.\n\n- 같은 네트워크를 쓴다\n- 볼륨을 나눈다\n\n## 서비스 (Service)\n\n**서비스**는 파드에 고정된 주소를 준다.\n';
const CARD = '---\nkind: concept\nid: etcd\ntitle: { ko: etcd, en: etcd }\nsummary: { ko: 상태 저장소, en: state store }\nsource: { file: notes.md }\n---\n클러스터 상태를 담는다.\n';

function notes(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'lazy-body-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('free notes whose bodies are read back from their files', () => {
  it('give the same bodies, before and after they are released, as a plain load', () => {
    const d = notes({ 'a.md': NOTES, 'card.md': CARD });
    const plain = new Map(loadKnowledge([d]).concepts.map((c) => [c.id, c.body]));
    const loader = new NotesLoader([d]);
    const { kb } = loader.load();
    expect(new Map(kb.concepts.map((c) => [c.id, c.body]))).toEqual(plain);
    loader.release();
    expect(new Map(kb.concepts.map((c) => [c.id, c.body]))).toEqual(plain);
    expect(kb.concepts.find((c) => c.title.en === 'Pod')!.body).toContain('볼륨을 나눈다');
    // A copy (as a duplicate id or an edit makes) carries the body as plain text.
    const pod = kb.concepts.find((c) => c.title.en === 'Pod')!;
    expect({ ...pod }.body).toBe(pod.body);
    expect(JSON.parse(JSON.stringify(pod)).body).toBe(pod.body);
  });

  it('read the new text when the file changed on disk, and say so plainly when the note is gone', () => {
    const d = notes({ 'a.md': NOTES });
    const loader = new NotesLoader([d]);
    const { kb } = loader.load();
    loader.release();
    const pod = kb.concepts.find((c) => c.title.en === 'Pod')!;
    const service = kb.concepts.find((c) => c.title.ko === '서비스')!;
    writeFileSync(join(d, 'a.md'), '## 파드 (Pod)\n\n컨테이너를 묶는 단위다. 고쳐 썼다.\n');
    expect(pod.body).toContain('고쳐 썼다');
    expect(service.body).toContain('본문을 다시 읽지 못했어요');
    expect(service.body).toContain('could not be read again');
    rmSync(join(d, 'a.md'));
    expect(pod.body).toContain(pod.summary.ko);
    expect(pod.body).toContain('could not be read again');
  });

  it('keep bodies in memory when asked to, and leave cards as they are', () => {
    const d = notes({ 'a.md': NOTES, 'card.md': CARD });
    const loader = new NotesLoader([d], false);
    const { kb } = loader.load();
    loader.release();
    rmSync(join(d, 'a.md'));
    expect(kb.concepts.find((c) => c.title.en === 'Pod')!.body).toContain('볼륨을 나눈다');
    const eager = new NotesLoader([d]);
    const card = eager.load().kb.byId.get('etcd')!;
    eager.release();
    rmSync(join(d, 'card.md'));
    expect(card.body).toContain('클러스터 상태를 담는다');
  });

  it('hold many files\' bodies in shared strings until released, each note its own body across the seams', () => {
    // ~1.5 million characters of bodies: more than one held string (they close at about a million).
    const files: Record<string, string> = {};
    for (let f = 0; f < 30; f++) {
      let text = '';
      for (let n = 0; n < 50; n++) text += `## 노트${f}가${n} (Note ${f} ${n})\n\n${`본문 ${f}-${n} `.repeat(90 + ((f * 7 + n) % 40))}끝.\n\n`;
      files[`f${String(f).padStart(2, '0')}.md`] = text;
    }
    const d = notes(files);
    const plain = new Map(loadKnowledge([d]).concepts.map((c) => [c.id, c.body]));
    expect([...plain.values()].reduce((n, b) => n + b.length, 0)).toBeGreaterThan(1_200_000);
    const loader = new NotesLoader([d]);
    const { kb } = loader.load();
    expect(kb.concepts).toHaveLength(1500);
    expect(new Map(kb.concepts.map((c) => [c.id, c.body]))).toEqual(plain);
    loader.release();
    expect(new Map(kb.concepts.map((c) => [c.id, c.body]))).toEqual(plain);
  });
});
