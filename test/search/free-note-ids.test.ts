import { describe, expect, it } from 'vitest';
import { parseNoteText } from '../../src/knowledge/load.js';
import { SearchIndex } from '../../src/search/engine.js';

describe("a free note's id", () => {
  const { concepts } = parseNoteText(
    'kube-notes.md',
    '## 파드 (Pod)\n\n컨테이너를 묶는 단위다.\n\n## 레플리카셋 (ReplicaSet)\n\n파드 수를 유지한다.\n',
  );
  const index = new SearchIndex(concepts);
  const pod = concepts.find((c) => c.title.en === 'Pod')!;

  it('finds the note when typed exactly, as `concepts --json` prints it', () => {
    expect(pod.id).toContain('--');
    const hit = index.search(pod.id).hits[0]!;
    expect(hit.concept.id).toBe(pod.id);
    expect(hit.via).toBe('exact');
  });

  it('is no fuzzy name (its title is): a misspelt title still finds the note', () => {
    expect(index.search('podd').hits[0]!.concept.id).toBe(pod.id);
    expect(index.search('replcaset').hits[0]!.concept.title.en).toBe('ReplicaSet');
    expect(index.search(pod.id.replace('kube', 'kueb')).hits.every((h) => h.via !== 'exact')).toBe(true);
  });
});
