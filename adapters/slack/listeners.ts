import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs, types } from '@slack/bolt';
import type { Actor, InboundAction, InboundEvent, Outcome } from '../../src/conversation/event.js';
import { forgedNotice } from '../../src/conversation/notices.js';
import type { Logger } from '../../src/logger.js';
import type { Reply } from '../../src/reply.js';
import { errorReply, type Tutor } from '../../src/tutor.js';
import { ACTION, decodeAnswer, decodeDrill, decodeQuizOn } from './actions.js';
import type { AnswerQueue } from './answerQueue.js';
import type { Delivery, Where } from './deliver.js';
import { plainFromSlack, stripBotMention } from './incoming.js';
import { renderReply } from './render.js';
import { responder, type Respond } from './responseUrl.js';

export interface ListenerDeps {
  tutor: Tutor;
  log: Logger;
  delivery: Delivery;
  queue: AnswerQueue;
  /** Whether a user may manage the channel's settings, asked of their own workspace. */
  isManager: (userId: string, team: string | undefined) => Promise<boolean>;
  /** The bot's user id in single-token mode; with the install flow each team's comes in the event's context. */
  botUserId: () => string | undefined;
  /** The slash command, `/k8s` unless the manifest was changed. */
  command: string;
}

type AppMentionEvent = types.AppMentionEvent;
type MessageEvent = types.GenericMessageEvent | types.ThreadBroadcastMessageEvent;
type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * Slack's inputs as the core's neutral events (src/conversation/event.ts): the slash command,
 * mentions, messages (DMs, threads, broadcasts), buttons. This file only verifies (Bolt checks the
 * signature), parses and renders; what a line or a press means is decided in the core, once.
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const { tutor, log, delivery } = deps;

  const actor = (team: string | undefined, id: string, name?: string): Actor => ({
    id,
    ...(name ? { name } : {}),
    manager: () => deps.isManager(id, team),
  });

  /**
   * Queues a handler's work after the ack (acks first under a burst, see AnswerQueue); a failure is
   * logged and answered politely, never thrown to Bolt.
   */
  const guarded = async (what: string, where: Where, work: () => Promise<void>) => {
    const queued = deps.queue.push(() => runGuarded(what, where, work));
    if (!queued) {
      log.warn({ what, channel: where.channel, waiting: deps.queue.waiting }, 'slack answer queue full; answered busy');
      await delivery
        .deliver([busyNotice()], { ...where, mention: false, direct: false })
        .catch((err: unknown) => log.warn({ err }, 'could not send the busy notice'));
    }
  };

  const runGuarded = async (what: string, where: Where, work: () => Promise<void>) => {
    try {
      await work();
    } catch (err) {
      const notInChannel = isSlackError(err, NOT_IN_CHANNEL);
      if (notInChannel) log.warn({ err, what, channel: where.channel }, 'slack: cannot post in this channel');
      else log.error({ err, what, channel: where.channel, user: where.user }, 'slack handler failed');
      try {
        await delivery.deliver([notInChannel ? inviteNotice() : errorReply()], { ...where, mention: false, direct: false });
      } catch (err2) {
        log.warn({ err: err2, channel: where.channel }, 'could not tell the user about the failure');
      }
    }
  };

  /** The core's outcome, rendered: replies to where the question lives (a button's round thread) or where the event came from. */
  const answer = async (event: InboundEvent, where: Where): Promise<Outcome> => {
    const outcome = await tutor.receive(event);
    const at = outcome.where;
    const to: Where = at ? { ...where, channel: at.channel, ...(at.thread ? { thread: at.thread } : {}) } : where;
    if (outcome.replies.length) await delivery.deliver(outcome.replies, to);
    return outcome;
  };

  app.command(deps.command, async (args) => {
    const { command, ack, body } = args;
    await ack();
    const respond = responder(command.response_url);
    const direct = command.channel_name === 'directmessage' || command.channel_id.startsWith('D');
    const where: Where = { channel: command.channel_id, team: command.team_id, user: command.user_id, respond, direct: false };
    await guarded('command', where, async () => {
      await answer(
        {
          conversation: {
            platform: 'slack',
            workspace: command.team_id,
            channel: command.channel_id,
            channelName: command.channel_name,
            direct,
          },
          actor: actor(command.team_id, command.user_id, command.user_name),
          id: (body as { trigger_id?: string }).trigger_id,
          input: { type: 'command', command: `/k8s ${plainFromSlack(command.text)}`.trim() },
          raw: command,
        },
        where,
      );
    });
  });

  const onMention = async (event: AppMentionEvent, body: unknown, id: string | undefined, bot: string | undefined) => {
    if (!event.user) return;
    const thread = event.thread_ts ?? event.ts;
    const team = event.team ?? (body as { team_id?: string }).team_id;
    const where: Where = { channel: event.channel, team, user: event.user, thread, mention: true };
    await guarded('mention', where, async () => {
      await answer(
        {
          conversation: {
            platform: 'slack',
            ...(team ? { workspace: team } : {}),
            channel: event.channel,
            ...(event.thread_ts ? { thread: event.thread_ts } : {}),
          },
          actor: actor(team, event.user!),
          id,
          input: { type: 'line', text: plainFromSlack(stripBotMention(event.text, bot)), addressed: true },
          raw: event,
        },
        where,
      );
    });
  };

  const onMessage = async (message: MessageEvent, body: unknown, id: string | undefined, bot: string | undefined) => {
    // Typed lines only: a reply also sent to the channel (thread_broadcast) is one; edits, joins and bots are not.
    if (
      (message.subtype !== undefined && message.subtype !== 'thread_broadcast') ||
      !message.user ||
      typeof message.text !== 'string' ||
      (message as { bot_id?: string }).bot_id
    )
      return;
    const direct = message.channel_type === 'im';
    // A mention outside a DM also arrives as app_mention and is answered there, once. Slack sends no app_mention for DMs.
    if (!direct && bot && (message.text as string).includes(`<@${bot}`)) return;
    const text = message.text as string;
    const thread = message.thread_ts;
    // Nothing outside a DM or a thread can be meant for the bot without a mention: not even queued.
    if (!direct && !thread) return;
    const user = message.user as string;
    const team = (body as { team_id?: string }).team_id;
    const where: Where = { channel: message.channel, team, user, ...(thread ? { thread } : {}), direct };
    await guarded(direct ? 'dm' : 'thread', where, async () => {
      await answer(
        {
          conversation: {
            platform: 'slack',
            ...(team ? { workspace: team } : {}),
            channel: message.channel,
            ...(thread ? { thread } : {}),
            direct,
          },
          actor: actor(team, user),
          id,
          input: { type: 'line', text: plainFromSlack(bot ? stripBotMention(text, bot) : text), addressed: direct },
          raw: message,
        },
        where,
      );
    });
  };

  // Mentions and messages (DMs, threads) in one listener: one chain per request instead of two.
  app.event(/^(app_mention|message)$/, async (args) => {
    const event = args.event as AppMentionEvent | MessageEvent;
    const id = (args.body as { event_id?: string }).event_id;
    // Each workspace has its own bot user: the one in this event's context (from its installation), or SLACK_BOT_TOKEN's.
    const bot = args.context.botUserId ?? deps.botUserId();
    if (event.type === 'app_mention') await onMention(event, args.body, id, bot);
    else await onMessage(event as MessageEvent, args.body, id, bot);
  });

  const pressed = (body: BlockAction, action: InboundAction): InboundEvent => ({
    conversation: {
      platform: 'slack',
      ...(body.team?.id ? { workspace: body.team.id } : {}),
      channel: body.channel?.id ?? body.container?.channel_id ?? body.user.id,
      ...(body.channel?.name ? { channelName: body.channel.name } : {}),
      ...(containerThread(body) ? { thread: containerThread(body)! } : {}),
    },
    actor: actor(body.team?.id, body.user.id, body.user.username ?? body.user.name),
    id: body.trigger_id,
    input: { type: 'action', action },
    raw: body,
  });

  const buttonWhere = (body: BlockAction, respond: Respond | undefined): Where => ({
    channel: body.channel?.id ?? body.container?.channel_id ?? body.user.id,
    ...(body.team?.id ? { team: body.team.id } : {}),
    user: body.user.id,
    ...(respond ? { respond } : {}),
    ...(containerThread(body) ? { thread: containerThread(body)! } : {}),
  });

  /** What a button says, in the core's words; undefined for a value our buttons never send. */
  const actionOf = (id: string, value: string | undefined): InboundAction | undefined => {
    if (ACTION.open.test(id) || id === ACTION.share) return value ? { type: 'card', concept: value } : undefined;
    if (ACTION.quizOn.test(id)) {
      const v = decodeQuizOn(value);
      return v && { type: 'run', command: v.cmd };
    }
    if (ACTION.answer.test(id)) {
      const v = decodeAnswer(value);
      return v && { type: 'answer', question: v.q, value: v.a };
    }
    const drill = decodeDrill(value);
    if (!drill) return undefined;
    if (ACTION.pick.test(id)) return drill.l === undefined ? undefined : { type: 'pick', question: drill.q, label: drill.l };
    if (id === ACTION.undo) return { type: 'undo', question: drill.q };
    if (id === ACTION.submit) return { type: 'submit', question: drill.q };
    return undefined;
  };

  // Every button in one listener that routes on action_id: one Bolt chain per press.
  app.action<BlockAction<ButtonAction>>(ACTION.any, async ({ ack, body, action }: ButtonArgs) => {
    await ack();
    const respond = responder(body.response_url);
    const where = buttonWhere(body, respond);
    const id = action.action_id;
    await guarded(id, where, async () => {
      const inbound = actionOf(id, action.value);
      if (!inbound) return delivery.deliver([forgedNotice()], where);
      if (id === ACTION.share) return share(pressed(body, inbound), where, body, action.value ?? '');
      if (inbound.type === 'submit' && isEphemeral(body)) await respond({ replace_original: true, text: '제출 / Submitted', blocks: [] });
      const outcome = await tutor.receive(pressed(body, inbound));
      if (outcome.picker) {
        const [message] = renderReply(
          { kind: 'quiz', visibility: 'private', markdown: '', quiz: outcome.picker.quiz },
          { picked: outcome.picker.picks },
        );
        if (!message) return;
        // On a shared question the presser gets a personal copy; on their own copy it updates in place.
        return respond(
          isEphemeral(body) ? { replace_original: true, ...message } : { response_type: 'ephemeral', replace_original: false, ...message },
        );
      }
      const at = outcome.where;
      const to: Where = at
        ? { ...where, channel: at.channel, ...(at.thread ? { thread: at.thread } : {}) }
        : inbound.type === 'card'
          ? { ...where, thread: undefined }
          : where;
      if (outcome.replies.length) await delivery.deliver(outcome.replies, to);
    });
  });

  /** "Share to channel": the same card, posted for everyone, without the share button. */
  const share = async (event: InboundEvent, where: Where, body: BlockAction, concept: string) => {
    const outcome = await tutor.receive(event);
    const card = outcome.replies.find((r) => r.card?.id === concept);
    if (!card) return delivery.deliver(outcome.replies, where);
    try {
      await delivery.postMessages(
        where.team,
        where.channel,
        renderReply(card, { sharedBy: body.user.name ?? body.user.username ?? body.user.id }),
      );
    } catch (err) {
      if (!isSlackError(err, NOT_IN_CHANNEL)) throw err;
      await delivery.deliver([inviteNotice()], where);
    }
  };

  app.error(async (err) => {
    log.error({ err, code: (err as { code?: string }).code }, 'slack app error');
  });
}

const NOT_IN_CHANNEL = ['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action'];

function containerThread(body: BlockAction): string | undefined {
  const c = body.container as { thread_ts?: string } | undefined;
  return c?.thread_ts ?? body.message?.thread_ts;
}

function isEphemeral(body: BlockAction): boolean {
  return Boolean((body.container as { is_ephemeral?: boolean } | undefined)?.is_ephemeral);
}

export function isSlackError(err: unknown, codes: string[]): boolean {
  const code = (err as { data?: { error?: string } })?.data?.error;
  return typeof code === 'string' && codes.includes(code);
}

function busyNotice(): Reply {
  return {
    kind: 'notice',
    code: 'slack.busy',
    visibility: 'private',
    markdown: '지금 요청이 너무 많아요. 잠시 뒤에 다시 해 주세요.\nToo many requests right now; please try again in a moment.',
  };
}

export function inviteNotice(): Reply {
  return {
    kind: 'notice',
    code: 'slack.notInChannel',
    visibility: 'private',
    markdown:
      '이 채널에 글을 쓸 수 없어요. `/invite @k8s-tutor` 로 봇을 초대해 주세요.\nI cannot post in this channel. Invite me with `/invite @k8s-tutor`.',
  };
}
