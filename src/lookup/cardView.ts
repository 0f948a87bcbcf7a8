import type { Concept, KnowledgeBase } from '../knowledge/types.js';
import type { CardView, ConceptRef } from '../reply.js';
import { titleLine } from '../lang.js';
import { deepFreeze } from '../frozen.js';
import { LruPerOwner } from '../lru.js';

export function refOf(c: Concept): ConceptRef {
  return { id: c.id, title: c.title };
}

/** Cards kept per notes version: a card is asked for again and again, and every adapter renders from the same frozen view. */
const CARDS_KEPT = 1_000;
const cards = new LruPerOwner<KnowledgeBase, string, { concept: Concept; view: CardView; markdown: string }>(CARDS_KEPT);

/**
 * The concept's card and its Markdown, made once per notes version and shared (frozen): adapters may
 * keep what they render from a view by its identity, and a reload (a new KnowledgeBase) starts afresh.
 */
export function cardOf(concept: Concept, kb: KnowledgeBase): { readonly view: CardView; readonly markdown: string } {
  const kept = cards.of(kb);
  const hit = kept.get(concept.id);
  if (hit?.concept === concept) return hit;
  const view = deepFreeze(toCardView(concept, kb));
  const made = { concept, view, markdown: cardMarkdown(view) };
  kept.set(concept.id, made);
  return made;
}

/** A concept as the neutral card every adapter renders: links resolved to titles, steps attached. */
export function toCardView(concept: Concept, kb: KnowledgeBase): CardView {
  const refs = (ids: string[]) =>
    ids
      .map((id) => kb.byId.get(id))
      .filter((c): c is Concept => Boolean(c))
      .map(refOf);
  const sequence = kb.sequences.find((s) => s.conceptId === concept.id);
  return {
    id: concept.id,
    title: concept.title,
    category: concept.category,
    summary: concept.summary,
    body: concept.body,
    ...(concept.example ? { example: concept.example } : {}),
    related: refs(concept.related),
    confusedWith: refs(concept.confusedWith),
    aliases: concept.aliases,
    source: {
      file: concept.source.file,
      heading: concept.source.heading,
      ...(concept.source.line ? { line: concept.source.line } : {}),
      ...(concept.source.url ? { url: concept.source.url } : {}),
    },
    ...(sequence ? { steps: sequence.steps.map((s) => ({ text: s.text, ...(s.reason ? { reason: s.reason } : {}) })) } : {}),
  };
}

/** The card as Markdown: Korean first, English beside, source last. */
export function cardMarkdown(card: CardView): string {
  const out: string[] = [`## ${titleLine(card.title)}`, '', `**${card.summary.ko}**`];
  if (card.summary.en !== card.summary.ko) out.push(`_${card.summary.en}_`);
  if (card.steps?.length) {
    out.push('');
    card.steps.forEach((s, i) => {
      out.push(`${i + 1}. ${s.text.ko}${s.text.en !== s.text.ko ? ` — ${s.text.en}` : ''}`);
      if (s.reason) out.push(`   - _${s.reason.ko}${s.reason.en !== s.reason.ko ? ` / ${s.reason.en}` : ''}_`);
    });
  }
  if (card.body) out.push('', card.body);
  if (card.example) out.push('', '**예시 / Example**', '', '```' + card.example.lang, card.example.code, '```');
  if (card.related.length) out.push('', `**관련 개념 / Related:** ${card.related.map((r) => titleLine(r.title)).join(', ')}`);
  if (card.confusedWith.length)
    out.push(`**헷갈리기 쉬운 개념 / Often confused with:** ${card.confusedWith.map((r) => titleLine(r.title)).join(', ')}`);
  out.push('', `_출처 / Source: ${sourceLine(card.source)}_`);
  return out.join('\n');
}

export function sourceLine(source: CardView['source']): string {
  const where = `${source.file}${source.line ? `:${source.line}` : ''} › ${source.heading}`;
  return source.url && source.url !== source.file ? `${where} (${source.url})` : where;
}
