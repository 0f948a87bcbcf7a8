import type { Bilingual, ClassificationSet, Concept, KnowledgeBase, Sequence } from '../knowledge/types.js';
import { compactKey } from '../search/normalize.js';
import type {
  ChoiceQuestion,
  ClassQuestion,
  MissingQuestion,
  NextQuestion,
  OrderQuestion,
  Question,
  RecallQuestion,
  Step,
  SwapQuestion,
} from './question.js';
import { sample, shuffle, shuffledOrder, type Rng } from './rng.js';

/** What question builders need: the notes, the seeded generator, and fresh ids. */
export interface BuildContext {
  kb: KnowledgeBase;
  rng: Rng;
  newId(): string;
}

const stepsOf = (seq: Sequence): Step[] => seq.steps.map((s) => ({ text: s.text, ...(s.reason ? { reason: s.reason } : {}) }));

export function buildOrder(ctx: BuildContext, seq: Sequence): OrderQuestion {
  return {
    kind: 'order',
    id: ctx.newId(),
    itemKey: `order:${seq.id}`,
    conceptId: seq.conceptId,
    title: seq.title,
    steps: stepsOf(seq),
    shown: shuffledOrder(ctx.rng, seq.steps.length),
  };
}

export function buildNext(ctx: BuildContext, seq: Sequence, after = ctx.rng.int(seq.steps.length - 1)): NextQuestion {
  const n = seq.steps.length;
  const right = after + 1;
  const others = sample(
    ctx.rng,
    [...Array(n).keys()].filter((i) => i !== after && i !== right),
    3,
  );
  const options = shuffle(ctx.rng, [right, ...others]);
  return {
    kind: 'next',
    id: ctx.newId(),
    itemKey: `next:${seq.id}:${after}`,
    conceptId: seq.conceptId,
    title: seq.title,
    steps: stepsOf(seq),
    after,
    options,
    answer: options.indexOf(right),
  };
}

export function buildSwap(ctx: BuildContext, seq: Sequence): SwapQuestion {
  const n = seq.steps.length;
  const i = ctx.rng.int(n);
  let j = ctx.rng.int(n - 1);
  if (j >= i) j += 1;
  const [a, b] = i < j ? [i, j] : [j, i];
  const shown = [...Array(n).keys()];
  shown[a] = b;
  shown[b] = a;
  return {
    kind: 'swap',
    id: ctx.newId(),
    itemKey: `swap:${seq.id}`,
    conceptId: seq.conceptId,
    title: seq.title,
    steps: stepsOf(seq),
    shown,
    pair: [a, b],
  };
}

export function buildMissing(ctx: BuildContext, seq: Sequence, missing = ctx.rng.int(seq.steps.length)): MissingQuestion | undefined {
  const foreign = ctx.kb.sequences.filter((s) => s.id !== seq.id).flatMap((s) => s.steps.map((st) => st.text));
  const own = new Set(seq.steps.map((s) => compactKey(s.text.ko)));
  const distractors = sample(
    ctx.rng,
    foreign.filter((t) => !own.has(compactKey(t.ko))),
    3,
  );
  if (distractors.length < 1) return undefined;
  const right = seq.steps[missing]!.text;
  const options = shuffle(ctx.rng, [right, ...distractors]);
  return {
    kind: 'missing',
    id: ctx.newId(),
    itemKey: `missing:${seq.id}:${missing}`,
    conceptId: seq.conceptId,
    title: seq.title,
    steps: stepsOf(seq),
    missing,
    options,
    answer: options.indexOf(right),
  };
}

/** Every way a concept is named, longest first, for hiding the answer inside its own summary. */
export function namesOf(c: Concept): string[] {
  const names = new Set<string>();
  for (const n of [c.title.ko, c.title.en, c.id, ...c.aliases]) {
    names.add(n);
    // `kubelet (큐블릿)`: each part on its own too.
    for (const part of n.split(/[()（）·/]/)) if (part.trim().length >= 2) names.add(part.trim());
  }
  return [...names].filter((n) => n.trim().length >= 2).sort((a, b) => b.length - a.length);
}

export function maskNames(text: string, c: Concept): string {
  let out = text;
  for (const name of namesOf(c)) {
    const re = new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
    out = out.replace(re, '＿＿＿');
  }
  return out;
}

export function clueOf(c: Concept): Bilingual {
  return { ko: maskNames(c.summary.ko, c), en: maskNames(c.summary.en, c) };
}

/** Concepts a recall or choice question can be about: real cards, not the cards of sequences and classifications. */
export function askableConcepts(kb: KnowledgeBase): Concept[] {
  const sequenceCards = new Set(kb.sequences.map((s) => s.conceptId));
  const setCards = new Set(kb.classifications.map((s) => s.id));
  return kb.concepts.filter(
    (c) =>
      !sequenceCards.has(c.id) &&
      !setCards.has(c.id) &&
      c.category !== 'sequence' &&
      c.category !== 'classification' &&
      c.summary.ko.trim() !== '' &&
      c.summary.en.trim() !== '',
  );
}

export function buildRecall(ctx: BuildContext, c: Concept): RecallQuestion {
  const related = c.related.map((id) => ctx.kb.byId.get(id)?.title).filter((t): t is Bilingual => Boolean(t));
  return {
    kind: 'recall',
    id: ctx.newId(),
    itemKey: `recall:${c.id}`,
    conceptId: c.id,
    title: c.title,
    clue: clueOf(c),
    category: c.category,
    related,
  };
}

