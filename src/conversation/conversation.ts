import type { Clock } from '../clock.js';
import { isRunnableActionCommand } from '../commands/actionCommand.js';
import { parseCommand, type Command } from '../commands/parse.js';
import { parseQuizArgs } from '../quiz/args.js';
import { asTutorError } from '../errors.js';
import { detectLang } from '../lang.js';
import type { Logger } from '../logger.js';
import type { IncomingMessage } from '../message.js';
import type { QuizFeature } from '../quiz/feature.js';
import { SOLO_OPEN_MS } from '../quiz/solo.js';
import type { PostTarget, QuizView, Reply } from '../reply.js';
import type { OpenQuestionRecord } from '../store/conversation.js';
import type { Store } from '../store/types.js';
import { errorReply, type Tutor } from '../tutor.js';
import type { Admission, ConversationRef, InboundAction, InboundEvent, Outcome } from './event.js';
import { forgedNotice, notYoursNotice, staleNotice } from './notices.js';
import { labelsOf, ownLabel, ownSubmission, picksWanted } from './questions.js';

export interface ConversationDeps {
  tutor: Tutor;
  store: Store;
  clock: Clock;
  log: Logger;
  /** The quiz, when this app has one: answers, rounds and their threads. */
  quiz?: QuizFeature | undefined;
  /** The limit check every inbound event passes first (issue 11, item 4). */
  admit?: Admission | undefined;
}

/** Typed text that reaches the core: enough for any answer or question, far below what could slow it down. */
const MAX_TEXT = 4_000;
/** Platform retries come within minutes (Slack: 1 min, 5 min); ids are kept a little longer, then swept. */
export const DEDUPE_MS = 15 * 60 * 1000;
/** A round question's buttons stay answerable this long past its deadline at most (it closes when the round moves on). */
const ROUND_QUESTION_SLACK_MS = 10 * 60 * 1000;
/** Picks on a drill are kept as long as its question can be open. */
const PICKS_MS = SOLO_OPEN_MS;
/** Expired rows are deleted at most this often, on the way through. */
const SWEEP_EVERY_MS = 60_000;

const replied = (replies: Reply[], where?: ConversationRef): Outcome => ({ verdict: 'replied', replies, ...(where ? { where } : {}) });
const ignored = (): Outcome => ({ verdict: 'ignored', replies: [] });

/**
 * The conversation layer: every inbound event from every platform passes through `receive`, which
 * decides what it means (vercel/chat's model: thread subscriptions and state in the core, adapters
 * that only translate). The rules, written once:
 * - a line in a round's thread is an answer to that round's open question, or gets no reply;
 * - a line in a finished round's thread never reaches another round (a late answer is told so);
 * - a line nobody addressed to the bot (not a DM, not a mention, not a round thread) is ignored;
 * - a button answers only its own open question, only with that question's own labels;
 * - a platform retry (same event id) is answered once.
 */
export class Conversation {
  private lastSweep = 0;

  constructor(private readonly deps: ConversationDeps) {}

  /** The one entry point for inbound events. Never throws: an internal failure becomes a polite reply. */
  async receive(event: InboundEvent): Promise<Outcome> {
    try {
      const now = this.deps.clock.now();
      const { conversation: c } = event;
      if (event.id && !(await this.deps.store.conversation.firstDelivery(c.platform, event.id, now + DEDUPE_MS))) {
        this.deps.log.info({ platform: c.platform, event: event.id }, 'a retried event already answered; skipped');
        return { verdict: 'duplicate', replies: [] };
      }
      // After the dedupe, so a platform's retry never spends the sender's tokens.
      const limited = await this.deps.admit?.(event);
      if (limited) return { verdict: 'limited', replies: limited };
      await this.sweep(now);
      const outcome = await this.decide(event);
      await this.observe(outcome.replies, outcome.where ?? c, event.actor.id);
      return outcome;
    } catch (err) {
      const error = asTutorError(err, 'handler.failed');
      this.deps.log.error(
        { err: error, code: error.code, platform: event.conversation.platform, channel: event.conversation.channel },
        'conversation failed',
      );
      return replied([errorReply(event.input.type === 'line' ? detectLang(event.input.text) : undefined)]);
    }
  }

  /**
   * Replies no event asked for (a round's next question, a daily post) pass here on their way out,
   * so their buttons are known after a restart too.
   */
  async sent(target: PostTarget, reply: Reply): Promise<void> {
    try {
      await this.observe(
        [reply],
        { platform: target.platform, channel: target.channel, thread: target.thread, workspace: target.workspace },
        undefined,
      );
    } catch (err) {
      this.deps.log.warn({ err, channel: target.channel }, 'could not remember a posted question');
    }
  }

