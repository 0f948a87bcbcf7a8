import { deepFreeze } from '../../src/frozen.js';
import { LruPerOwner } from '../../src/lru.js';
import type { CardView, GradeView, QuizView, Reply, ScoreboardView } from '../../src/reply.js';
import { COLOR, cardMessage, conceptButtons, fitDescription, plain, rowsOf } from './card.js';
import { titleLine } from '../../src/lang.js';
import { encodeAction } from './customId.js';
import { actionRows, dailyMessage } from './daily.js';
import {
  LIMITS,
  clip,
  embedSize,
  limitProblems,
  splitText,
  type ApiButton,
  type ApiEmbed,
  type ApiRow,
  type DiscordMessage,
} from './limits.js';
import { defuseMentions, relativeTime, toDiscordMarkdown } from './markdown.js';
import { picksWanted } from '../../src/conversation/questions.js';

function suggestionMessage(reply: Reply): DiscordMessage[] {
  const messages = textMessages(reply);
  const buttons = conceptButtons(reply.suggestions ?? [], 1, 25);
  if (buttons.length) messages[messages.length - 1]!.components = rowsOf(buttons);
  return messages;
}

function itemLines(quiz: QuizView): string {
  if (quiz.items.length === 0) return '';
  return quiz.items.map((it) => `**${plain(it.label, 10)}** ${defuseMentions(it.text)}`).join('\n');
}

const HOW: Record<string, (team: boolean) => string> = {
  order: (team) =>
    team
      ? '버튼으로 순서를 고르거나 스레드에 라벨을 순서대로 적으세요.\nPick the order with the buttons, or type the labels in this thread.'
      : '단계를 순서대로 누르고 제출하세요.\nPress the steps in order, then submit.',
  swap: (team) =>
    team
      ? '버튼으로 바뀐 두 단계를 고르거나 스레드에 라벨 두 개를 적으세요.\nPick the two swapped steps, or type their labels in this thread.'
      : '바뀐 두 단계를 누르고 제출하세요.\nPress the two swapped steps, then submit.',
  recall: (team) =>
    team
      ? '스레드에 답을 적거나 버튼을 누르세요.\nType the answer in this thread, or press the button.'
      : '버튼을 눌러 답을 적으세요. / Press the button to type your answer.',
};
const HOW_BUTTONS = '버튼으로 답하세요. / Answer with a button.';

/** Kinds answered with a single label: one button per item. */
const ONE_LABEL = new Set(['choice', 'class', 'next', 'missing']);
/** The engine's own Markdown for the question (intro, prompt, items), how to answer, and a countdown every client keeps itself. */
function questionEmbed(reply: Reply, quiz: QuizView, team: boolean): ApiEmbed {
  const heading =
    quiz.number && quiz.total ? `문제 ${quiz.number}/${quiz.total} · Question ${quiz.number} of ${quiz.total}` : '문제 · Question';
  const body = reply.markdown.trim() ? toDiscordMarkdown(reply.markdown) : [toDiscordMarkdown(quiz.prompt), '', itemLines(quiz)].join('\n');
  const how = ONE_LABEL.has(quiz.kind) ? HOW_BUTTONS : (HOW[quiz.kind] ?? HOW.recall!)(team);
  const tail = [how, ...(quiz.deadline ? [`⏱ 마감 / Ends ${relativeTime(quiz.deadline)}`] : [])].join('\n');
  return {
    title: heading,
    description: `${fitDescription(body, LIMITS.embedDescription - tail.length - 4)}\n\n${tail}`,
    color: COLOR.quiz,
  };
}

function answerButtons(quiz: QuizView, key: string): ApiButton[] {
  const options = quiz.items.length ? quiz.items : (quiz.classes ?? []).map((c) => ({ label: c, text: '' }));
  const out: ApiButton[] = [];
  options.slice(0, LIMITS.rows * LIMITS.buttonsPerRow).forEach((o, index) => {
    const custom_id = encodeAction({ type: 'answer', key, index });
    if (custom_id)
      out.push({ type: 2, style: 1, label: plain(o.text ? `${o.label} · ${o.text}` : o.label, LIMITS.buttonLabel), custom_id });
  });
  return out;
}

/** The text a button press stands for, as if the player had typed it. */
export function answerText(quiz: QuizView, index: number): string | undefined {
  return quiz.items.length ? quiz.items[index]?.label : quiz.classes?.[index];
}

/** Ordering drills can be picked with buttons while the steps fit four rows (the fifth holds undo and submit). */
export const MAX_PICKER_STEPS = (LIMITS.rows - 1) * LIMITS.buttonsPerRow;

