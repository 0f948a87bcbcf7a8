import { Routes } from 'discord.js';
import type { REST } from 'discord.js';
import { DEFAULT_OUTBOUND_QUEUE_MAX } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import { OutboundQueues } from '../outbound.js';
import type { Reply } from '../../src/reply.js';
import { LIMITS, type DiscordMessage } from './limits.js';
import type { QuestionBook } from './questions.js';
import { renderReply } from './render.js';
import { RoundThreads } from './rounds.js';

/** Nothing a bot message says can ping: no @everyone, no users, no roles, no replied-to author. */
export const NO_MENTIONS = { parse: [] as never[], replied_user: false };

export function messageBody(m: DiscordMessage, replyTo?: string) {
  return {
    ...(m.content !== undefined ? { content: m.content } : {}),
    embeds: m.embeds ?? [],
    components: m.components ?? [],
    allowed_mentions: NO_MENTIONS,
    ...(replyTo ? { message_reference: { message_id: replyTo, fail_if_not_exists: false } } : {}),
  };
}

export interface Where {
  /** The channel the core knows (a round's parent channel). */
  channel: string;
  thread?: string | undefined;
  workspace?: string | undefined;
}

/**
 * Sends what answers no interaction: a round's questions (opening its thread on the first),
 * scoreboards, typed-answer grades, daily posts. Goes straight to REST so it works while the
 * gateway is reconnecting and for channels the client has not cached.
 */
export class Sender {
  private readonly opening = new Map<string, Promise<string>>();
  /**
   * One bounded queue per channel (or thread): posts keep their order, and a full channel refuses
   * its newest post instead of growing. discord.js already waits a 429 out per route bucket, whose
   * major parameter is the channel, so a limited channel does not hold others up; the queue adds the bound.
   */
  readonly queues: OutboundQueues;

  constructor(
    private readonly rest: REST,
    private readonly rounds: RoundThreads,
    private readonly book: QuestionBook,
    private readonly log: Logger,
    maxPerChannel = DEFAULT_OUTBOUND_QUEUE_MAX,
  ) {
    this.queues = new OutboundQueues({ platform: 'discord', log, maxPerChannel });
  }

  toChannel(channel: string, m: DiscordMessage, replyTo?: string): Promise<{ id: string }> {
    return this.queues.run(channel, async () => {
      if (!m.files?.length) return (await this.rest.post(Routes.channelMessages(channel), { body: messageBody(m, replyTo) })) as { id: string };
      // Attachments: a multipart request whose `files[n]` parts the body's `attachments` name (with alt text).
      const body = { ...messageBody(m, replyTo), attachments: m.files.map((f, id) => ({ id, filename: f.name, description: f.description })) };
      const files = m.files.map((f, id) => ({ key: `files[${id}]`, name: f.name, data: f.data, contentType: 'image/png' }));
      return (await this.rest.post(Routes.channelMessages(channel), { body, files })) as { id: string };
    });
  }

  /** The DM channel with a user (review reminders); Discord returns the same one every time. */
  async dmChannel(user: string): Promise<string> {
    return ((await this.rest.post(Routes.userChannels(), { body: { recipient_id: user } })) as { id: string }).id;
  }

  /** The thread a round's replies go to, opened in the channel the first time the round speaks. */
  private roundThread(key: string, channel: string): Promise<string> {
    const known = this.rounds.threadOf(key);
    if (known) return Promise.resolve(known);
    let opening = this.opening.get(key);
    if (!opening) {
      opening = (async () => {
        const stamp = new Date().toISOString().slice(11, 16);
        const name = `🧩 퀴즈 라운드 · Quiz round ${stamp} UTC`.slice(0, LIMITS.threadName);
        const thread = (await this.rest.post(Routes.threads(channel), { body: { name, type: 11, auto_archive_duration: 60 } })) as { id: string };
        this.rounds.add(key, channel, thread.id);
        this.log.info({ channel, thread: thread.id, round: key }, 'round thread opened');
        return thread.id;
      })().finally(() => this.opening.delete(key));
      this.opening.set(key, opening);
    }
    return opening;
  }

  /**
   * Where a reply belongs: the thread the core named (a round started inside a thread), the
   * round's own thread (opened on its first question), the thread the message came from, or
   * undefined for the channel itself.
   */
  async threadFor(where: Where, reply: Reply): Promise<string | undefined> {
    if (reply.thread) return reply.thread;
    const key = RoundThreads.keyOf(reply);
    if (key) return this.roundThread(key, where.channel);
    if (where.thread) return where.thread;
    if (reply.kind === 'scoreboard' || reply.kind === 'grade') return this.rounds.active(where.channel)?.thread;
    return undefined;
  }

  /** Public round replies (questions, scoreboards) go to the round's thread; private ones stay with the person. */
  isRoundBound(where: Where, reply: Reply): boolean {
    if (reply.visibility === 'private') return false;
    return Boolean(reply.thread || RoundThreads.keyOf(reply) || (reply.kind === 'scoreboard' && this.rounds.active(where.channel)));
  }

  /** A private grade for an answer typed in a thread: Discord has no ephemeral messages outside interactions, so a receipt, not the verdict (the engine reveals it when time is up). */
  async receipt(channel: string, message: string): Promise<void> {
    await this.rest.put(Routes.channelMessageOwnReaction(channel, message, encodeURIComponent('📝')));
  }

  /** Renders and sends one reply; returns where it went. `replyTo` threads a typed answer's grade under it. */
  async post(where: Where, reply: Reply, replyTo?: string): Promise<string> {
    const thread = await this.threadFor(where, reply);
    const live = reply.quiz ? this.book.open({ quiz: reply.quiz, channel: where.channel, thread, workspace: where.workspace }) : undefined;
    if (reply.grade) this.book.graded(reply.grade);
    const messages = renderReply({ ...reply, visibility: 'channel' }, live);
    const to = thread ?? where.channel;
    for (const [i, m] of messages.entries()) await this.toChannel(to, m, i === 0 ? replyTo : undefined);
    if (reply.scoreboard?.final) await this.finishRound(where.channel, thread, messages);
    return to;
  }

  /** The final scoreboard also goes to the channel the round's thread hangs off, and the round's buttons stop taking answers. */
  async finishRound(channel: string, thread: string | undefined, finalMessages: DiscordMessage[]): Promise<void> {
    const round = this.rounds.finish(channel);
    if (!round) return;
    this.book.closeRound(round.key);
    if (thread === round.thread) for (const m of finalMessages) await this.toChannel(channel, m);
  }
}
