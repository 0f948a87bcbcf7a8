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
import { pickOne, shuffle } from './rng.js';
import type { Topic } from './topic.js';

export { resolveTopic, type Topic } from './topic.js';

/** One question that could be asked: its kind, what it is about, and how to make it. */
interface Candidate {
  kind: QuestionKind;
  /** Sequence or concept id: a round avoids asking about the same thing twice. */
  subject: string;
  /** The concepts whose own question this is: the recalled or chosen concept, the drilled sequence and its card, the classification's card. */
  exactly: string[];
  make(): Question | undefined;
}

function candidates(ctx: BuildContext, topic: Topic | undefined): Candidate[] {
  const { kb } = ctx;
  const about = (...ids: string[]) => !topic || ids.some((id) => topic.ids.has(id));
  const out: Candidate[] = [];
  for (const seq of kb.sequences) {
    if (topic?.sequence ? topic.sequence !== seq.id : !about(seq.id, seq.conceptId)) continue;
    const n = seq.steps.length;
    if (n >= 2) out.push({ kind: 'order', subject: seq.id, exactly: [seq.id, seq.conceptId], make: () => buildOrder(ctx, seq) });
    if (n >= 3) {
      out.push({ kind: 'next', subject: seq.id, exactly: [seq.id, seq.conceptId], make: () => buildNext(ctx, seq) });
      out.push({ kind: 'swap', subject: seq.id, exactly: [seq.id, seq.conceptId], make: () => buildSwap(ctx, seq) });
      if (kb.sequences.some((s) => s.id !== seq.id && s.steps.length))
        out.push({ kind: 'missing', subject: seq.id, exactly: [seq.id, seq.conceptId], make: () => buildMissing(ctx, seq) });
    }
  }
  const askable = askableConcepts(kb);
  for (const c of askable) {
    if (!about(c.id)) continue;
    out.push({ kind: 'recall', subject: c.id, exactly: [c.id], make: () => buildRecall(ctx, c) });
    if (askable.length >= 4) out.push({ kind: 'choice', subject: c.id, exactly: [c.id], make: () => buildChoice(ctx, c, askable) });
  }
  for (const set of classificationSets(kb)) {
    for (const m of classMembers(set)) {
      if (!about(m.conceptId, set.id)) continue;
      out.push({ kind: 'class', subject: m.conceptId, exactly: [set.id], make: () => buildClass(ctx, set, m.conceptId) });
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
 * The questions that are about `concept` itself. Which side a concept belongs to is about it too,
 * but only when classification was asked for: unasked, a concept is recalled or chosen.
 */
function exactlyAbout(all: Candidate[], concept: string, kind: QuestionKind | undefined): Candidate[] {
  return all.filter((c) => c.exactly.includes(concept) || (kind === 'class' && c.kind === 'class' && c.subject === concept));
}

/** One question from `cands`, a kind drawn first as in pickQuestions; undefined when none can be made. */
function firstOf(ctx: BuildContext, cands: Candidate[]): { question: Question; subject: string } | undefined {
  for (const kind of shuffle(ctx.rng, [...new Set(cands.map((c) => c.kind))])) {
    for (const c of shuffle(
      ctx.rng,
      cands.filter((x) => x.kind === kind),
    )) {
      const question = c.make();
      if (question) return { question, subject: c.subject };
    }
  }
  return undefined;
}

/**
 * `count` questions: a kind drawn first (so a mix is not all recall just because there are more
 * concepts than sequences), then something not asked yet in this batch. A topic that names one
 * concept exactly opens with a question about that concept (a daily post's "quiz me" button);
 * when none of the asked kind exists, the topic's neighbourhood serves as for any topic.
 */
export function pickQuestions(ctx: BuildContext, req: PickRequest): Question[] {
  const all = candidates(ctx, req.topic).filter((c) => !req.kind || c.kind === req.kind);
  const kinds = [...new Set(all.map((c) => c.kind))];
  const used = new Set<string>();
  const out: Question[] = [];
  const focus = req.topic?.concept;
  const opening = focus && req.count > 0 ? firstOf(ctx, exactlyAbout(all, focus, req.kind)) : undefined;
  if (opening) {
    used.add(opening.subject);
    out.push(opening.question);
  }
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