export function questionMessage(reply: Reply, live: LiveQuestion): DiscordMessage {
  const quiz = live.quiz;
  const team = Boolean(live.thread || quiz.roundId);
  const message: DiscordMessage = { embeds: [questionEmbed(reply, quiz, team)], ephemeral: reply.visibility === 'private' };
  const want = picksWanted(quiz);
  if (want !== undefined) {
    if (quiz.items.length <= MAX_PICKER_STEPS) {
      // A public question cannot show each player's picks, so it opens a private picker per player.
      message.components =
        reply.visibility !== 'private'
          ? rowsOf([
              button(
                encodeAction({ type: 'order', key: live.key, step: 'open' }),
                want === 2 ? '두 단계 고르기 · Pick two steps' : '순서 고르기 · Pick the order',
                1,
              ),
            ])
          : pickerRows(live, []);
    }
  } else if (ONE_LABEL.has(quiz.kind)) {
    message.components = rowsOf(answerButtons(quiz, live.key));
  } else {
    message.components = rowsOf([button(encodeAction({ type: 'recall', key: live.key }), '답 적기 · Answer', 1)]);
  }
  return message;
}

function button(custom_id: string | undefined, label: string, style: 1 | 2 | 3 | 4, disabled = false): ApiButton {
  return { type: 2, style, label, custom_id: custom_id ?? 'noop', ...(disabled ? { disabled } : {}) };
}

function pickerRows(live: LiveQuestion, picks: number[]): ApiRow[] {
  const steps = live.quiz.items.slice(0, MAX_PICKER_STEPS).map((it, index) => ({
    type: 2 as const,
    style: picks.includes(index) ? (3 as const) : (2 as const),
    label: plain(`${it.label} · ${it.text}`, LIMITS.buttonLabel),
    custom_id: encodeAction({ type: 'orderPick', key: live.key, index }) ?? `noop${index}`,
    ...(picks.includes(index) ? { disabled: true } : {}),
  }));
  const done = picks.length === (picksWanted(live.quiz) ?? live.quiz.items.length);
  const controls: ApiRow = {
    type: 1,
    components: [
      button(encodeAction({ type: 'order', key: live.key, step: 'undo' }), '되돌리기 · Undo', 2, picks.length === 0),
      button(encodeAction({ type: 'order', key: live.key, step: 'submit' }), '제출 · Submit', 3, !done),
    ],
  };
  return [...rowsOf(steps, LIMITS.rows - 1), controls];
}

/** A player's own picker: the order so far, the steps left, undo and submit. */
export function pickerMessage(live: LiveQuestion, picks: number[]): DiscordMessage {
  const labels = picks.map((i) => live.quiz.items[i]?.label ?? '?');
  const blanks = Array.from({ length: Math.max(0, (picksWanted(live.quiz) ?? live.quiz.items.length) - picks.length) }, () => '＿');
  const content = [
    `**${live.quiz.kind === 'swap' ? '바뀐 두 단계 · The swapped pair' : '순서 고르기 · Pick the order'}**${live.quiz.number ? ` (${live.quiz.number}/${live.quiz.total ?? '?'})` : ''}`,
    `지금까지 / So far: ${[...labels.map((l) => `**${plain(l, 10)}**`), ...blanks].join(' → ')}`,
  ].join('\n');
  return { content, components: pickerRows(live, picks), ephemeral: true };
}

/** The engine's scoreboard Markdown (what the question's answer was, who scored) under the board's title; long ones spill into more embeds. */
function scoreboardMessage(reply: Reply, board: ScoreboardView): DiscordMessage[] {
  const title = plain(`${board.final ? '🏁 ' : ''}${titleLine(board.title)}`, LIMITS.embedTitle);
  const text = reply.markdown.trim()
    ? toDiscordMarkdown(reply.markdown)
    : board.entries.map((e) => `${e.rank}. ${plain(e.name ?? e.user, 64)} — ${e.points}`).join('\n') || '…';
  const pieces = splitText(text, LIMITS.embedDescription);
  const messages: DiscordMessage[] = [];
  let embeds: ApiEmbed[] = [];
  let size = 0;
  for (const [i, description] of pieces.entries()) {
    const e: ApiEmbed = { ...(i === 0 ? { title } : {}), description, color: COLOR.board };
    if (embeds.length && size + embedSize(e) > LIMITS.embedTotal) {
      messages.push({ embeds, ephemeral: reply.visibility === 'private' });
      embeds = [];
      size = 0;
    }
    embeds.push(e);
    size += embedSize(e);
  }
  messages.push({ embeds, ephemeral: reply.visibility === 'private' });
  return messages;
}

