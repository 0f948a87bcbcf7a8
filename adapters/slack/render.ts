import { sourceLine } from '../../src/lookup/cardView.js';
import type { CardView, ConceptRef, QuizView, Reply, ScoreboardView } from '../../src/reply.js';
import { answerId, encode, openId, pickId, ACTION } from './actions.js';
import { actions, button, context, divider, header, sections, toMessages, truncate, type Block, type SlackMessage } from './blocks.js';
import { dailyHeading, replyActionBlocks, whyBlocks } from './daily.js';
import { escapeMrkdwn, inertMrkdwn, safeUrl } from './escape.js';
import { Lru, LruPerOwner } from '../../src/lru.js';
import { deepFreeze } from '../../src/frozen.js';
import { markdownToMrkdwn, markdownToPlain } from './mrkdwn.js';
import { picksWanted } from '../../src/conversation/questions.js';
import { titleLine } from '../../src/lang.js';

export interface RenderOptions {
  /** Add the "share to channel" button (a private card). */
  share?: boolean;
  /** Labels picked so far in an ordering drill. */
  picked?: string[];
  /** Who shared a card publicly (their display name, shown as text, never as a mention). */
  sharedBy?: string;
}

/**
 * Cards, help and misses are the same every time they are asked for, so their Block Kit is made once.
 * Cached messages are frozen: every later answer shares them, and their JSON is made once too
 * (responseUrl.ts). A card's messages are kept with the card itself: the core shares one frozen view per
 * notes version, so an edited note (a new view) is drawn afresh. Quizzes, scoreboards and daily posts
 * carry state and are made fresh.
 */
const cache = new Lru<string, SlackMessage[]>(1_000);
/** Ways one card is drawn (private, shared by someone, a grade's link): a few per card. */
const byCard = new LruPerOwner<CardView, string, SlackMessage[]>(8);

/** A reply from the core as Slack messages (usually one; long answers take more). */
export function renderReply(reply: Reply, opts: RenderOptions = {}): SlackMessage[] {
  const key = cacheKey(reply, opts);
  if (key === undefined) return renderUncached(reply, opts);
  const kept = reply.card ? byCard.of(reply.card) : cache;
  const hit = kept.get(key);
  if (hit) return hit;
  const made = deepFreeze(renderUncached(reply, opts));
  kept.set(key, made);
  return made;
}

/** Everything renderUncached reads for a reply without state, or undefined when the reply has state. */
function cacheKey(reply: Reply, opts: RenderOptions): string | undefined {
  if (reply.quiz || reply.scoreboard || reply.daily || reply.kind === 'daily' || opts.picked?.length) return undefined;
  const suggestions = reply.suggestions?.map((s) => `${s.id}\u0001${s.title.ko}\u0001${s.title.en}`).join('\u0002') ?? '';
  const actions = reply.actions?.length ? JSON.stringify(reply.actions) : '';
  // A card alone is drawn from its view, not from the core's markdown (see renderUncached).
  const markdown = reply.kind === 'card' && reply.card ? '' : reply.markdown;
  return `${reply.kind}\u0000${opts.share ? 1 : 0}\u0000${opts.sharedBy ?? ''}\u0000${suggestions}\u0000${actions}\u0000${markdown}`;
}

