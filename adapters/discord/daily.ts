import type { CardView, DailyView, Reply, ReplyAction } from '../../src/reply.js';
import { cardMessage, plain, rowsOf } from './card.js';
import { titleLine } from '../../src/lang.js';
import { encodeAction } from './customId.js';
import { LIMITS, clip, type ApiButton, type ApiRow, type DiscordMessage } from './limits.js';
import { defuseMentions } from './markdown.js';

/**
 * A reply's actions as buttons. Each runs its command for whoever presses it and answers them
 * alone (interactions.ts); the command rides in the custom id, so the button works after a restart.
 * An action whose command would not fit a custom id is left out rather than cut.
 */
export function actionRows(actions: ReplyAction[] | undefined): ApiRow[] {
  const buttons: ApiButton[] = [];
  for (const a of actions ?? []) {
    const custom_id = encodeAction({ type: 'command', command: a.command });
    if (!custom_id || buttons.some((b) => b.custom_id === custom_id)) continue;
    buttons.push({ type: 2, style: 3, label: plain(`🧩 ${titleLine(a.label)}`, LIMITS.buttonLabel), custom_id });
  }
  return rowsOf(buttons, 1);
}

/** The heading the post opens with: what it is and the channel's local day. */
export function dailyHeading(daily: DailyView | undefined): string {
  const day = daily?.day ? ` — ${plain(daily.day, 20)}` : '';
  return `📅 **오늘의 개념 · Concept of the day**${day}`;
}

/**
 * The concept of the day (docs/daily.md): the heading with the day as the message text, the card
 * embed with "why it matters" as its last field, the quiz button above the card's related concepts.
 */
export function dailyMessage(reply: Reply & { card: CardView }): DiscordMessage {
  const actions = actionRows(reply.actions);
  const why = reply.daily?.why;
  const whyText = why ? (why.ko === why.en ? why.ko : `${why.ko}\n_${why.en}_`) : '';
  const extra = whyText.trim()
    ? [{ name: '💡 왜 중요할까요? · Why it matters', value: clip(defuseMentions(whyText.trim()), LIMITS.fieldValue) }]
    : [];
  const card = cardMessage(reply, reply.card, extra);
  return { ...card, content: dailyHeading(reply.daily), components: [...actions, ...(card.components ?? [])].slice(0, LIMITS.rows) };
}