function gradeMessage(reply: Reply, grade: GradeView): DiscordMessage[] {
  const [first, ...rest] = splitText(toDiscordMarkdown(reply.markdown), LIMITS.embedDescription);
  const embeds: ApiEmbed[] = [{ description: first ?? '', color: grade.correct ? COLOR.good : COLOR.bad }];
  for (const more of rest) {
    if (embeds.reduce((n, e) => n + embedSize(e), 0) + more.length > LIMITS.embedTotal) break;
    embeds.push({ description: more, color: grade.correct ? COLOR.good : COLOR.bad });
  }
  return [{ embeds, ephemeral: reply.visibility === 'private' }];
}

/** Any reply as plain content, split on paragraph boundaries into messages of 2000 characters. */
export function textMessages(reply: Reply): DiscordMessage[] {
  const text = toDiscordMarkdown(reply.markdown).trim() || '…';
  return splitText(text, LIMITS.content).map((content) => ({ content, ephemeral: reply.visibility === 'private' }));
}

/**
 * A question as shown: its buttons carry the core's question id (`key`), which the core checks on
 * every press (src/conversation), so a press after a restart still finds its question.
 */
export interface LiveQuestion {
  key: string;
  quiz: QuizView;
  thread?: string | undefined;
}

/**
 * A card asked for again is drawn once: its messages are kept with the core's (frozen, shared) view
 * and frozen too, so their callback body is made once as well (callback.ts). An edited note is a new
 * view. Keyed within a card by what else the reply carries (who sees it, its buttons).
 */
const drawnCards = new LruPerOwner<CardView, string, DiscordMessage[]>(8);

/** A reply as Discord messages, each within every limit. */
export function renderReply(reply: Reply, thread?: string): DiscordMessage[] {
  const card = reply.kind === 'card' && !reply.quiz && !reply.grade && !reply.image ? reply.card : undefined;
  if (!card) return renderUncached(reply, thread);
  const drawn = drawnCards.of(card);
  const key = `${reply.visibility}\u0000${reply.actions?.length ? JSON.stringify(reply.actions) : ''}`;
  const hit = drawn.get(key);
  if (hit) return hit;
  const made = deepFreeze(renderUncached(reply, thread));
  drawn.set(key, made);
  return made;
}

function renderUncached(reply: Reply, thread?: string): DiscordMessage[] {
  let messages: DiscordMessage[];
  if (reply.kind === 'daily' && reply.card) return [ensureWithinLimits(dailyMessage({ ...reply, card: reply.card }))];
  if (reply.quiz) messages = [questionMessage(reply, { key: reply.quiz.questionId, quiz: reply.quiz, thread: thread ?? reply.thread })];
  else if (reply.grade && reply.card) {
    // The verdict, then the card the question was about (its Markdown copy after the rule is dropped for the embed).
    const verdict = reply.markdown.split(/\n-{3,}\n/)[0] ?? reply.markdown;
    messages = [...gradeMessage({ ...reply, markdown: verdict }, reply.grade), cardMessage(reply, reply.card)];
  } else if (reply.grade) messages = gradeMessage(reply, reply.grade);
  else if (reply.card) messages = [cardMessage(reply, reply.card)];
  else if (reply.scoreboard) messages = scoreboardMessage(reply, reply.scoreboard);
  else if (reply.suggestions?.length) messages = suggestionMessage(reply);
  else messages = textMessages(reply);
  const actions = actionRows(reply.actions);
  const last = messages[messages.length - 1];
  if (last && actions.length && (last.components?.length ?? 0) < LIMITS.rows)
    last.components = [...actions, ...(last.components ?? [])].slice(0, LIMITS.rows);
  const out = messages.map(ensureWithinLimits);
  // A picture rides on the last message; Discord keeps alt text (description) up to 1,024 characters.
  const tail = out[out.length - 1];
  if (tail && reply.image)
    tail.files = [{ name: reply.image.name, data: Buffer.from(reply.image.data), description: reply.image.alt.slice(0, 1024) }];
  return out;
}

/** The last guard: a message that still breaks a limit falls back to plain split text rather than a 400. */
function ensureWithinLimits(m: DiscordMessage): DiscordMessage {
  const problems = limitProblems(m);
  if (problems.length === 0) return m;
  const text = [m.content ?? '', ...(m.embeds ?? []).map((e) => [e.title, e.description].filter(Boolean).join('\n'))].join('\n\n').trim();
  const fallback: DiscordMessage = { content: clip(text || '…', LIMITS.content), ephemeral: m.ephemeral };
  // The buttons stay when they were not the problem (a daily post keeps its quiz button).
  if (m.components?.length && limitProblems({ ...fallback, components: m.components }).length === 0) fallback.components = m.components;
  return fallback;
}
