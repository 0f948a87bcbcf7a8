import type { Bilingual, Concept, KnowledgeBase } from '../knowledge/types.js';
import type { SearchIndex } from '../search/engine.js';
import { compactKey } from '../search/normalize.js';
import { namesOf } from './build.js';

/** What a question may be about: concepts by id (a topic), or everything. */
export interface Topic {
  label: Bilingual;
  ids: Set<string>;
  /** The topic names one sequence (`파드 생성 과정`): drills come from it alone. */
  sequence?: string | undefined;
  /**
   * The topic named one concept exactly (its id, as the daily post's quiz button sends, or its
   * full name): a solo question, and a round's first, is about that concept itself, never a
   * neighbour. `ids` still holds the neighbours for the rest of a round.
   */
  concept?: string | undefined;
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

/** The one concept whose names (as `names` lists them) match `key` exactly; none when two do. */
function uniqueMatch(kb: KnowledgeBase, key: string, names: (c: Concept) => string[]): Concept | undefined {
  const found = kb.concepts.filter((c) => names(c).some((n) => compactKey(n) === key));
  return found.length === 1 ? found[0] : undefined;
}

/**
 * The concept the text names exactly, strongest evidence first: its id (what `/quiz <id>` from a
 * daily post sends), its full Korean or English title. Aliases and title parts count only when no
 * category claims the word, so `worker` and `control plane` stay broad topics.
 */
function exactConcept(kb: KnowledgeBase, text: string, key: string, category: string | undefined): Concept | undefined {
  const byId = kb.byId.get(text.trim().toLowerCase()) ?? uniqueMatch(kb, key, (c) => [c.id]);
  if (byId) return byId;
  const byTitle = uniqueMatch(kb, key, (c) => [c.title.ko, c.title.en]);
  if (byTitle || category) return byTitle;
  return uniqueMatch(kb, key, (c) => [...c.aliases, ...namesOf(c)]);
}

function categoryOf(key: string): string | undefined {
  for (const [category, words] of Object.entries(CATEGORY_WORDS)) {
    if (key === compactKey(category) || words.includes(key)) return category;
  }
  return undefined;
}

/** A concept and its neighbours (related both ways, its sequence, the members of its classification). */
function around(kb: KnowledgeBase, c: Concept): { ids: Set<string>; sequence: string | undefined } {
  const ids = new Set<string>([c.id, ...c.related]);
  for (const other of kb.concepts) if (other.related.includes(c.id)) ids.add(other.id);
  const sequence = kb.sequences.find((s) => s.conceptId === c.id || s.id === c.id);
  if (sequence) ids.add(sequence.id);
  for (const set of kb.classifications) if (set.id === c.id) for (const cls of set.classes) for (const m of cls.members) ids.add(m);
  return { ids, sequence: sequence?.id };
}

/**
 * A topic from what the user typed. A concept named exactly (`iac`, `docker`, `워커 노드`) is the
 * topic's own concept, with its neighbours (and, when the word is also a category, the category)
 * for the rest of a round; a category (`worker`, `모니터링`) is its members; otherwise the search's
 * best hit and its neighbours.
 */
export function resolveTopic(kb: KnowledgeBase, index: SearchIndex, text: string): Topic | undefined {
  const key = compactKey(text);
  if (!key) return undefined;
  const category = categoryOf(key);
  const members = category ? kb.concepts.filter((c) => c.category === category).map((c) => c.id) : [];
  const exact = exactConcept(kb, text, key, members.length ? category : undefined);
  if (exact) {
    const { ids, sequence } = around(kb, exact);
    for (const id of members) ids.add(id);
    return { label: exact.title, ids, sequence, concept: exact.id };
  }
  if (members.length) return { label: { ko: category!, en: category! }, ids: new Set(members) };
  const outcome = index.search(text, 3);
  const top = outcome.hits[0];
  if (outcome.verdict !== 'hit' || !top) return undefined;
  const { ids, sequence } = around(kb, top.concept);
  return { label: top.concept.title, ids, sequence };
}
