import type { Concept, KnowledgeBase } from '../knowledge/types.js';

/**
 * Which concept a channel gets next. Pure: the scheduler feeds it the channel's post history
 * and its players' misses, so the rules are tested without a store or a clock.
 */

/**
 * The teaching order: every concept after its prerequisites, otherwise in the order the notes
 * present them (chapter order). A prerequisite cycle, which the notes should not have, is broken
 * at the concept that comes first in the notes, so every concept still appears exactly once.
 */
export function curriculum(concepts: Concept[]): string[] {
  const index = new Map(concepts.map((c, i) => [c.id, i]));
  const waitingOn = new Map<string, Set<string>>();
  const unlocks = new Map<string, string[]>();
  for (const c of concepts) {
    const pre = new Set(c.prerequisites.filter((p) => p !== c.id && index.has(p)));
    waitingOn.set(c.id, pre);
    for (const p of pre) unlocks.set(p, [...(unlocks.get(p) ?? []), c.id]);
  }
  const order: string[] = [];
  const done = new Set<string>();
  // A handful of concepts (about a hundred): a linear scan per step is clearer than a heap.
  while (order.length < concepts.length) {
    let pick: Concept | undefined;
    for (const c of concepts) {
      if (done.has(c.id)) continue;
      if (waitingOn.get(c.id)!.size === 0) {
        pick = c;
        break;
      }
    }
    pick ??= concepts.find((c) => !done.has(c.id))!;
    done.add(pick.id);
    order.push(pick.id);
    for (const next of unlocks.get(pick.id) ?? []) waitingOn.get(next)!.delete(pick.id);
  }
  return order;
}

export interface PostedConcept {
  conceptId: string;
  at: number;
}

export interface MissedAnswer {
  conceptId: string;
  at: number;
}

export interface PickOptions {
  /** A missed concept comes back no sooner than this after its last post. */
  minGapMs: number;
  now: number;
}

export const DEFAULT_MIN_GAP_MS = 7 * 24 * 60 * 60 * 1000;

/** Where the channel stands: whether it has seen everything once, and what the current pass still lacks. */
export function passState(order: string[], posts: PostedConcept[]): { completedOnce: boolean; inPass: Set<string> } {
  const known = new Set(order);
  let inPass = new Set<string>();
  let completedOnce = false;
  for (const p of posts) {
    if (!known.has(p.conceptId)) continue;
    inPass.add(p.conceptId);
    if (inPass.size === known.size) {
      completedOnce = true;
      inPass = new Set();
    }
  }
  return { completedOnce, inPass };
}

/**
 * The next concept for a channel.
 * - First pass: the curriculum in order, each concept once (no repeat until all were posted).
 * - Afterwards: the concept the channel's players missed most since it was last posted (and not
 *   within `minGapMs` of that post); with no such miss, the next one the current pass lacks
 *   (skipping, while there are others, one posted within `minGapMs`).
 * Posts of concepts no longer in the notes are ignored; concepts added later join the pass.
 */
export function pickConcept(order: string[], posts: PostedConcept[], misses: MissedAnswer[], options: PickOptions): string | undefined {
  if (order.length === 0) return undefined;
  const { completedOnce, inPass } = passState(order, posts);
  if (!completedOnce) return order.find((id) => !inPass.has(id)) ?? order[0];
  const lastPosted = new Map<string, number>();
  for (const p of posts) lastPosted.set(p.conceptId, Math.max(p.at, lastPosted.get(p.conceptId) ?? 0));
  const recent = (id: string) => lastPosted.has(id) && options.now - lastPosted.get(id)! < options.minGapMs;
  // A missed concept brought back early may open the next pass too: skip it there while it is recent.
  const nextInPass = order.find((id) => !inPass.has(id) && !recent(id)) ?? order.find((id) => !inPass.has(id)) ?? order[0];
  const score = new Map<string, number>();
  for (const m of misses) {
    const last = lastPosted.get(m.conceptId) ?? 0;
    if (m.at > last) score.set(m.conceptId, (score.get(m.conceptId) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestScore = 0;
  for (const id of order) {
    const s = score.get(id) ?? 0;
    if (s <= bestScore || recent(id)) continue;
    best = id;
    bestScore = s;
  }
  return best ?? nextInPass;
}

/**
 * The concept a quiz item is about, from the quiz's item keys (`recall:<concept>`,
 * `choice:<concept>`, `class:<set>:<concept>`, `order:<sequence>`, `next:<sequence>:<n>`, …).
 */
export function conceptOfItem(itemKey: string, kb: KnowledgeBase): string | undefined {
  const [kind, a, b] = itemKey.split(':');
  if (!kind || !a) return undefined;
  if (kind === 'class') return b && kb.byId.has(b) ? b : undefined;
  if (kb.byId.has(a)) return a;
  return kb.sequences.find((s) => s.id === a)?.conceptId;
}
