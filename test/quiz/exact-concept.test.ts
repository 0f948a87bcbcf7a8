import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.js';
import type { KnowledgeBase } from '../../src/knowledge/types.js';
import { parseQuizArgs } from '../../src/quiz/args.js';
import { askableConcepts, classificationSets, type BuildContext } from '../../src/quiz/build.js';
import { pickQuestions, resolveTopic } from '../../src/quiz/pick.js';
import type { Question, QuestionKind } from '../../src/quiz/question.js';
import { createRng } from '../../src/quiz/rng.js';
import { SearchIndex } from '../../src/search/engine.js';
import { harness, one, type Harness } from './harness.js';

let kb: KnowledgeBase;
let index: SearchIndex;
beforeAll(() => {
  kb = loadKnowledge(['knowledge']);
  index = new SearchIndex(kb.concepts);
});

function ask(text: string, seed: number, count = 1, kind?: QuestionKind): Question[] {
  let n = 0;
  const ctx: BuildContext = { kb, rng: createRng(seed), newId: () => `q${++n}` };
  const topic = resolveTopic(kb, index, text);
  if (!topic) throw new Error(`no topic for ${text}`);
  return pickQuestions(ctx, { topic, count, kind });
}

/** What a question is about: the recalled or chosen concept, the drilled sequence, the classification it asks about. */
const subjects = (q: Question) => new Set([q.conceptId, q.itemKey.split(':')[1]!]);
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

describe('quiz on one exact concept (the daily post’s button runs /quiz <conceptId>)', () => {
  it('given any concept id from the notes, asks a question about that concept itself', () => {
    const askable = new Set(askableConcepts(kb).map((c) => c.id));
    const sets = new Set(classificationSets(kb).map((s) => s.id));
    for (const c of kb.concepts) {
      for (const seed of [1, 2]) {
        const [q] = ask(c.id, seed);
        expect(q, c.id).toBeDefined();
        expect(subjects(q!).has(c.id), `${c.id} asked ${q!.itemKey}`).toBe(true);
        if (askable.has(c.id)) expect(['recall', 'choice']).toContain(q!.kind);
        else if (sets.has(c.id)) expect(q!.kind).toBe('class');
        else expect(['order', 'next', 'swap', 'missing']).toContain(q!.kind);
      }
    }
  });

  it('given iac, docker or worker-node, never asks about a neighbour (VirtualBox, a docker command, kubelet)', () => {
    for (const id of ['iac', 'docker', 'worker-node']) {
      for (const seed of SEEDS) {
        const [q] = ask(id, seed);
        expect(q!.conceptId, `/quiz ${id} seed ${seed}`).toBe(id);
      }
    }
  });

  it('given the exact Korean or English name, asks about that concept too', () => {
    const cases: [string, string][] = [
      ['코드형 인프라', 'iac'],
      ['Infrastructure as Code (IaC)', 'iac'],
      ['도커', 'docker'],
      ['Docker', 'docker'],
      ['워커 노드', 'worker-node'],
      ['kubelet', 'kubelet'],
      ['큐블릿', 'kubelet'],
      ['파드 생성 과정 (8단계)', 'pod-creation'],
    ];
    for (const [text, id] of cases) {
      for (const seed of SEEDS.slice(0, 3)) expect(subjects(ask(text, seed)[0]!).has(id), `/quiz ${text}`).toBe(true);
    }
  });

  it('given a broader topic (a category word, a fuzzy search), keeps choosing among the topic’s concepts', () => {
    const worker = new Set(kb.concepts.filter((c) => c.category === 'worker-node').map((c) => c.id));
    const monitoring = new Set(kb.concepts.filter((c) => c.category === 'monitoring').map((c) => c.id));
    const seenWorker = new Set<string>();
    for (const seed of SEEDS) {
      const [w] = ask('worker', seed);
      expect(worker.has(w!.conceptId), w!.itemKey).toBe(true);
      seenWorker.add(w!.conceptId);
      const [m] = ask('모니터링', seed);
      expect(
        [...subjects(m!)].some((s) => monitoring.has(s)),
        m!.itemKey,
      ).toBe(true);
    }
    expect(seenWorker.size).toBeGreaterThan(1);
    expect(resolveTopic(kb, index, 'worker')?.concept).toBeUndefined();
    expect(resolveTopic(kb, index, '컨트롤 플레인')?.concept).toBeUndefined();
    expect(resolveTopic(kb, index, 'kubelet이 뭐야')?.concept).toBeUndefined();
  });

  it('given a concept id that is also a category (docker, worker-node), the topic holds the concept and the category', () => {
    const docker = resolveTopic(kb, index, 'docker')!;
    expect(docker.concept).toBe('docker');
    expect(docker.ids.has('docker')).toBe(true);
    expect(docker.ids.has('dockerfile')).toBe(true);
    const worker = resolveTopic(kb, index, 'worker-node')!;
    expect(worker.concept).toBe('worker-node');
    expect(['worker-node', 'kubelet', 'kube-proxy', 'container-runtime'].every((id) => worker.ids.has(id))).toBe(true);
  });

  it('given a round on one concept, the first question is about it and the rest come from its neighbours', () => {
    for (const seed of SEEDS.slice(0, 4)) {
      const qs = ask('iac', seed, 4);
      expect(qs).toHaveLength(4);
      expect(qs[0]!.conceptId).toBe('iac');
      expect(new Set(qs.map((q) => q.itemKey)).size).toBe(4);
    }
  });

  it('given a kind the concept itself cannot be asked in, falls back to its neighbourhood; class when asked is about the concept', () => {
    expect(ask('pod', 1, 1, 'order')[0]?.kind).toBe('order');
    for (const seed of SEEDS.slice(0, 3)) {
      const [q] = ask('kubelet', seed, 1, 'class');
      expect(q).toMatchObject({ kind: 'class', conceptId: 'kubelet' });
      expect(ask('kubelet', seed, 1, 'recall')[0]).toMatchObject({ kind: 'recall', conceptId: 'kubelet' });
    }
  });

  it('every concept id reads as a topic, never as a kind or a subcommand', () => {
    for (const c of kb.concepts) expect(parseQuizArgs([c.id])).toEqual({ action: 'solo', kind: undefined, topic: c.id });
  });
});

describe('quiz on one exact concept, through the tutor', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ seed: 5 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('given /quiz iac, the private question is graded with the IaC card, for each of several players', async () => {
    for (const user of ['ana', 'bo', 'cy', 'di', 'ed', 'fe']) {
      const q = one(await h.say(user, '/quiz iac'));
      expect(q).toMatchObject({ kind: 'quiz', visibility: 'private' });
      expect(['recall', 'choice']).toContain(q.quiz!.kind);
      const graded = one(await h.say(user, q.quiz!.kind === 'recall' ? 'zzzz' : 'A'));
      expect(graded.card?.id).toBe('iac');
    }
  });
});