function renderUncached(reply: Reply, opts: RenderOptions): SlackMessage[] {
  const markdown = slackCommands(reply.markdown);
  if (reply.kind === 'daily' && reply.card) {
    // Heading with the day, the card as everywhere else (no share button: it is in the channel already), why, quiz button.
    const blocks = [
      ...dailyHeading(reply.daily),
      ...cardBlocks(reply.card),
      ...whyBlocks(reply.daily),
      ...replyActionBlocks(reply.actions),
    ];
    return toMessages(
      fallbackOf(`📅 오늘의 개념 · Concept of the day${reply.daily ? ` ${reply.daily.day}` : ''}: ${titleLine(reply.card.title)}`),
      blocks,
    );
  }
  if (reply.card && reply.kind !== 'card') {
    // A grade that carries the concept: the core's full text, and the card a press away.
    const blocks: Block[] = [
      ...sections(markdownToMrkdwn(markdown)),
      ...actions('card', [button(`📖 ${titleLine(reply.card.title)}`, openId(0), reply.card.id)]),
    ];
    return toMessages(fallbackOf(markdown), blocks);
  }
  if (reply.card) return toMessages(fallbackOf(`${titleLine(reply.card.title)}: ${reply.card.summary.ko}`), cardBlocks(reply.card, opts));
  if (reply.quiz) return toMessages(fallbackOf(reply.quiz.prompt), quizBlocks(reply.quiz, opts.picked ?? [], markdown));
  // A leaderboard carries the channel's board as structure, but its Markdown says more (the workspace's board, the other period): show that.
  if (reply.scoreboard && reply.kind !== 'leaderboard')
    return toMessages(fallbackOf(markdown), scoreboardBlocks(reply.scoreboard, markdown));
  const blocks: Block[] = sections(markdownToMrkdwn(markdown));
  if (reply.suggestions?.length)
    blocks.push(
      ...actions(
        'suggest',
        reply.suggestions.slice(0, 3).map((s, i) => button(titleLine(s.title), openId(i), s.id)),
      ),
    );
  blocks.push(...replyActionBlocks(reply.actions));
  return toMessages(fallbackOf(markdown), blocks);
}

/**
 * The core speaks the shared command words (`/quiz`, `/hint`); on Slack they all live under `/k8s`.
 * Only code spans are rewritten, which is where the core writes commands.
 */
const WORDS = 'quiz|hint|review|progress|leaderboard|daily|help|퀴즈|힌트|복습|진도|순위|오늘의개념|도움말';
export function slackCommands(markdown: string): string {
  return markdown.replace(new RegExp(`\`/(${WORDS})(?=[\\s\`\\]|])`, 'g'), '`/k8s $1');
}

/** The notification line: short, plain, inert (top-level `text` is parsed as mrkdwn too). */
function fallbackOf(markdown: string): string {
  return inertMrkdwn(truncate(markdownToPlain(markdown), 300));
}

