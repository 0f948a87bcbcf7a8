import { describe, expect, it } from 'vitest';
import { loadKnowledge, parseNoteText } from '../../src/knowledge/load.js';
import type { Concept } from '../../src/knowledge/types.js';
import { SearchIndex } from '../../src/search/engine.js';
import { mulberry32, oneLetterOff, syntheticNoteFiles } from '../../bench/synthetic.js';
import { GLOSSARY, SEED_NOTES, announceSkip } from '../support/shared.js';

announceSkip('author-name tests on the seed notes and the glossary');

const one = (text: string): Concept => {
  const parsed = parseNoteText('names.md', text);
  expect(parsed.problems).toEqual([]);
  expect(parsed.concepts).toHaveLength(1);
  return parsed.concepts[0]!;
};

describe('names as the author wrote them', () => {
  it.each([
    ['## 파드 (Pod)\n\n파드는 컨테이너를 묶는 가장 작은 배포 단위다.\n'],
    ['## 파드(Pod)\n\n파드는 컨테이너를 묶는 가장 작은 배포 단위다.\n'],
    ['## Pod (파드)\n\n파드는 컨테이너를 묶는 가장 작은 배포 단위다.\n'],
    ['# 파드 （Pod）\n\n파드는 컨테이너를 묶는 가장 작은 배포 단위다.\n'],
  ])('given the heading in %j, gives the Korean title 파드 and the English title Pod', (text) => {
    const c = one(text);
    expect(c.title).toEqual({ ko: '파드', en: 'Pod' });
    expect(c.noEnglishName).toBeUndefined();
    expect(c.summary.ko).toBe('파드는 컨테이너를 묶는 가장 작은 배포 단위다.');
  });

  it('given **파드**(Pod)는 …, names the term and starts the summary after it', () => {
    const c = one('**파드**(Pod)는 컨테이너를 묶는 가장 작은 배포 단위다. 노드에 함께 놓인다.\n');
    expect(c.title).toEqual({ ko: '파드', en: 'Pod' });
    expect(c.summary.ko).toBe('컨테이너를 묶는 가장 작은 배포 단위다.');
  });

  it('given a bold term with its name inside a sentence, names it and keeps the sentence from the term on', () => {
    const parsed = parseNoteText('names.md', '# 오브젝트\n\n쿠버네티스에서 가장 작은 단위는 **파드**(Pod)이며 컨테이너를 묶는다.\n');
    const pod = parsed.concepts.find((c) => c.title.ko === '파드')!;
    expect(pod.title.en).toBe('Pod');
    expect(pod.summary.ko).toBe('파드(Pod)이며 컨테이너를 묶는다.');
  });

  it('given 쿠버네티스(Kubernetes, k8s), takes the first English name as the title and the rest as aliases', () => {
    const c = one('## 쿠버네티스(Kubernetes, k8s)\n\n컨테이너 오케스트레이션 플랫폼이다.\n');
    expect(c.title).toEqual({ ko: '쿠버네티스', en: 'Kubernetes' });
    expect(c.aliases).toEqual(expect.arrayContaining(['k8s', 'Kubernetes']));
    expect(c.aliases).not.toContain('쿠버네티스');
  });

  it('given a Korean heading with no English name, says so and keeps one title to show', () => {
    const c = one('## 컨테이너\n\n격리된 프로세스다.\n');
    expect(c.noEnglishName).toBe(true);
    expect(c.title).toEqual({ ko: '컨테이너', en: '컨테이너' });
  });

  it('given an English-only heading, that name is the English title', () => {
    const c = one('## kubelet\n\n노드에서 파드를 돌보는 에이전트다.\n');
    expect(c.noEnglishName).toBeUndefined();
    expect(c.title.en).toBe('kubelet');
  });

  it('given a parenthesis in the same language, keeps the title whole and both parts as names', () => {
    const c = one('## kubelet (node agent)\n\n노드에서 파드를 돌보는 에이전트다.\n');
    expect(c.title.en).toBe('kubelet (node agent)');
    expect(c.aliases).toEqual(expect.arrayContaining(['kubelet', 'node agent']));
  });

  it('keeps the id it had before, so stored quiz answers and daily posts still point at the same concept', () => {
    expect(one('## 파드 (Pod)\n\n본문이다.\n').id).toBe('names--파드-pod');
  });

  it('finds each form by its English name, by a typo in it, and by an extra alias', () => {
    const parsed = parseNoteText(
      'workloads.md',
      '## 파드 (Pod)\n\n컨테이너를 묶는 단위다.\n\n## 레플리카셋(ReplicaSet)\n\n파드 수를 유지한다.\n\n## 쿠버네티스(Kubernetes, k8s)\n\n오케스트레이션 플랫폼이다.\n\n**서비스**(Service)는 파드에 고정된 접속 경로를 준다.\n',
    );
    const index = new SearchIndex(parsed.concepts);
    const top = (q: string) => index.search(q).hits[0]?.concept.title.ko;
    expect(top('pod')).toBe('파드');
    expect(top('podd')).toBe('파드');
    expect(top('replcaset')).toBe('레플리카셋');
    expect(top('ReplicaSet')).toBe('레플리카셋');
    expect(top('k8s')).toBe('쿠버네티스');
    expect(top('servce')).toBe('서비스');
    expect(index.search('replcaset').verdict).toBe('hit');
  });
});

describe('notes written as "## 한국어 이름 (English name)" at scale', () => {
  it('finds a note first by its English name with one letter changed (1,000 notes)', () => {
    const { files, english } = syntheticNoteFiles(1000);
    const concepts = files.flatMap((f) => parseNoteText(f.name, f.text).concepts);
    expect(concepts).toHaveLength(1000);
    expect(concepts.every((c) => c.noEnglishName === undefined)).toBe(true);
    const index = new SearchIndex(concepts);
    const rnd = mulberry32(5);
    let first = 0;
    const tried = english.slice(0, 200);
    for (const [i, name] of tried.entries()) {
      if (index.search(oneLetterOff(name, rnd)).hits[0]?.concept.id === concepts[i]!.id) first += 1;
    }
    expect(first / tried.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe.skipIf(!SEED_NOTES)('names in the seed notes', () => {
  const kb = SEED_NOTES ? loadKnowledge([SEED_NOTES]) : undefined!;

  it('says a Korean heading has no English name, and gives Latin headings their own name in English', () => {
    const byKo = (ko: string) => kb.concepts.find((c) => c.title.ko === ko)!;
    expect(byKo('컨테이너').noEnglishName).toBe(true);
    expect(byKo('etcd').title.en).toBe('etcd');
    expect(byKo('kube-proxy').noEnglishName).toBeUndefined();
    for (const c of kb.concepts) expect(c.summary.ko).not.toMatch(/^\(/);
  });
});

describe.skipIf(!GLOSSARY)('names in the Korean glossary', () => {
  const kb = GLOSSARY ? loadKnowledge([GLOSSARY]) : undefined!;

  it('splits every "한국어 (원문, English)" title, and leaves no parenthesis marker in a title', () => {
    for (const c of kb.concepts) {
      expect(c.title.ko).not.toMatch(/원문/);
      expect(c.title.en).not.toMatch(/원문/);
    }
    expect(kb.byId.get('affinity')!.title).toEqual({ ko: '어피니티', en: 'Affinity' });
    expect(kb.concepts.filter((c) => c.noEnglishName).length).toBeLessThan(10);
  });
});
