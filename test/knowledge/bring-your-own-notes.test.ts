import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge, parseNoteText } from '../../src/knowledge/load.js';
import { SearchIndex } from '../../src/search/engine.js';
import { GLOSSARY, SEED_NOTES, announceSkip } from '../support/shared.js';

announceSkip('seed-notes and glossary loader tests');

describe.skipIf(!SEED_NOTES)('the seed notes, loaded as they are', () => {
  const kb = SEED_NOTES ? loadKnowledge([SEED_NOTES]) : undefined!;
  const index = SEED_NOTES ? new SearchIndex(kb.concepts) : undefined!;

  it('loads without problems and finds dozens of concepts', () => {
    expect(kb.problems).toEqual([]);
    expect(kb.concepts.length).toBeGreaterThan(25);
  });

  it('given /k8s etcd, finds its etcd passage with file, heading and line', () => {
    const hit = index.search('etcd').hits[0]!;
    expect(hit.concept.title.ko).toBe('etcd');
    expect(hit.concept.body).toContain('상태가 모두 저장되는 곳');
    expect(hit.concept.source).toMatchObject({ file: '000_d359af6a4ce1f427.txt', heading: 'etcd' });
    expect(hit.concept.source.line).toBe(135);
  });

  it('given /k8s 파드의 생명주기, finds its 8-step list as a sequence', () => {
    const outcome = index.search('파드의 생명주기');
    expect(outcome.verdict).toBe('hit');
    const concept = outcome.hits[0]!.concept;
    const seq = kb.sequences.find((s) => s.conceptId === concept.id)!;
    expect(seq.steps).toHaveLength(8);
    expect(seq.steps[0]!.text.ko).toMatch(/^kubectl을 통해 API 서버에 파드 생성을 요청한다/);
    expect(seq.steps[7]!.text.ko).toBe('파드가 사용가능한 상태가 된다.');
  });

  it('turns bold terms into concepts, including ones inside a sentence', () => {
    const titles = kb.concepts.map((c) => c.title.ko);
    for (const t of ['컨테이너', 'kubelet', 'kube-proxy', '코드형 인프라', '오케스트레이션', '네임스페이스', '서비스']) expect(titles).toContain(t);
    const iac = kb.concepts.find((c) => c.title.ko === '코드형 인프라')!;
    expect(iac.summary.ko).toMatch(/^코드형 인프라는 코드로 하드웨어를 설정하고/);
  });

  it('joins a term met twice (a list item and a bold term) into one concept with both passages', () => {
    const kubelets = kb.concepts.filter((c) => c.title.ko === 'kubelet');
    expect(kubelets).toHaveLength(1);
    expect(kubelets[0]!.body).toContain('컨테이너 런타임으로 전달');
    expect(kubelets[0]!.body).toContain('생성과 상태 관리 및 복구');
  });
});

describe.skipIf(!GLOSSARY)('the Korean Kubernetes glossary (Hugo pages)', () => {
  const kb = GLOSSARY ? loadKnowledge([GLOSSARY]) : undefined!;

  it('loads every term page and skips the folder index and the notice', () => {
    expect(kb.concepts.length).toBe(127);
    expect(kb.concepts.find((c) => c.title.ko === '표준 용어집')).toBeUndefined();
  });

  it('renders shortcodes as their text and lets HTML comments and <!--more--> vanish', () => {
    for (const c of kb.concepts) {
      for (const text of [c.body, c.summary.ko, c.title.ko]) {
        expect(text).not.toMatch(/\{\{[<%]|[>%]\}\}|<!--|-->/);
      }
    }
    const affinity = kb.byId.get('affinity')!;
    expect(affinity.title).toEqual({ ko: '어피니티', en: 'Affinity' });
    expect(affinity.body).toContain('쿠버네티스 레이블 및 파드에 명시된 셀렉터');
    expect(affinity.summary.ko).toBe('파드를 배치할 위치를 결정하기 위해 스케줄러에서 사용하는 규칙');
  });

  it('keeps an English name that itself has parentheses', () => {
    expect(kb.byId.get('cla')!.title.en).toBe('CLA (Contributor License Agreement)');
  });

  it('reads pages that spell keys with hyphens and titles without 원문', () => {
    const page = kb.byId.get('pod-lifecycle')!;
    expect(page.title).toEqual({ ko: '파드 라이프사이클', en: 'Pod Lifecycle' });
    expect(page.summary.ko).toMatch(/^파드가 수명\(lifetime\) 동안/);
    expect(page.source.url).toBe('/ko/docs/concepts/workloads/pods/pod-lifecycle/');
  });

  it('finds glossary terms by Korean and English name, aka and typo', () => {
    const index = new SearchIndex(kb.concepts);
    expect(index.search('어피니티').hits[0]!.concept.id).toBe('affinity');
    expect(index.search('Admission Controller').hits[0]!.concept.id).toBe('admission-controller');
    expect(index.search('어드미션 컨트롤라').hits[0]!.concept.id).toBe('admission-controller');
  });

  it('combines with the shipped knowledge when both are named', () => {
    const both = loadKnowledge([GLOSSARY!, 'knowledge']);
    expect(both.concepts.length).toBeGreaterThan(127);
    expect(both.byId.has('etcd')).toBe(true);
  });
});

describe('notes that are broken', () => {
  it('given broken front matter, reports file and line and still loads the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'notes-'));
    writeFileSync(join(dir, 'broken.md'), '---\ntitle: [unclosed\nid: x\n---\n# 쿠버네티스\n\n**kubelet**<br>\n노드에서 파드를 돌보는 에이전트.\n');
    writeFileSync(join(dir, 'good.md'), '# etcd\n\n클러스터 상태를 저장한다.\n');
    const kb = loadKnowledge([dir]);
    expect(kb.problems.length).toBeGreaterThan(0);
    expect(kb.problems[0]).toMatchObject({ file: 'broken.md' });
    expect(kb.problems[0]!.line).toBeGreaterThanOrEqual(2);
    expect(kb.concepts.map((c) => c.title.ko)).toEqual(expect.arrayContaining(['kubelet', 'etcd']));
  });

  it('given a card whose metadata is incomplete, names the missing field', () => {
    const parsed = parseNoteText('bad-card.md', '---\nkind: concept\nid: Bad Id\ntitle: { ko: 잘못 }\nsource: {}\n---\n# x\n');
    const text = parsed.problems.map((p) => p.message).join('\n');
    expect(text).toMatch(/id/);
    expect(text).toMatch(/title\.en/);
    expect(text).toMatch(/source/);
  });

  it('given unbalanced Markdown, still reads the headings and terms', () => {
    const parsed = parseNoteText('odd.md', '# 제목 **열린 강조\n\n```bash\nkubectl get pods\n\n## 서비스\n\n파드에 고정된 접속 경로를 준다. [링크(깨짐\n');
    expect(parsed.problems).toEqual([]);
    expect(parsed.concepts.length).toBeGreaterThan(0);
  });

  it('given a missing path, says which and how to fix it', () => {
    expect(() => loadKnowledge(['/no/such/notes'])).toThrow(/Notes path not found: \/no\/such\/notes.*--notes/);
  });
});
