import type { Concept, KnowledgeBase } from '../knowledge/types.js';
import { escapeMarkdown, type Lang } from '../lang.js';
import type { Reply, Suggestion } from '../reply.js';
import type { SearchHit, SearchOutcome } from '../search/engine.js';
import { cardOf, refOf } from './cardView.js';
import { titleLine } from '../lang.js';

export function cardReply(concept: Concept, kb: KnowledgeBase): Reply {
  const { view, markdown } = cardOf(concept, kb);
  return { kind: 'card', markdown, visibility: 'private', card: view };
}

function suggestionsOf(hits: SearchHit[]): Suggestion[] {
  return hits.slice(0, 3).map((h) => ({ ...refOf(h.concept), score: h.score }));
}

function listed(s: Suggestion[]): string {
  return s.map((x, i) => `${i + 1}. ${titleLine(x.title)}`).join('\n');
}

/** Concepts to offer when nothing matched: the foundations a learner starts from, when present. */
const STARTERS = ['kubernetes', 'pod', 'pod-creation', 'etcd', 'docker', 'deployment'];

export function lookupReply(outcome: SearchOutcome, kb: KnowledgeBase, lang: Lang | undefined): Reply {
  const q = escapeMarkdown(outcome.query);
  if (outcome.verdict === 'empty') {
    return {
      kind: 'miss',
      code: 'query.empty',
      visibility: 'private',
      markdown: [
        '찾을 개념을 적어 주세요. 예: `/k8s etcd`, `/k8s 파드가 뭐야?`',
        'Tell me which concept to look up, for example `/k8s etcd` or `/k8s what is a pod`.',
      ].join('\n'),
    };
  }
  if (outcome.verdict === 'hit') return cardReply(outcome.hits[0]!.concept, kb);
  if (outcome.verdict === 'didYouMean') {
    const suggestions = suggestionsOf(outcome.hits);
    const ko = `혹시 이 개념을 찾으셨나요? (“${q}”)`;
    const en = `Did you mean one of these? (“${q}”)`;
    return {
      kind: 'didYouMean',
      code: 'query.didYouMean',
      visibility: 'private',
      suggestions,
      markdown: [lang === 'en' ? en : ko, lang === 'en' ? ko : en, '', listed(suggestions)].join('\n'),
    };
  }
  const fallback = STARTERS.map((id) => kb.byId.get(id)).filter((c): c is Concept => Boolean(c));
  const pool = outcome.hits.length ? outcome.hits.map((h) => h.concept) : fallback.length ? fallback : kb.concepts.slice(0, 3);
  const suggestions = pool.slice(0, 3).map((c) => ({ ...refOf(c), score: outcome.hits.find((h) => h.concept === c)?.score ?? 1 }));
  const ko = `“${q}”에 맞는 개념을 찾지 못했어요. 다른 이름이나 설명으로 다시 물어보세요.${outcome.truncated ? ' (긴 질문은 앞부분만 찾아봤어요.)' : ''}`;
  const en = `I found no concept for “${q}”. Try another name or a short description.${outcome.truncated ? ' (Only the start of a long message was searched.)' : ''}`;
  return {
    kind: 'miss',
    code: 'query.miss',
    visibility: 'private',
    suggestions,
    markdown: [lang === 'en' ? en : ko, lang === 'en' ? ko : en, '', '이런 개념은 어때요? / Maybe one of these:', listed(suggestions)].join(
      '\n',
    ),
  };
}
