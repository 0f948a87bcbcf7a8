import type { Bilingual, Concept, KnowledgeBase } from '../knowledge/types.js';
import type { SearchIndex } from '../search/engine.js';
import { compactKey } from '../search/normalize.js';
import {
  askableConcepts,
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
} from './build.js';
import type { Question, QuestionKind } from './question.js';
import { pickOne } from './rng.js';

/** What a question may be about: concepts by id (a topic), or everything. */
export interface Topic {
  label: Bilingual;
  ids: Set<string>;
  /** The topic names one sequence (`파드 생성 과정`): drills come from it alone. */
  sequence?: string | undefined;
}

/** One question that could be asked: its kind, what it is about, and how to make it. */
interface Candidate {
  kind: QuestionKind;
  /** Sequence or concept id: a round avoids asking about the same thing twice. */
  subject: string;
  make(): Question | undefined;
}

function candidates(ctx: BuildContext, topic: Topic | undefined): Candidate[] {
  const { kb } = ctx;
  const about = (...ids: string[]) => !topic || ids.some((id) => topic.ids.has(id));
  const out: Candidate[] = [];
  for (const seq of kb.sequences) {
    if (topic?.sequence ? topic.sequence !== seq.id : !about(seq.id, seq.conceptId)) continue;
    const n = seq.steps.length;
    if (n >= 2) out.push({ kind: 'order', subject: seq.id, make: () => buildOrder(ctx, seq) });
    if (n >= 3) {
      out.push({ kind: 'next', subject: seq.id, make: () => buildNext(ctx, seq) });
      out.push({ kind: 'swap', subject: seq.id, make: () => buildSwap(ctx, seq) });
      if (kb.sequences.some((s) => s.id !== seq.id && s.steps.length)) out.push({ kind: 'missing', subject: seq.id, make: () => buildMissing(ctx, seq) });
    }
  }
  const askable = askableConcepts(kb);
  for (const c of askable) {
    if (!about(c.id)) continue;
    out.push({ kind: 'recall', subject: c.id, make: () => buildRecall(ctx, c) });
    if (askable.length >= 4) out.push({ kind: 'choice', subject: c.id, make: () => buildChoice(ctx, c, askable) });
  }
  for (const set of classificationSets(kb)) {
    for (const m of classMembers(set)) {
      if (!about(m.conceptId, set.id)) continue;
      out.push({ kind: 'class', subject: m.conceptId, make: () => buildClass(ctx, set, m.conceptId) });
    }
  }
  return out;
}

export interface PickRequest {
  /** One kind, or any. */
  kind?: QuestionKind | undefined;
  topic?: Topic | undefined;
  count: number;
}

/**
 * `count` questions: a kind drawn first (so a mix is not all recall just because there are more
 * concepts than sequences), then something not asked yet in this batch.
 */
export function pickQuestions(ctx: BuildContext, req: PickRequest): Question[] {
  const all = candidates(ctx, req.topic).filter((c) => !req.kind || c.kind === req.kind);
  const kinds = [...new Set(all.map((c) => c.kind))];
  const used = new Set<string>();
  const out: Question[] = [];
  for (let guard = 0; out.length < req.count && guard < req.count * 5 && all.length; guard++) {
    const kind = pickOne(ctx.rng, kinds)!;
    const ofKind = all.filter((c) => c.kind === kind);
    const fresh = ofKind.filter((c) => !used.has(c.subject));
    const chosen = pickOne(ctx.rng, fresh.length ? fresh : ofKind);
    const q = chosen?.make();
    if (!chosen || !q) continue;
    used.add(chosen.subject);
    out.push(q);
  }
  return out;
}

const CATEGORY_WORDS: Record<string, string[]> = {
  'control-plane': ['컨트롤플레인', '마스터', 'controlplane', 'master'],
  'worker-node': ['워커노드', '워커', 'workernode', 'worker', 'node', '노드'],
  docker: ['도커'],
  kubectl: ['큐브컨트롤', '쿠베컨트롤'],
  'ci-cd': ['cicd', 'ci', 'cd', '젠킨스'],
  monitoring: ['모니터링', 'monitoring'],
  object: ['오브젝트', 'objects', '객체'],
  setup: ['설치', 'install'],
};

/**
 * A topic from what the user typed: a category (`worker`, `모니터링`) or a concept found with the
 * search normaliser; the concept's neighbours come along so a topic has enough questions.
 */
export function resolveTopic(kb: KnowledgeBase, index: SearchIndex, text: string): Topic | undefined {
  const key = compactKey(text);
  if (!key) return undefined;
  for (const [category, words] of Object.entries(CATEGORY_WORDS)) {
    if (key === compactKey(category) || words.includes(key)) {
      const ids = new Set(kb.concepts.filter((c) => c.category === category).map((c) => c.id));
      if (ids.size) return { label: { ko: category, en: category }, ids };
    }
  }
  const outcome = index.search(text, 3);
  const top = outcome.hits[0];
  if (outcome.verdict !== 'hit' || !top) return undefined;
  const c: Concept = top.concept;
  const ids = new Set<string>([c.id, ...c.related]);
  for (const other of kb.concepts) if (other.related.includes(c.id)) ids.add(other.id);
  const sequence = kb.sequences.find((s) => s.conceptId === c.id || s.id === c.id);
  if (sequence) ids.add(sequence.id);
  for (const set of kb.classifications) if (set.id === c.id) for (const cls of set.classes) for (const m of cls.members) ids.add(m);
  return { label: c.title, ids, sequence: sequence?.id };
}
