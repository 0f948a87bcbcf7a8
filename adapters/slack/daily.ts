import type { DailyView, ReplyAction } from '../../src/reply.js';
import { encode, quizOnId } from './actions.js';
import { actions, button, header, sections, type Block } from './blocks.js';
import { markdownToMrkdwn } from './mrkdwn.js';
import { titleLine } from '../../src/lang.js';

/**
 * The concept of the day's own parts (docs/daily.md); the card between them is rendered like any
 * card. The heading and the why line come from the notes, but they still pass through the same
 * builders (plain_text header, escaped mrkdwn) as everything else, so nothing in them can ping.
 */
export function dailyHeading(daily: DailyView | undefined): Block[] {
  return [header(`📅 오늘의 개념 · Concept of the day${daily?.day ? ` — ${daily.day}` : ''}`)];
}

export function whyBlocks(daily: DailyView | undefined): Block[] {
  const why = daily?.why;
  if (!why || !(why.ko.trim() || why.en.trim())) return [];
  const en = why.en.trim() && why.en !== why.ko ? `\n\n_${why.en.trim()}_` : '';
  return sections(markdownToMrkdwn(`💡 **왜 중요할까요? · Why it matters**\n\n${why.ko.trim()}${en}`));
}

/** The buttons a reply asks for (ReplyAction). Kinds this adapter does not know are left out, not guessed at. */
export function replyActionBlocks(list: ReplyAction[] | undefined): Block[] {
  const buttons = (list ?? [])
    .filter((a) => a.kind === 'quiz-on-concept')
    .map((a, i) => {
      const label = titleLine(a.label);
      return button(`🧩 ${label}`, quizOnId(i), encode({ c: a.conceptId, cmd: a.command }), 'primary');
    });
  return buttons.length ? actions('reply.actions', buttons) : [];
}
