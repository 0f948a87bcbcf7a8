import type { CardView, ConceptRef, Reply } from '../../src/reply.js';
import { sourceLine } from '../../src/lookup/cardView.js';
import { encodeAction } from './customId.js';
import { LIMITS, clip, embedSize, splitText, type ApiButton, type ApiEmbed, type ApiRow, type DiscordMessage } from './limits.js';
import { defuseMentions, toDiscordMarkdown } from './markdown.js';
import { titleLine } from '../../src/lang.js';

/** The concept card as an embed with its related concepts as buttons, and the small pieces every message uses. */

export const COLOR = { card: 0x326ce5, good: 0x2ecc71, bad: 0xe74c3c, quiz: 0xf1c40f, board: 0x9b59b6, notice: 0x95a5a6 };

/** Plain text from people or notes, safe inside an embed title or a button label. */
export function plain(text: string, max: number): string {
  return clip(defuseMentions(text.replace(/\s+/g, ' ').trim()), max);
}

export function conceptButtons(refs: ConceptRef[], style: 1 | 2, max: number): ApiButton[] {
  const out: ApiButton[] = [];
  for (const r of refs) {
    const custom_id = encodeAction({ type: 'card', concept: r.id });
    if (!custom_id || out.some((b) => b.custom_id === custom_id)) continue;
    out.push({ type: 2, style, label: plain(titleLine(r.title), LIMITS.buttonLabel), custom_id });
    if (out.length >= max) break;
  }
  return out;
}

/** Buttons in rows of five, at most `maxRows` rows. */
export function rowsOf(buttons: ApiButton[], maxRows: number = LIMITS.rows): ApiRow[] {
  const rows: ApiRow[] = [];
  for (let i = 0; i < buttons.length && rows.length < maxRows; i += LIMITS.buttonsPerRow) {
    rows.push({ type: 1, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return rows;
}

/** Fits text into an embed description, cutting at a paragraph when it must. */
export function fitDescription(text: string, max: number = LIMITS.embedDescription): string {
  if (text.length <= max) return text;
  const [first = ''] = splitText(text, max - 2);
  return `${first}\n…`;
}

/** `extra` fields go below the card's own (the daily post's why line) and count toward its size. */
export function cardEmbed(card: CardView, extra: NonNullable<ApiEmbed['fields']> = []): ApiEmbed {
  const parts: string[] = [`**${card.summary.ko}**`];
  if (card.summary.en !== card.summary.ko) parts.push(`_${card.summary.en}_`);
  if (card.steps?.length) {
    parts.push('', ...card.steps.map((s, i) => `${i + 1}. ${s.text.ko}${s.text.en !== s.text.ko ? ` — ${s.text.en}` : ''}`));
  }
  if (card.body) parts.push('', toDiscordMarkdown(card.body));
  const fields: ApiEmbed['fields'] = [];
  if (card.example) {
    const code = clip(card.example.code, LIMITS.fieldValue - card.example.lang.length - 10);
    fields.push({ name: '예시 / Example', value: `\`\`\`${card.example.lang}\n${code.replace(/```/g, "'''")}\n\`\`\`` });
  }
  if (card.aliases.length) fields.push({ name: '다른 이름 / Also called', value: plain(card.aliases.join(', '), LIMITS.fieldValue) });
  if (card.confusedWith.length)
    fields.push({
      name: '헷갈리기 쉬운 개념 / Often confused with',
      value: plain(card.confusedWith.map((r) => titleLine(r.title)).join(', '), LIMITS.fieldValue),
    });
  fields.push(...extra);
  const embed: ApiEmbed = {
    title: plain(titleLine(card.title), LIMITS.embedTitle),
    color: COLOR.card,
    description: '',
    fields,
    footer: { text: plain(`출처 / Source: ${sourceLine(card.source)}`, LIMITS.footer) },
  };
  if (card.source.url && /^https?:\/\//.test(card.source.url)) embed.url = card.source.url;
  const room = Math.min(LIMITS.embedDescription, LIMITS.embedTotal - embedSize(embed) - 10);
  embed.description = fitDescription(defuseMentions(parts.join('\n')), room);
  return embed;
}

export function cardMessage(reply: Reply, card: CardView, extra: NonNullable<ApiEmbed['fields']> = []): DiscordMessage {
  const related = conceptButtons(card.related, 1, 10);
  const confused = conceptButtons(
    card.confusedWith.filter((c) => !card.related.some((r) => r.id === c.id)),
    2,
    15 - related.length,
  );
  return {
    embeds: [cardEmbed(card, extra)],
    components: [...rowsOf(related, 2), ...rowsOf(confused, 3 - Math.min(2, Math.ceil(related.length / 5)))],
    ephemeral: reply.visibility === 'private',
  };
}