  /** The platform opened a thread for a round (Discord does, with its first question): the round lives there from now on. */
  async threadOpened(roundId: string, thread: string): Promise<void> {
    await this.deps.quiz?.rounds.setThread(roundId, thread);
  }

  /** The platform could not open the round's thread (the bot may not post there): the round closes rather than run unseen. */
  roundUnreachable(roundId: string): void {
    this.deps.quiz?.rounds.abandon(roundId, 'thread refused by the platform');
  }

  /** A question's view and the presser's picks, to draw a picker again (a restart keeps both). */
  async picker(questionKey: string, platform: string, userId: string): Promise<{ quiz: QuizView; picks: string[] } | undefined> {
    const now = this.deps.clock.now();
    const q = await this.deps.store.conversation.question(questionKey, now);
    if (!q) return undefined;
    return { quiz: q.view as QuizView, picks: await this.deps.store.conversation.picks(questionKey, platform, userId, now) };
  }

  private async sweep(now: number): Promise<void> {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    const removed = await this.deps.store.conversation.sweep(now);
    if (removed) this.deps.log.debug({ removed }, 'conversation state swept');
  }

  private async decide(event: InboundEvent): Promise<Outcome> {
    const { input } = event;
    switch (input.type) {
      case 'line':
        return this.line(event, input.text.slice(0, MAX_TEXT), input.addressed);
      case 'command':
        return this.command(
          event,
          typeof input.command === 'string' ? parseCommand(input.command.slice(0, MAX_TEXT)) : input.command,
          typeof input.command === 'string' ? input.command : (input.text ?? ''),
        );
      case 'action':
        return this.action(event, input.action);
    }
  }

  private async line(event: InboundEvent, text: string, addressed: boolean): Promise<Outcome> {
    const c = event.conversation;
    const quiz = this.deps.quiz;
    if (c.thread && !c.direct) {
      const sub = await this.deps.store.conversation.subscription(c.platform, c.channel, c.thread);
      if (sub) {
        const msg = this.message(event, text, { ...c, channel: sub.channel });
        // Running here, or on another replica (the store says which question is open): an answer either way.
        const running =
          quiz &&
          sub.endedAt === undefined &&
          (quiz.rounds.liveRound(c.platform, sub.channel) === sub.roundId ||
            (await quiz.rounds.currentQuestion(sub.roundId)) !== undefined);
        if (quiz && running) {
          const answer = await this.deps.tutor.guard(msg, () => quiz.rounds.answer(msg));
          if (answer) return replied(answer);
        } else if (quiz) {
          const late = quiz.rounds.late(msg, sub.roundId);
          if (late) return replied(late);
        }
        // Chatter in a round's thread (during the round or after it): no reply, unless it was asked of the bot.
        if (!addressed) return ignored();
      }
    }
    if (!addressed && !c.direct) return ignored();
    const msg = this.message(event, text, c);
    return replied(await this.deps.tutor.handle(msg));
  }

  private async command(event: InboundEvent, cmd: Command, text: string): Promise<Outcome> {
    const msg = this.message(event, text, event.conversation);
    if (needsManager(cmd)) msg.canManage = await this.isManager(event);
    return replied(await this.deps.tutor.run(cmd, msg));
  }

  private async isManager(event: InboundEvent): Promise<boolean> {
    const m = event.actor.manager;
    if (typeof m !== 'function') return Boolean(m);
    try {
      return await m();
    } catch (err) {
      // Unknown means no: the safe side for stopping someone's round or a channel-wide setting.
      this.deps.log.warn({ err, user: event.actor.id }, 'manager check failed; treating the user as not a manager');
      return false;
    }
  }

