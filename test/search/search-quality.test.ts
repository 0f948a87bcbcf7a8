import { describe, expect, it } from 'vitest';
import { syntheticConcepts } from '../../bench/synthetic.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { SearchIndex } from '../../src/search/engine.js';
import { accuracy, formatAccuracy, loadQueries } from '../support/queries.js';

const queries = loadQueries();
const shipped = loadKnowledge(['knowledge']).concepts;

describe('search quality on the labelled query set', () => {
  it('has at least 250 labelled queries over every category, each naming a real concept', () => {
    expect(queries.length).toBeGreaterThanOrEqual(250);
    const categories = new Set(queries.map((q) => q.category));
    for (const c of ['exact', 'ko_typo', 'choseong', 'particles', 'spacing', 'keyboard', 'en_typo', 'descriptive', 'seed'])
      expect(categories).toContain(c);
    const ids = new Set(shipped.map((c) => c.id));
    expect(queries.filter((q) => !ids.has(q.expected))).toEqual([]);
  });

  it('finds the right concept first for at least 95% and in the top three for at least 99%', () => {
    const index = new SearchIndex(shipped);
    const { rows, misses } = accuracy(queries, (q) => index.search(q).hits.map((h) => h.concept.id));
    process.stdout.write(`\nsearch accuracy, shipped knowledge (${shipped.length} concepts):\n${formatAccuracy(rows)}\n`);
    if (misses.length)
      process.stdout.write(`top-1 misses: ${misses.map((m) => `${m.q.query} → ${m.got[0] ?? '∅'} (want ${m.q.expected})`).join('; ')}\n`);
    const all = rows.find((r) => r.category === 'all')!;
    expect(all.top1).toBeGreaterThanOrEqual(0.95);
    expect(all.top3).toBeGreaterThanOrEqual(0.99);
    for (const r of rows) expect(r.top3, `top-3 in ${r.category}`).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps its accuracy among 1,000 look-alike filler concepts', () => {
    const index = new SearchIndex([...shipped, ...syntheticConcepts(1000)]);
    const { rows } = accuracy(queries, (q) => index.search(q).hits.map((h) => h.concept.id));
    process.stdout.write(`\nsearch accuracy with 1,000 filler concepts:\n${formatAccuracy(rows)}\n`);
    const all = rows.find((r) => r.category === 'all')!;
    expect(all.top1).toBeGreaterThanOrEqual(0.95);
    expect(all.top3).toBeGreaterThanOrEqual(0.99);
  });

  it('answers a confident top hit with its card, a weak one with did-you-mean, and nonsense with a miss', () => {
    const index = new SearchIndex(shipped);
    expect(index.search('kubelte').verdict).toBe('hit');
    expect(index.search('ㅋㅂㄴㅌㅅ').verdict).toBe('hit');
    expect(index.search('qzxv wplk').verdict).toBe('miss');
    const weak = index.search('노드마다 떠서 파드를 돌보는 에이전트');
    expect(['didYouMean', 'hit']).toContain(weak.verdict);
    expect(weak.hits.slice(0, 3).map((h) => h.concept.id)).toContain('kubelet');
  });

  it('never takes kubectl for kubelet or the other way round', () => {
    const index = new SearchIndex(shipped);
    expect(index.search('kubelet').hits[0]!.concept.id).toBe('kubelet');
    expect(index.search('kubectl').hits[0]!.concept.id).toBe('kubectl');
    expect(index.search('kubelte').hits[0]!.concept.id).toBe('kubelet');
    expect(index.search('kubectel').hits[0]!.concept.id).toBe('kubectl');
  });
});
