import type { App, RespondFn } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';
import type { Reply } from '../../src/reply.js';
import type { SlackMessage } from './blocks.js';
import { isSlackTs } from './incoming.js';
import { Lru } from './lru.js';
import { renderReply, type RenderOptions } from './render.js';

type WebClient = App['client'];

/** Where a set of replies goes, and what the request that caused them allows. */
export interface Where {
  channel: string;
  user?: string;
  /** The Slack thread (ts) the conversation is in. */
  thread?: string;
  /** A slash command or a button press: private answers go through its response_url. */
  respond?: RespondFn;
  /** A direct message with the bot: everything is answered in the DM. */
  direct?: boolean;
  /** An @mention: the asker chose to ask in public, so lookup answers go in the mention's thread. */
  mention?: boolean;
}

/** A question as posted, so a button press can re-render it with the order picked so far. */
export interface OpenQuestion {
  reply: Reply;
  channel: string;
  thread?: string;
}

const LOOKUP_KINDS = new Set<Reply['kind']>(['card', 'didYouMean', 'miss', 'help']);
/** response_url accepts five posts; keep one spare for the answer to a button on the same message. */
const RESPOND_BUDGET = 4;

/**
 * Sends the core's replies to the right place: ephemeral answers through `respond` (or
 * chat.postEphemeral), channel answers with chat.postMessage, a team round's messages in its thread.
 */
export class Delivery {
  /** roundId → the channel and thread of a team round. */
  private readonly rounds = new Lru<string, { channel: string; ts: string }>(500);
  /** `${channel}:${ts}` → roundId, to recognise answers typed in a round's thread. */
  private readonly threads = new Lru<string, string>(500);
  readonly questions = new Lru<string, OpenQuestion>(2_000);

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
  ) {}

  isRoundThread(channel: string, ts: string | undefined): boolean {
    return Boolean(ts && this.threads.has(`${channel}:${ts}`));
  }

  async deliver(replies: Reply[], where: Where): Promise<void> {
    let responds = 0;
    /** A channel message posted in this batch: a round that starts right after it threads under it. */
    let lastChannelPost: string | undefined;
    for (const reply of replies) {
      const roundKey = reply.quiz?.roundId ?? reply.thread;
      if (reply.quiz) this.questions.set(reply.quiz.questionId, { reply, channel: where.channel, ...(where.thread ? { thread: where.thread } : {}) });
      if (roundKey && reply.visibility === 'channel') {
        await this.postInRound(roundKey, reply, where.channel, lastChannelPost);
        continue;
      }
      const thread = roundKey ? (this.rounds.get(roundKey)?.ts ?? (isSlackTs(roundKey) ? roundKey : where.thread)) : where.thread;
      if (reply.visibility === 'channel' || where.direct || (where.mention && LOOKUP_KINDS.has(reply.kind))) {
        const ts = await this.postMessages(where.channel, renderReply(reply), thread);
        if (!thread) lastChannelPost = ts;
        continue;
      }
      const messages = renderReply(reply, { share: Boolean(reply.card) });
      if (where.respond && responds + messages.length <= RESPOND_BUDGET) {
        responds += messages.length;
        for (const m of messages) await where.respond({ response_type: 'ephemeral', replace_original: false, ...m });
      } else if (where.user) {
        for (const m of messages) await this.client.chat.postEphemeral({ channel: where.channel, user: where.user, ...m, ...(thread ? { thread_ts: thread } : {}) });
      } else {
        this.log.warn({ channel: where.channel, kind: reply.kind }, 'private reply with no user to show it to; not sent');
      }
    }
  }

  /** Posts in channel (or thread) and returns the first message's ts. */
  async postMessages(channel: string, messages: SlackMessage[], thread?: string, broadcast = false): Promise<string | undefined> {
    let first: string | undefined;
    for (const [i, m] of messages.entries()) {
      const where = thread ? { thread_ts: thread, reply_broadcast: broadcast && i === 0 } : {};
      const res = await this.client.chat.postMessage({ channel, ...m, ...where, unfurl_links: false });
      first ??= res.ts;
    }
    return first;
  }

  private async postInRound(roundKey: string, reply: Reply, channel: string, parent: string | undefined): Promise<void> {
    let round = this.rounds.get(roundKey);
    if (!round && isSlackTs(roundKey)) round = { channel, ts: roundKey };
    if (!round) {
      // The round's first message: a notice becomes the thread's parent; a question gets a short one.
      if (!reply.quiz && !parent) {
        const ts = await this.postMessages(channel, renderReply(reply));
        if (ts) this.remember(roundKey, channel, ts);
        return;
      }
      const ts = parent ?? (await this.postMessages(channel, renderReply(roundOpening())));
      if (!ts) throw new Error('chat.postMessage returned no ts for a round');
      round = this.remember(roundKey, channel, ts);
    }
    if (reply.quiz) this.questions.set(reply.quiz.questionId, { reply, channel: round.channel, thread: round.ts });
    const final = Boolean(reply.scoreboard?.final);
    await this.postMessages(round.channel, renderReply(reply, {} satisfies RenderOptions), round.ts, final);
  }

  private remember(roundKey: string, channel: string, ts: string) {
    const round = { channel, ts };
    this.rounds.set(roundKey, round);
    this.threads.set(`${channel}:${ts}`, roundKey);
    return round;
  }
}

function roundOpening(): Reply {
  return {
    kind: 'notice',
    visibility: 'channel',
    markdown: '🏁 **팀 퀴즈를 시작합니다!** 문제와 답은 이 스레드에서.\n**A team round is starting!** Questions and answers are in this thread.',
  };
}
