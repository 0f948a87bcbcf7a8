import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Concept, KnowledgeBase } from '../../src/knowledge/types.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { conceptOfItem, curriculum, pickConcept, type PostedConcept } from '../../src/schedule/order.js';

const DAY = 86_400_000;

function concept(id: string, prerequisites: string[] = []): Concept {
  return {
    id,
    title: { ko: id, en: id },
    aliases: [],
    category: 'concept',
    summary: { ko: id, en: id },
    body: '',
    related: [],
    confusedWith: [],
    prerequisites,
    source: { file: 'x.md', heading: id },
    origin: { file: 'x.md', line: 1 },
  };
}

/** Posts every day, as the scheduler would, feeding each pick back as history. */
function simulate(order: string[], days: number, misses: { conceptId: string; at: number }[] = [], minGapMs = 7 * DAY): PostedConcept[] {
  const posts: PostedConcept[] = [];
  for (let d = 0; d < days; d++) {
    const now = d * DAY;
    const id = pickConcept(
      order,
      posts,
      misses.filter((m) => m.at <= now),
      { now, minGapMs },
    );
    if (id) posts.push({ conceptId: id, at: d * DAY });
  }
  return posts;
}

describe('the teaching order', () => {
  it('puts every concept after its prerequisites, otherwise keeping the notes’ order', () => {
    const order = curriculum([
      concept('pod', ['container']),
      concept('container'),
      concept('deployment', ['pod', 'replicaset']),
      concept('replicaset', ['pod']),
      concept('etcd'),
    ]);
    expect(order).toEqual(['container', 'pod', 'replicaset', 'deployment', 'etcd']);
  });

  it('still lists every concept once when the notes have a prerequisite cycle', () => {
    const order = curriculum([concept('a', ['b']), concept('b', ['a']), concept('c')]);
    expect([...order].sort()).toEqual(['a', 'b', 'c']);
  });

  it('orders the real notes with every prerequisite first', () => {
    const kb = loadKnowledge(['knowledge']);
    const order = curriculum(kb.concepts);
    expect(new Set(order).size).toBe(kb.concepts.length);
    const pos = new Map(order.map((id, i) => [id, i]));
    const broken = kb.concepts.flatMap((c) => c.prerequisites.filter((p) => pos.get(p)! > pos.get(c.id)!).map((p) => `${p} after ${c.id}`));
    expect(broken).toEqual([]);
  });

  it('given any prerequisite graph, each concept appears once and acyclic prerequisites come first', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(11), { maxLength: 3 }), { minLength: 1, maxLength: 12 }), (edges) => {
        // Only edges to earlier indexes: acyclic by construction.
        const cs = edges.map((pre, i) =>
          concept(
            `c${i}`,
            pre.filter((p) => p < i).map((p) => `c${p}`),
          ),
        );
        const order = curriculum([...cs].reverse());
        expect(new Set(order).size).toBe(cs.length);
        const pos = new Map(order.map((id, i) => [id, i]));
        for (const c of cs) for (const p of c.prerequisites) expect(pos.get(p)!).toBeLessThan(pos.get(c.id)!);
      }),
    );
  });
});

describe('which concept a channel gets', () => {
  const order = ['a', 'b', 'c', 'd'];

  it('posts every concept once, in order, before any repeats', () => {
    expect(simulate(order, 4).map((p) => p.conceptId)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('ignores misses during the first pass', () => {
    const posts = simulate(order, 3, [
      { conceptId: 'a', at: 0.5 * DAY },
      { conceptId: 'a', at: 1.5 * DAY },
    ]);
    expect(posts.map((p) => p.conceptId)).toEqual(['a', 'b', 'c']);
  });

  it('after a full pass, brings back what players missed most since it was last posted', () => {
    const misses = [
      { conceptId: 'c', at: 3.5 * DAY },
      { conceptId: 'c', at: 3.6 * DAY },
      { conceptId: 'b', at: 3.7 * DAY },
      { conceptId: 'd', at: 2 * DAY }, // before d was posted (day 3): already covered by that post
    ];
    const posts = simulate(order, 9, misses, DAY).map((p) => p.conceptId);
    expect(posts.slice(0, 4)).toEqual(['a', 'b', 'c', 'd']);
    // c (two misses), then b (one), then the second pass goes on with what it still lacks.
    expect(posts.slice(4)).toEqual(['c', 'b', 'a', 'd', 'a']);
  });

  it('never repeats a missed concept within the minimum gap, even at the turn of a pass', () => {
    const many = Array.from({ length: 10 }, (_, i) => `k${i}`);
    const misses = Array.from({ length: 60 }, (_, i) => ({ conceptId: 'k0', at: i * DAY + 1 }));
    const posts = simulate(many, 60, misses);
    const days = posts.filter((p) => p.conceptId === 'k0').map((p) => p.at / DAY);
    expect(days.length).toBeGreaterThan(3);
    for (let i = 1; i < days.length; i++) expect(days[i]! - days[i - 1]!).toBeGreaterThanOrEqual(7);
  });

  it('lets a concept added to the notes later join the pass, and ignores posts of removed ones', () => {
    const posts: PostedConcept[] = [
      { conceptId: 'gone', at: 0 },
      { conceptId: 'a', at: DAY },
    ];
    expect(pickConcept(['a', 'new', 'b'], posts, [], { now: 2 * DAY, minGapMs: 0 })).toBe('new');
  });

  it('with no concepts, picks nothing', () => {
    expect(pickConcept([], [], [], { now: 0, minGapMs: 0 })).toBeUndefined();
  });
});

describe('the concept a quiz item is about', () => {
  const kb: KnowledgeBase = {
    concepts: [concept('pod'), concept('pod-creation')],
    sequences: [{ id: 'seq-pod', title: { ko: '', en: '' }, steps: [], source: { file: '', heading: '' }, conceptId: 'pod-creation' }],
    classifications: [],
    problems: [],
    byId: new Map([
      ['pod', concept('pod')],
      ['pod-creation', concept('pod-creation')],
    ]),
  };

  it.each([
    ['recall:pod', 'pod'],
    ['choice:pod', 'pod'],
    ['class:control-vs-worker:pod', 'pod'],
    ['order:seq-pod', 'pod-creation'],
    ['next:seq-pod:2', 'pod-creation'],
    ['recall:unknown', undefined],
    ['garbage', undefined],
  ])('%s → %s', (key, expected) => {
    expect(conceptOfItem(key, kb)).toBe(expected);
  });
});
