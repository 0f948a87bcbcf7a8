import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.js';
import {
  buildChoice,
  buildClass,
  buildMissing,
  buildNext,
  buildOrder,
  buildRecall,
  buildSwap,
  classificationSets,
  classMembers,
  type BuildContext,
} from '../../src/quiz/build.js';
import { expectedOf, grade } from '../../src/quiz/grade.js';
import { labelOf } from '../../src/quiz/labels.js';
import { createRng } from '../../src/quiz/rng.js';
import { SearchIndex } from '../../src/search/engine.js';

const kb = loadKnowledge(['knowledge']);
const index = new SearchIndex(kb.concepts);
let n = 0;
const ctx = (seed = 5): BuildContext => ({ kb, rng: createRng(seed), newId: () => `t${++n}` });
const concept = (id: string) => kb.byId.get(id)!;
const podCreation = kb.sequences.find((s) => s.id === 'pod-creation')!;

describe('recall answers, graded with the search normaliser', () => {
  const etcd = buildRecall(ctx(), concept('etcd'));
  const kubelet = buildRecall(ctx(), concept('kubelet'));

  it.each(['etcd', 'ETCD', '엣시디', 'etcd요', 'etcd입니다', '정답은 etcd'])('accepts %s for etcd', (answer) => {
    expect(grade(etcd, answer, { index, team: false })).toMatchObject({ status: 'graded', correct: true, credit: 1 });
  });

  it('never accepts a different concept, however close the spelling: kubectl for kubelet', () => {
    expect(grade(kubelet, 'kubectl', { index, team: false })).toMatchObject({ status: 'graded', correct: false, named: { id: 'kubectl' } });
    expect(grade(kubelet, 'kubeadm', { index, team: false })).toMatchObject({ correct: false });
  });

  it('forgives a close typo of the right name that is nearer to nothing else', () => {
    expect(grade(kubelet, 'kubelte', { index, team: false })).toMatchObject({ correct: true, typo: true });
    expect(grade(kubelet, '큐블릿', { index, team: false })).toMatchObject({ correct: true });
  });

  it('accepts the answer in either language', () => {
    const api = buildRecall(ctx(), concept('api-server'));
    expect(grade(api, 'API 서버', { index, team: false })).toMatchObject({ correct: true });
    expect(grade(api, 'api server', { index, team: false })).toMatchObject({ correct: true });
  });

  it('does not take a description for a name', () => {
    expect(grade(etcd, '키-값 저장소', { index, team: false })).toMatchObject({ correct: false });
  });

  it('in a team round, treats a line naming no concept as not an answer', () => {
    expect(grade(etcd, 'ㅋㅋㅋ 어렵다', { index, team: true })).toMatchObject({ status: 'invalid', code: 'answer.notConcept' });
  });

  it('hides the answer inside its own clue', () => {
    const q = buildRecall(ctx(), concept('kubelet'));
    expect(`${q.clue.ko} ${q.clue.en}`.toLowerCase()).not.toContain('kubelet');
  });
});

describe('ordering drill questions', () => {
  it('labels the shuffled steps A… and expects the labels in true order', () => {
    const q = buildOrder(ctx(9), podCreation);
    expect(q.shown).toHaveLength(8);
    const expected = expectedOf(q) as string[];
    expect(expected).toHaveLength(8);
    expect(grade(q, expected.join(' '), { index, team: false })).toMatchObject({ correct: true, credit: 1 });
    expect(grade(q, expected.join(',').toLowerCase(), { index, team: false })).toMatchObject({ correct: true });
    const numbers = expected.map((l) => l.charCodeAt(0) - 64).join(' ');
    expect(grade(q, numbers, { index, team: false })).toMatchObject({ correct: true });
  });

  it('gives partial credit when one step is misplaced, and reports the first wrong position', () => {
    const q = buildOrder(ctx(9), podCreation);
    const expected = expectedOf(q) as string[];
    const moved = [...expected.slice(1, 4), expected[0]!, ...expected.slice(4)];
    const a = grade(q, moved.join(' '), { index, team: false });
    expect(a).toMatchObject({ status: 'graded', correct: false });
    if (a.status !== 'graded') throw new Error('not graded');
    expect(a.credit).toBeCloseTo(6 / 7);
    expect(a.order?.firstWrong).toBe(0);
  });

  it('asks what comes after a step, with the next step among four options', () => {
    const q = buildNext(ctx(), podCreation, 2);
    expect(q.options).toHaveLength(4);
    expect(q.options[q.answer]).toBe(3);
    expect(grade(q, labelOf(q.answer), { index, team: false })).toMatchObject({ correct: true });
  });

  it('asks for the swapped pair, in either order', () => {
    const q = buildSwap(ctx(), podCreation);
    const [a, b] = q.pair.map(labelOf);
    expect(grade(q, `${b} ${a}`, { index, team: false })).toMatchObject({ correct: true });
    expect(expectedOf(q)).toEqual([a, b]);
  });

  it('fills a missing step from options taken from other sequences', () => {
    const q = buildMissing(ctx(), podCreation, 4)!;
    expect(q.options[q.answer]).toEqual(podCreation.steps[4]!.text);
    expect(grade(q, labelOf(q.answer), { index, team: false })).toMatchObject({ correct: true });
  });
});

describe('multiple choice and classification', () => {
  it('offers four options with distractors from what the card is confused with', () => {
    const q = buildChoice(ctx(), concept('kubelet'))!;
    expect(q.options).toHaveLength(4);
    const ids = q.options.map((o) => o.id);
    expect(ids).toContain('kubelet');
    expect(ids.filter((id) => concept('kubelet').confusedWith.includes(id)).length).toBeGreaterThanOrEqual(2);
    expect(grade(q, labelOf(q.answer), { index, team: false })).toMatchObject({ correct: true });
    expect(grade(q, 'kubelet', { index, team: false })).toMatchObject({ correct: true });
  });

  it('classifies a component by label or by class name in either language', () => {
    const set = classificationSets(kb).find((s) => s.id === 'control-plane-vs-worker') ?? classificationSets(kb)[0]!;
    const member = classMembers(set)[0]!;
    const q = buildClass(ctx(), set, member.conceptId)!;
    expect(grade(q, labelOf(q.answer), { index, team: false })).toMatchObject({ correct: true });
    expect(grade(q, q.classes[q.answer]!.en, { index, team: false })).toMatchObject({ correct: true });
    expect(grade(q, q.classes[q.answer]!.ko, { index, team: false })).toMatchObject({ correct: true });
  });
});