/** Four options: the concept and three distractors, first those it is often confused with, then its category, then its neighbours. */
export function buildChoice(ctx: BuildContext, c: Concept, pool: Concept[] = askableConcepts(ctx.kb)): ChoiceQuestion | undefined {
  const taken = new Set([c.id]);
  const titles = new Set([compactKey(c.title.ko), compactKey(c.title.en)]);
  const picked: Concept[] = [];
  const offer = (cands: Concept[]) => {
    for (const d of shuffle(ctx.rng, cands)) {
      if (picked.length >= 3) return;
      if (taken.has(d.id) || titles.has(compactKey(d.title.ko)) || titles.has(compactKey(d.title.en))) continue;
      taken.add(d.id);
      titles.add(compactKey(d.title.ko));
      titles.add(compactKey(d.title.en));
      picked.push(d);
    }
  };
  const byIds = (ids: string[]) => ids.map((id) => ctx.kb.byId.get(id)).filter((d): d is Concept => Boolean(d) && pool.includes(d!));
  offer(byIds(c.confusedWith));
  offer(pool.filter((d) => d.category === c.category));
  offer(byIds(c.related));
  offer(pool);
  if (picked.length < 3) return undefined;
  const options = shuffle(ctx.rng, [c, ...picked]).map((o) => ({ id: o.id, title: o.title }));
  return {
    kind: 'choice',
    id: ctx.newId(),
    itemKey: `choice:${c.id}`,
    conceptId: c.id,
    title: c.title,
    clue: clueOf(c),
    options,
    answer: options.findIndex((o) => o.id === c.id),
  };
}

const CATEGORY_NAMES: Record<string, Bilingual> = {
  'control-plane': { ko: '컨트롤 플레인', en: 'Control plane' },
  'worker-node': { ko: '워커 노드', en: 'Worker node' },
  docker: { ko: '도커', en: 'Docker' },
  kubectl: { ko: 'kubectl 명령', en: 'kubectl command' },
  'ci-cd': { ko: 'CI/CD', en: 'CI/CD' },
  monitoring: { ko: '모니터링', en: 'Monitoring' },
};

const CATEGORY_PAIRS: [string, string][] = [
  ['control-plane', 'worker-node'],
  ['docker', 'kubectl'],
  ['ci-cd', 'monitoring'],
];

/** The notes' classification sets; when they have none, sets made from category pairs (control plane vs worker node…). */
export function classificationSets(kb: KnowledgeBase): ClassificationSet[] {
  const real = kb.classifications.filter((s) => s.classes.length >= 2 && s.classes.filter((c) => c.members.length > 0).length >= 2);
  if (real.length) return real;
  const out: ClassificationSet[] = [];
  for (const [a, b] of CATEGORY_PAIRS) {
    const ma = kb.concepts.filter((c) => c.category === a).map((c) => c.id);
    const mb = kb.concepts.filter((c) => c.category === b).map((c) => c.id);
    if (!ma.length || !mb.length) continue;
    const la = CATEGORY_NAMES[a]!;
    const lb = CATEGORY_NAMES[b]!;
    out.push({
      id: `category-${a}-vs-${b}`,
      title: { ko: `${la.ko}와 ${lb.ko}`, en: `${la.en} vs ${lb.en}` },
      classes: [
        { label: la, members: ma },
        { label: lb, members: mb },
      ],
      source: { file: 'categories', heading: `${a} / ${b}` },
    });
  }
  return out;
}

/** Members that belong to exactly one class of the set (a member in two classes has no single right answer). */
export function classMembers(set: ClassificationSet): { conceptId: string; answer: number }[] {
  const count = new Map<string, number>();
  for (const cls of set.classes) for (const m of new Set(cls.members)) count.set(m, (count.get(m) ?? 0) + 1);
  return set.classes.flatMap((cls, answer) =>
    [...new Set(cls.members)].filter((m) => count.get(m) === 1).map((conceptId) => ({ conceptId, answer })),
  );
}

export function buildClass(ctx: BuildContext, set: ClassificationSet, conceptId: string): ClassQuestion | undefined {
  const member = classMembers(set).find((m) => m.conceptId === conceptId);
  const c = ctx.kb.byId.get(conceptId);
  if (!member || !c) return undefined;
  const related = c.related.map((id) => ctx.kb.byId.get(id)?.title).filter((t): t is Bilingual => Boolean(t));
  return {
    kind: 'class',
    id: ctx.newId(),
    itemKey: `class:${set.id}:${conceptId}`,
    conceptId,
    title: c.title,
    setTitle: set.title,
    classes: set.classes.map((cls) => cls.label),
    answer: member.answer,
    summary: c.summary,
    related,
  };
}

/** A question again from its item key (the review queue); undefined when the notes no longer have it. */
export function fromItemKey(ctx: BuildContext, key: string): Question | undefined {
  const [kind, a = '', b] = key.split(':');
  const seq = ctx.kb.sequences.find((s) => s.id === a);
  const concept = ctx.kb.byId.get(a);
  switch (kind) {
    case 'order':
      return seq && seq.steps.length >= 2 ? buildOrder(ctx, seq) : undefined;
    case 'next': {
      const after = Number(b);
      return seq && Number.isInteger(after) && after >= 0 && after < seq.steps.length - 1 ? buildNext(ctx, seq, after) : undefined;
    }
    case 'swap':
      return seq && seq.steps.length >= 3 ? buildSwap(ctx, seq) : undefined;
    case 'missing': {
      const at = Number(b);
      return seq && Number.isInteger(at) && at >= 0 && at < seq.steps.length ? buildMissing(ctx, seq, at) : undefined;
    }
    case 'recall':
      return concept ? buildRecall(ctx, concept) : undefined;
    case 'choice':
      return concept ? buildChoice(ctx, concept) : undefined;
    case 'class': {
      const set = classificationSets(ctx.kb).find((s) => s.id === a);
      return set && b ? buildClass(ctx, set, b) : undefined;
    }
    default:
      return undefined;
  }
}
