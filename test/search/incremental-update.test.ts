import { describe, expect, it } from 'vitest';
import { syntheticConcepts } from '../../bench/synthetic.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import type { Concept } from '../../src/knowledge/types.js';
import { SearchIndex } from '../../src/search/engine.js';
import { loadQueries } from '../support/queries.js';

const shipped = loadKnowledge(['knowledge']).concepts;
const queries = loadQueries().map((q) => q.query);

/** Everything a search says, concept by id, so two indexes of the same notes can be compared exactly. */
const answers = (index: SearchIndex, qs: string[]) =>
  qs.map((q) => {
    const o = index.search(q, 8);
    return `${q} → ${o.verdict} ${o.hits.map((h) => `${h.concept.id}:${h.score}:${h.via}`).join(' ')}`;
  });

function edited(concepts: Concept[]): { next: Concept[]; queries: string[] } {
  const next = concepts.slice();
  // An edited note (a new object, as the loader gives for a changed file), a removed one and two new ones.
  const at = next.findIndex((c) => c.id === 'etcd');
  next[at] = {
    ...next[at]!,
    summary: { ko: '클러스터의 모든 상태를 담는 키-값 저장소', en: 'The key-value store that holds all cluster state' },
    aliases: [...next[at]!.aliases, '상태창고'],
  };
  next.splice(
    next.findIndex((c) => c.id === 'kubelet'),
    1,
  );
  const fresh = (id: string, ko: string, en: string, body: string): Concept => ({
    id,
    title: { ko, en },
    aliases: [],
    category: 'note',
    summary: { ko: body, en: body },
    body,
    related: [],
    confusedWith: [],
    prerequisites: [],
    source: { file: 'new.md', heading: ko },
    origin: { file: 'new.md', line: 1 },
  });
  next.splice(10, 0, fresh('new--quokka', '쿼카 노트', 'Quokka Note', '방금 쓴 노트의 본문이다. quokka smiles at pods.'));
  next.push(fresh('new--zebra', '얼룩말', 'Zebra Stripe', '줄무늬 노트. zebra stripes every etcd backup.'));
  return {
    next,
    queries: [
      '상태창고',
      'quokka note',
      'quokka',
      'zebra stripe',
      'zebrra',
      '얼룩말',
      '줄무늬',
      'kubelet',
      'kubelte',
      'etcd backup',
      '클러스터 상태',
    ],
  };
}

describe('updating the index after an edit', () => {
  it('answers exactly as a full build of the edited notes does, among the shipped concepts and 2,000 fillers', () => {
    const before = [...shipped, ...syntheticConcepts(2000)];
    const old = new SearchIndex(before);
    const { next, queries: extra } = edited(before);
    const updated = old.update(next);
    expect(updated).toBeDefined();
    const qs = [...queries, ...extra];
    expect(answers(updated!, qs)).toEqual(answers(new SearchIndex(next), qs));
    expect(updated!.search('quokka note').hits[0]!.concept.id).toBe('new--quokka');
    expect(updated!.search('kubelet').hits.map((h) => h.concept.id)).not.toContain('kubelet');
  });

  it('leaves the index it was derived from answering as before', () => {
    const before = [...shipped, ...syntheticConcepts(500)];
    const old = new SearchIndex(before);
    const { next, queries: extra } = edited(before);
    const qs = [...queries.slice(0, 150), ...extra];
    const was = answers(old, qs);
    old.update(next)!.update(edited(next).next);
    expect(answers(old, qs)).toEqual(was);
  });

  it('stays equal to a full build over a chain of edits', () => {
    let concepts = [...shipped, ...syntheticConcepts(1000, 3)];
    let index = new SearchIndex(concepts);
    const qs = [...queries.filter((_, i) => i % 3 === 0), 'quokka note', 'zebra stripe'];
    for (let round = 0; round < 4; round++) {
      // Each round rewrites a different handful of concepts and removes one.
      concepts = concepts
        .map((c, i) =>
          i % 97 === round ? { ...c, body: `${c.body} 고쳐 쓴 문장 ${round}`, aliases: [...c.aliases, `edit${round}x${i}`] } : c,
        )
        .filter((_, i) => i !== 200 + round);
      index = index.update(concepts)!;
      expect(index).toBeDefined();
    }
    expect(answers(index, qs)).toEqual(answers(new SearchIndex(concepts), qs));
    expect(index.search('edit3x3').hits[0]!.concept.aliases).toContain('edit3x3');
  });

  it('asks for a full build when a large share of the notes changed', () => {
    const before = syntheticConcepts(1000);
    const old = new SearchIndex(before);
    expect(old.update(before.map((c) => ({ ...c })))).toBeUndefined();
    expect(old.update(before.slice(0, 700))).toBeUndefined();
    expect(old.update(before.slice(0, 990))).toBeDefined();
  });
});
