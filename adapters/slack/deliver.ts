import type { App } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';
import type { Reply, ReplyImage } from '../../src/reply.js';
import type { SlackMessage } from './blocks.js';
import { isSlackTs } from './incoming.js';
import { Lru } from '../../src/lru.js';
import { renderReply } from './render.js';
import { ephemeral, type Respond } from './responseUrl.js';

type WebClient = App['client'];

/** Where a set of replies goes, and what the request that caused them allows. */
export interface Where {
  channel: string;
  /** The Slack team the channel belongs to: its installation's token posts there (multi-workspace mode). */
  team?: string | undefined;
  user?: string;
  /** The Slack thread (ts) the conversation is in. */
  thread?: string;
  /** A slash command or a button press: private answers go through its response_url. */
  respond?: Respond;
  /** A direct message with the bot: everything is answered in the DM. */
  direct?: boolean;
  /** An @mention: the asker chose to ask in public, so lookup answers go in the mention's thread. */
  mention?: boolean;
}

/** Replies a mention is answered with in public, in its thread: what the asker looked up. */
const PUBLIC_ON_MENTION = new Set<Reply['kind']>(['card', 'didYouMean', 'miss', 'help']);
/** response_url accepts five posts; keep one spare for the answer to a button on the same message. */
const RESPOND_BUDGET = 4;

/**
 * Sends the core's replies to the right place: ephemeral answers through `respond` (or
 * chat.postEphemeral), channel answers with chat.postMessage, a team round's messages in its thread.
 */
export class Delivery {
  /** roundId → the channel and thread of a team round, for posts in the same batch as its start (the core keeps the thread after). */
  private readonly rounds = new Lru<string, { channel: string; ts: string }>(500);

  constructor(
    /** The Web API client for a team's workspace (one client in single-token mode). */
    private readonly client: (team: string | undefined) => Promise<WebClient>,
    private readonly log: Logger,
    /** Tells the core a round's thread is open: its answers come from there, and a resumed round keeps it. */
    private readonly threadOpened: (roundId: string, ts: string) => Promise<void> = async () => undefined,
    /** Tells the core a round's thread could not be opened (a channel the bot cannot post in). */
    private readonly threadRefused: (roundId: string) => void = () => undefined,
  ) {}

  async deliver(replies: Reply[], where: Where): Promise<void> {
    let responds = 0;
    /** A channel message posted in this batch: a round that starts right after it threads under it. */
    let lastChannelPost: string | undefined;
    const team = where.team;
    for (const reply of replies) {
      const round = this.roundOf(reply, where.channel);
      if (round !== undefined && reply.visibility === 'channel') {
        await this.postInRound(team, round, reply, lastChannelPost);
        continue;
      }
      const thread = round?.ts ?? where.thread;
      if (reply.visibility === 'channel' || where.direct || (where.mention && PUBLIC_ON_MENTION.has(reply.kind))) {
        const ts = await this.postMessages(team, where.channel, renderReply(reply), thread);
        if (!thread) lastChannelPost = ts;
        if (reply.image) await this.upload(team, reply.image, where.channel, thread);
        continue;
      }
      const messages = renderReply(reply, { share: Boolean(reply.card) });
      if (where.respond && responds + messages.length <= RESPOND_BUDGET) {
        responds += messages.length;
        for (const m of messages) await where.respond(ephemeral(m));
      } else if (where.user) {
        const client = await this.client(team);
        for (const m of messages)
          await client.chat.postEphemeral({
            channel: round?.channel ?? where.channel,
            user: where.user,
            ...m,
            ...(thread ? { thread_ts: thread } : {}),
          });
      } else {
        this.log.warn({ channel: where.channel, kind: reply.kind }, 'private reply with no user to show it to; not sent');
      }
      // A file cannot be ephemeral: a private picture goes to the asker's DM with the bot.
      if (reply.image && where.user) await this.upload(team, reply.image, await this.dmChannel(team, where.user));
    }
  }

  /** The DM channel (D…) with a user, opened when needed (conversations.open is idempotent). */
  async dmChannel(team: string | undefined, user: string): Promise<string> {
    const res = await (await this.client(team)).conversations.open({ users: user });
    const id = res.channel?.id;
    if (!id) throw new Error('conversations.open returned no channel');
    return id;
  }

