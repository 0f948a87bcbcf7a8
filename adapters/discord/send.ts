import { Routes } from 'discord.js';
import type { REST } from 'discord.js';
import { DEFAULT_OUTBOUND_QUEUE_MAX } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import { OutboundQueues } from '../outbound.js';
import type { Reply } from '../../src/reply.js';
import { Lru } from '../../src/lru.js';
import { LIMITS, type DiscordMessage } from './limits.js';
import { renderReply } from './render.js';

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
 * gateway is reconnecting and for channels the client has not cached. Which thread holds which
 * round is the core's to keep (it is told when a thread opens); this only remembers the few
 * rounds whose thread it opened until the core's replies carry it.
 */
export class Sender {
  private readonly opening = new Map<string, Promise<string>>();
  /**
   * One bounded queue per channel (or thread): posts keep their order, and a full channel refuses
   * its newest post instead of growing. discord.js already waits a 429 out per route bucket, whose
   * major parameter is the channel, so a limited channel does not hold others up; the queue adds the bound.
   */
  readonly queues: OutboundQueues;
  private readonly threads = new Lru<string, string>(500);

  constructor(
    private readonly rest: REST,
    private readonly log: Logger,
    /** Tells the core the round's thread is open: answers come from there, and a resumed round keeps it. */
    private readonly threadOpened: (roundId: string, thread: string) => Promise<void> = async () => undefined,
    maxPerChannel = DEFAULT_OUTBOUND_QUEUE_MAX,
  ) {
    this.queues = new OutboundQueues({ platform: 'discord', log, maxPerChannel });
  }

  toChannel(channel: string, m: DiscordMessage, replyTo?: string): Promise<{ id: string }> {
    return this.queues.run(channel, async () => {
      if (!m.files?.length)
        return (await this.rest.post(Routes.channelMessages(channel), { body: messageBody(m, replyTo) })) as { id: string };
      // Attachments: a multipart request whose `files[n]` parts the body's `attachments` name (with alt text).
      const body = {
        ...messageBody(m, replyTo),
        attachments: m.files.map((f, id) => ({ id, filename: f.name, description: f.description })),
      };
      const files = m.files.map((f, id) => ({ key: `files[${id}]`, name: f.name, data: f.data, contentType: 'image/png' }));
      return (await this.rest.post(Routes.channelMessages(channel), { body, files })) as { id: string };
    });
  }

  /** The DM channel with a user (review reminders); Discord returns the same one every time. */
  async dmChannel(user: string): Promise<string> {
    return ((await this.rest.post(Routes.userChannels(), { body: { recipient_id: user } })) as { id: string }).id;
  }

  /** The thread a round's replies go to, opened in the channel the first time the round speaks. */
  private roundThread(roundId: string, channel: string): Promise<string> {
    const known = this.threads.get(roundId);
    if (known) return Promise.resolve(known);
    let opening = this.opening.get(roundId);
    if (!opening) {
      opening = (async () => {
        const stamp = new Date().toISOString().slice(11, 16);
        const name = `🧩 퀴즈 라운드 · Quiz round ${stamp} UTC`.slice(0, LIMITS.threadName);
        const thread = (await this.rest.post(Routes.threads(channel), { body: { name, type: 11, auto_archive_duration: 60 } })) as {
          id: string;
        };
        this.threads.set(roundId, thread.id);
        await this.threadOpened(roundId, thread.id);
        this.log.info({ channel, thread: thread.id, round: roundId }, 'round thread opened');
        return thread.id;
      })().finally(() => this.opening.delete(roundId));
      this.opening.set(roundId, opening);
    }
    return opening;
  }

  /**
   * Where a reply belongs: the thread the core named (a round's, once open), the round's own thread
   * (opened on its first question), the thread the message came from, or undefined for the channel.
   */
  async threadFor(where: Where, reply: Reply): Promise<string | undefined> {
    if (reply.thread) return reply.thread;
    const roundId = reply.quiz?.roundId;
    if (roundId) return this.roundThread(roundId, where.channel);
    return where.thread;
  }

  /** Public round replies (questions, scoreboards) go to the round's thread; private ones stay with the person. */
  isRoundBound(reply: Reply): boolean {
    return reply.visibility !== 'private' && Boolean(reply.thread || reply.quiz?.roundId);
  }

  /** A private grade for an answer typed in a thread: Discord has no ephemeral messages outside interactions, so a receipt, not the verdict (the engine reveals it when time is up). */
  async receipt(channel: string, message: string): Promise<void> {
    await this.rest.put(Routes.channelMessageOwnReaction(channel, message, encodeURIComponent('📝')));
  }

  /** Renders and sends one reply; returns where it went. `replyTo` threads a typed answer's grade under it. */
  async post(where: Where, reply: Reply, replyTo?: string): Promise<string> {
    const thread = await this.threadFor(where, reply);
    const messages = renderReply({ ...reply, visibility: 'channel' }, thread);
    const to = thread ?? where.channel;
    for (const [i, m] of messages.entries()) await this.toChannel(to, m, i === 0 ? replyTo : undefined);
    // The final scoreboard also goes to the channel the round's thread hangs off.
    if (reply.scoreboard?.final && thread && thread !== where.channel) for (const m of messages) await this.toChannel(where.channel, m);
    return to;
  }
}
