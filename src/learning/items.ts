import type { KnowledgeBase } from '../knowledge/types.js';
import type { ItemKind } from '../store/learning.js';

/**
 * What FSRS schedules: a concept (recall and choice questions), a sequence (the four drills), or a
 * classification set. Several quiz item keys map to one learning item: `next:pod-creation:2` and
 * `order:pod-creation` both exercise the sequence `pod-creation`.
 */
export interface LearningItem {
  kind: ItemKind;
  id: string;
  /** `concept:etcd`, `sequence:pod-creation`, `set:control-plane-vs-worker`. */
  key: string;
}

const SEQUENCE_KINDS = new Set(['order', 'next', 'swap', 'missing']);

export function itemOf(itemKey: string): LearningItem | undefined {
  const [kind, a, b] = itemKey.split(':');
  if (!kind || !a) return undefined;
  if (kind === 'recall' || kind === 'choice') return { kind: 'concept', id: a, key: `concept:${a}` };
  if (SEQUENCE_KINDS.has(kind)) return { kind: 'sequence', id: a, key: `sequence:${a}` };
  if (kind === 'class' && b) return { kind: 'set', id: a, key: `set:${a}` };
  return undefined;
}

export function parseItem(key: string): LearningItem | undefined {
  const at = key.indexOf(':');
  const kind = key.slice(0, at);
  const id = key.slice(at + 1);
  if (at <= 0 || !id || (kind !== 'concept' && kind !== 'sequence' && kind !== 'set')) return undefined;
  return { kind, id, key };
}

/** The concept an item teaches: the concept itself, or the one a sequence belongs to. Sets have none. */
export function conceptOf(item: LearningItem, kb: KnowledgeBase): string | undefined {
  if (item.kind === 'concept') return kb.byId.has(item.id) ? item.id : undefined;
  if (item.kind === 'sequence') return kb.sequences.find((s) => s.id === item.id)?.conceptId;
  return undefined;
}