  private async action(event: InboundEvent, action: InboundAction): Promise<Outcome> {
    const c = event.conversation;
    const { tutor } = this.deps;
    if (action.type === 'card') {
      if (!tutor.knowledge.byId.has(action.concept)) return { verdict: 'stale', replies: [staleNotice()] };
      return replied(await tutor.run({ name: 'lookup', query: action.concept }, this.message(event, action.concept, c)));
    }
    if (action.type === 'run') {
      // The value is input like any other: only a solo quiz runs from a button, and its replies are the presser's alone.
      if (!isRunnableActionCommand(action.command)) return { verdict: 'forged', replies: [forgedNotice()] };
      const replies = await tutor.handle(this.message(event, action.command, c));
      return replied(replies.map((r): Reply => ({ ...r, visibility: 'private' })));
    }
    const now = this.deps.clock.now();
    const rows = this.deps.store.conversation;
    const q = await rows.question(action.question, now);
    if (!q) return { verdict: 'stale', replies: [staleNotice()] };
    if (q.owner && q.owner !== event.actor.id) return { verdict: 'stale', replies: [notYoursNotice()] };
    const where: ConversationRef = { platform: q.platform, workspace: q.workspace, channel: q.channel, thread: q.thread, direct: c.direct };
    if (!(await this.stillOpen(q, event, where))) {
      await rows.closeQuestion(q.key);
      return { verdict: 'stale', replies: [staleNotice()] };
    }
    const forged = (): Outcome => ({ verdict: 'forged', replies: [forgedNotice()] });
    const view = q.view as QuizView;
    const wanted = q.picksWanted;
    switch (action.type) {
      case 'answer': {
        if (wanted !== undefined) return forged();
        const text = q.labels.length === 0 ? action.value.slice(0, 200) : ownLabel(q.labels, action.value);
        if (!text?.trim()) return forged();
        return this.answer(event, q, text, where);
      }
      case 'pick':
      case 'undo':
      case 'picker': {
        if (wanted === undefined) return forged();
        let picks = await rows.picks(q.key, c.platform, event.actor.id, now);
        if (action.type === 'pick') {
          const label = ownLabel(q.labels, action.label);
          if (!label) return forged();
          if (!picks.includes(label) && picks.length < wanted) picks = [...picks, label];
        } else if (action.type === 'undo') picks = picks.slice(0, -1);
        if (action.type !== 'picker') await rows.setPicks(q.key, c.platform, event.actor.id, picks, now + PICKS_MS);
        return { verdict: 'replied', replies: [], picker: { quiz: view, picks, wanted }, where };
      }
      case 'submit': {
        const carried = action.labels;
        const picks = carried ?? (await rows.picks(q.key, c.platform, event.actor.id, now));
        const own = ownSubmission(q.labels, wanted, picks);
        if (!own) {
          if (carried) return forged();
          // Not every step picked yet: the picker again, as it stands.
          return { verdict: 'replied', replies: [], picker: { quiz: view, picks, wanted: wanted ?? 0 }, where };
        }
        await rows.setPicks(q.key, c.platform, event.actor.id, [], now);
        return this.answer(event, q, own.join(' '), where);
      }
    }
  }

  /** A round question is open while it is its round's current one; a solo question while it is its owner's open one. */
  private async stillOpen(q: OpenQuestionRecord, event: InboundEvent, where: ConversationRef): Promise<boolean> {
    const quiz = this.deps.quiz;
    if (!quiz) return false;
    if (q.roundId) return (await quiz.rounds.currentQuestion(q.roundId)) === q.key;
    return quiz.solo.isOpen(this.message(event, '', where), q.key);
  }

  private async answer(event: InboundEvent, q: OpenQuestionRecord, text: string, where: ConversationRef): Promise<Outcome> {
    const quiz = this.deps.quiz!;
    const msg = this.message(event, text, where);
    const replies = await this.deps.tutor.guard(msg, () => (q.roundId ? quiz.rounds.answer(msg) : quiz.solo.answer(msg)));
    if (!replies) return { verdict: 'stale', replies: [staleNotice()], where };
    return replied(replies, where);
  }

  /** Remembers each question a reply shows, with the answers its buttons may send. */
  private async observe(replies: Reply[], where: ConversationRef, actor: string | undefined): Promise<void> {
    const now = this.deps.clock.now();
    for (const reply of replies) {
      const quiz = reply.quiz;
      if (!quiz) continue;
      const wanted = picksWanted(quiz);
      await this.deps.store.conversation.openQuestion({
        key: quiz.questionId,
        platform: where.platform,
        workspace: where.workspace,
        channel: where.channel,
        thread: reply.thread ?? where.thread,
        roundId: quiz.roundId,
        owner: reply.visibility === 'private' && !quiz.roundId ? actor : undefined,
        labels: labelsOf(quiz),
        picksWanted: wanted,
        view: quiz,
        openedAt: now,
        expiresAt: quiz.deadline ? quiz.deadline + ROUND_QUESTION_SLACK_MS : now + SOLO_OPEN_MS,
      });
    }
  }

  private message(event: InboundEvent, text: string, c: ConversationRef): IncomingMessage {
    return {
      platform: c.platform,
      user: { id: event.actor.id, ...(event.actor.name ? { name: event.actor.name } : {}) },
      channel: { id: c.channel, ...(c.channelName ? { name: c.channelName } : {}), ...(c.direct ? { direct: true } : {}) },
      ...(c.workspace ? { workspace: c.workspace } : {}),
      ...(c.thread ? { thread: c.thread } : {}),
      text,
      canManage: typeof event.actor.manager === 'boolean' ? event.actor.manager : false,
      raw: event.raw,
    };
  }
}

/** Commands whose rule asks who manages the channel: stopping a round, and the daily post. */
function needsManager(cmd: Command): boolean {
  return cmd.name === 'daily' || (cmd.name === 'quiz' && parseQuizArgs(cmd.args).action === 'stop');
}
