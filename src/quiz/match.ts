import type { Concept } from '../knowledge/types.js';
import type { SearchIndex } from '../search/engine.js';

/** Endings a typed answer may carry (`etcd입니다`, `kubelet 같아요`) that the search normaliser leaves on. */
const ANSWER_ENDINGS = /\s*(?:입니다|이에요|예요|에요|일까요|인가요|인듯|인\s*것\s*같아요|같아요|아닐까요|이죠|죠|임)[.!?~]*$/u;
const ANSWER_OPENERS = /^(?:정답은?|답은?|answer\s*:?|it'?s|it\s+is|i\s+think\s+(?:it'?s\s+)?)\s*/iu;

export interface ConceptMatch {
  /** The concept the answer names, when it names one with confidence. */
  concept?: Concept | undefined;
  /** A typo close to the right name that is closer to nothing else. */
  typo: boolean;
}

/** Close typos must be this good and this far ahead of the runner-up to count. */
const TYPO_SCORE = 0.25;
const TYPO_MARGIN = 0.08;

/**
 * The concept an answer names, read with the same normaliser and layers as search (so `etcd`,
 * `ETCD`, `엣시디`, `etcd요` all name etcd). Exact and alias names count; a typo counts only when
 * it is clearly nearest to one concept. Descriptions (the text layer) never name a concept:
 * an answer must say the name.
 */
export function conceptNamedBy(index: SearchIndex, text: string): ConceptMatch {
  const cleaned = text.trim().replace(ANSWER_OPENERS, '').replace(ANSWER_ENDINGS, '').trim();
  if (!cleaned) return { typo: false };
  const outcome = index.search(cleaned, 3);
  const [top, second] = outcome.hits;
  if (!top) return { typo: false };
  if ((top.via === 'exact' || top.via === 'choseong') && top.score <= 0.3) {
    // Two concepts sharing a name: neither is named with confidence.
    if (second && second.score <= top.score && second.via === 'exact') return { typo: false };
    return { concept: top.concept, typo: false };
  }
  if ((top.via === 'fuzzy' || top.via === 'prefix') && top.score <= TYPO_SCORE && (!second || second.score - top.score >= TYPO_MARGIN)) {
    return { concept: top.concept, typo: true };
  }
  return { typo: false };
}