  /**
   * files.uploadV2: the client asks files.getUploadURLExternal for an upload URL, posts the bytes
   * there, then files.completeUploadExternal shares the file in the channel. The alt text carries
   * the picture's figures for screen readers.
   */
  async upload(team: string | undefined, image: ReplyImage, channel: string, thread?: string): Promise<void> {
    const file = {
      channel_id: channel,
      file: Buffer.from(image.data),
      filename: image.name,
      title: image.name,
      alt_text: image.alt.slice(0, 1000),
    };
    await (await this.client(team)).files.uploadV2(thread ? { ...file, thread_ts: thread } : file);
  }

  /**
   * The round a reply belongs to: its roundId's known thread, or the Slack thread the core carried
   * (the round was started with `msg.thread`), or a round still to be given a thread (ts undefined).
   */
  private roundOf(reply: Reply, channel: string): { key: string; channel: string; ts: string | undefined } | undefined {
    const roundId = reply.quiz?.roundId;
    const carried = isSlackTs(reply.thread) ? reply.thread : undefined;
    const known =
      (roundId ? this.rounds.get(roundId) : undefined) ?? (reply.thread && !carried ? this.rounds.get(reply.thread) : undefined);
    if (known) return { key: roundId ?? reply.thread!, ...known };
    if (carried) {
      if (roundId) this.rounds.set(roundId, { channel, ts: carried });
      return { key: roundId ?? carried, channel, ts: carried };
    }
    const key = roundId ?? reply.thread;
    return key ? { key, channel, ts: undefined } : undefined;
  }

  /**
   * A round's parent message. `chat:write.public` lets the bot post in a public channel it is not in,
   * but then it hears nothing typed there: it joins first (conversations.join). A channel it cannot
   * join (private) refuses the post, and the user is told how to invite it.
   */
  private async openThread(team: string | undefined, channel: string, messages: SlackMessage[]): Promise<string | undefined> {
    const client = await this.client(team);
    try {
      await client.conversations.join({ channel });
    } catch (err) {
      this.log.debug({ err, channel }, 'conversations.join refused; posting as is');
    }
    return this.postMessages(team, channel, messages);
  }

  /** Posts in channel (or thread) and returns the first message's ts. */
  async postMessages(
    team: string | undefined,
    channel: string,
    messages: SlackMessage[],
    thread?: string,
    broadcast = false,
  ): Promise<string | undefined> {
    const client = await this.client(team);
    let first: string | undefined;
    for (const [i, m] of messages.entries()) {
      const where = thread ? { thread_ts: thread, reply_broadcast: broadcast && i === 0 } : {};
      const res = await client.chat.postMessage({ channel, ...m, ...where, unfurl_links: false });
      first ??= res.ts;
    }
    return first;
  }

  private async postInRound(
    team: string | undefined,
    round: { key: string; channel: string; ts: string | undefined },
    reply: Reply,
    parent: string | undefined,
  ): Promise<void> {
    let ts = round.ts;
    if (!ts) {
      // A round with no thread yet: a notice becomes the parent; a question gets a short one first.
      if (!reply.quiz && !parent) {
        const posted = await this.openThread(team, round.channel, renderReply(reply));
        if (posted) await this.remember(round.key, round.channel, posted);
        return;
      }
      try {
        ts = parent ?? (await this.openThread(team, round.channel, renderReply(roundOpening())));
      } catch (err) {
        this.threadRefused(round.key);
        throw err;
      }
      if (!ts) throw new Error('chat.postMessage returned no ts for a round');
      await this.remember(round.key, round.channel, ts);
    }
    await this.postMessages(team, round.channel, renderReply(reply), ts, Boolean(reply.scoreboard?.final));
  }

  private async remember(roundKey: string, channel: string, ts: string): Promise<void> {
    this.rounds.set(roundKey, { channel, ts });
    await this.threadOpened(roundKey, ts);
  }
}

function roundOpening(): Reply {
  return {
    kind: 'notice',
    visibility: 'channel',
    markdown:
      '🏁 **팀 퀴즈를 시작합니다!** 문제와 답은 이 스레드에서.\n**A team round is starting!** Questions and answers are in this thread.',
  };
}