export function cardBlocks(card: CardView, opts: RenderOptions = {}): Block[] {
  const blocks: Block[] = [header(titleLine(card.title))];
  const summary =
    card.summary.en && card.summary.en !== card.summary.ko ? `**${card.summary.ko}**\n\n_${card.summary.en}_` : `**${card.summary.ko}**`;
  blocks.push(...sections(markdownToMrkdwn(summary)));
  // A sequence's notes usually list the steps in the body already, with reasons; show them once.
  if (card.steps?.length && !card.body.includes(card.steps[0]!.text.ko)) {
    const steps = card.steps.map((s, i) => `${i + 1}. ${s.text.ko}${s.text.en !== s.text.ko ? ` — ${s.text.en}` : ''}`).join('\n');
    blocks.push(...sections(markdownToMrkdwn(steps)));
  }
  if (card.body.trim()) blocks.push(divider(), ...sections(markdownToMrkdwn(card.body)));
  if (card.example) {
    blocks.push(...sections(`*예시 / Example*\n${markdownToMrkdwn(`\`\`\`${card.example.lang}\n${card.example.code}\n\`\`\``)}`));
  }
  blocks.push(...conceptButtons('related', '관련 개념 / Related', card.related, 0));
  blocks.push(...conceptButtons('confused', '헷갈리기 쉬운 개념 / Often confused with', card.confusedWith, card.related.length));
  blocks.push(
    context(
      sourceMrkdwn(card.source),
      ...(opts.sharedBy ? [`${inertMrkdwn(opts.sharedBy)} 님이 공유 / shared by ${inertMrkdwn(opts.sharedBy)}`] : []),
    ),
  );
  if (opts.share) blocks.push(...actions('share', [button('채널에 공유 / Share to channel', ACTION.share, card.id)]));
  return blocks;
}

function conceptButtons(blockId: string, label: string, refs: ConceptRef[], offset: number): Block[] {
  if (refs.length === 0) return [];
  return [
    context(`*${label}*`),
    ...actions(
      blockId,
      refs.map((r, i) => button(titleLine(r.title), openId(offset + i), r.id)),
    ),
  ];
}

function sourceMrkdwn(source: CardView['source']): string {
  const where = `출처 / Source: ${escapeMrkdwn(sourceLine({ ...source, url: undefined }))}`;
  const url = source.url ? safeUrl(source.url) : undefined;
  return url ? `${where} (<${url}|link>)` : where;
}

const KIND_HINT: Record<string, string> = {
  order: '단계를 순서대로 누르거나, 라벨을 순서대로 적어 보내세요. / Press the steps in order, or type the labels in order.',
  swap: '바뀐 두 단계를 누르거나 라벨 두 개를 적어 보내세요. / Press the two swapped steps, or type their labels.',
  pick: '답을 누르거나 라벨을 적어 보내세요. / Press your answer, or type its label.',
  recall:
    '답을 적어 보내세요: 팀 퀴즈는 스레드에, 혼자 풀 때는 DM이나 @멘션으로. / Type your answer: in the thread for a team round; in a DM or with an @mention when solo.',
};

/** The core's Markdown (intro, position, prompt, items, hint) as text; the structured view adds the buttons. */
export function quizBlocks(quiz: QuizView, picked: string[], markdown?: string): Block[] {
  const blocks: Block[] = [];
  if (markdown) blocks.push(...sections(markdownToMrkdwn(slackCommands(markdown))));
  else {
    blocks.push(...sections(markdownToMrkdwn(slackCommands(quiz.prompt))));
    if (quiz.items.length)
      blocks.push(...sections(quiz.items.map((it) => `*${inertMrkdwn(it.label)}.* ${markdownToMrkdwn(it.text)}`).join('\n')));
  }
  const want = picksWanted(quiz);
  const notes: string[] = [];
  if (quiz.number && quiz.total) notes.push(`*${quiz.number}/${quiz.total}*`);
  notes.push(quiz.kind === 'recall' || quiz.items.length === 0 ? KIND_HINT.recall! : (KIND_HINT[quiz.kind] ?? KIND_HINT.pick!));
  if (quiz.deadline) {
    const secs = Math.floor(quiz.deadline / 1000);
    notes.push(`⏱ <!date^${secs}^{time_secs}|${new Date(quiz.deadline).toISOString().slice(11, 19)} UTC> 까지 / until then`);
  }
  if (want !== undefined && picked.length) notes.push(`고른 순서 / Picked: *${picked.map(inertMrkdwn).join(' → ')}*`);
  blocks.push(context(...notes));
  if (want !== undefined) return [...blocks, ...pickerButtons(quiz, picked, want)];
  if (quiz.items.length === 0) return blocks;
  const options = quiz.items.map((it, i) =>
    button(`${it.label}. ${markdownToPlain(it.text)}`, answerId(i), encode({ q: quiz.questionId, a: it.label })),
  );
  return [...blocks, ...actions(`answer.${quiz.questionId}`, options)];
}

function pickerButtons(quiz: QuizView, picked: string[], want: number): Block[] {
  const remaining = picked.length >= want ? [] : quiz.items.filter((it) => !picked.includes(it.label));
  const steps = remaining.map((it) =>
    button(
      `${it.label}. ${markdownToPlain(it.text)}`,
      pickId(quiz.items.indexOf(it)),
      encode({ q: quiz.questionId, p: picked, l: it.label }),
    ),
  );
  const controls = [];
  if (picked.length) controls.push(button('↩ 되돌리기 / Undo', ACTION.undo, encode({ q: quiz.questionId, p: picked })));
  if (picked.length === want) controls.push(button('제출 / Submit', ACTION.submit, encode({ q: quiz.questionId, p: picked }), 'primary'));
  return [...actions(`steps.${quiz.questionId}`, steps), ...(controls.length ? actions(`controls.${quiz.questionId}`, controls) : [])];
}

const MEDALS = ['🥇', '🥈', '🥉'];

export function scoreboardBlocks(board: ScoreboardView, markdown: string): Block[] {
  const blocks: Block[] = [header(`${board.final ? '🏁 ' : ''}${titleLine(board.title)}`)];
  if (board.entries.length === 0) return [...blocks, ...sections(markdownToMrkdwn(markdown))];
  const lines = board.entries.map((e) => `${MEDALS[e.rank - 1] ?? `${e.rank}.`} ${inertMrkdwn(e.name ?? e.user)} — *${e.points}*점 / pts`);
  blocks.push(...sections(lines.join('\n')));
  if (board.final) blocks.push(context('최종 결과 / Final results'));
  return blocks;
}
