import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs, types } from '@slack/bolt';
import { parseCommand } from '../../src/commands/parse.js';
import { isRunnableActionCommand } from '../../src/commands/actionCommand.js';
import { parseQuizArgs } from '../../src/quiz/args.js';
import type { Logger } from '../../src/logger.js';
import type { IncomingMessage } from '../../src/message.js';
import type { Reply } from '../../src/reply.js';
import { errorReply, type Tutor } from '../../src/tutor.js';
import { ACTION, decodeAnswer, decodeDrill, decodeQuizOn } from './actions.js';
import type { AnswerQueue } from './answerQueue.js';
import type { Delivery, Where } from './deliver.js';
import { plainFromSlack, stripBotMention } from './incoming.js';
import type { SeenIds } from './lru.js';
import { pickerSize, renderReply } from './render.js';
import { responder, type Respond } from './responseUrl.js';

export interface ListenerDeps {
  tutor: Tutor;
  log: Logger;
  delivery: Delivery;
  seen: SeenIds;
  queue: AnswerQueue;
  isManager: (userId: string) => Promise<boolean>;
  botUserId: () => string | undefined;
  /** The slash command, `/k8s` unless the manifest was changed. */
  command: string;
}

type AppMentionEvent = types.AppMentionEvent;
type GenericMessageEvent = types.GenericMessageEvent;
type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Wires Slack's inputs onto the one command language: the slash command, buttons, mentions, DMs, round threads. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const { tutor, log, delivery } = deps;

  /**
   * A retried request (X-Slack-Retry-Num, or a Socket Mode retry_attempt) carries the id of one already
   * answered: acknowledge it again, answer it once. Checked at the top of each of the three listeners
   * rather than as global middleware: Bolt runs every middleware and listener chain for every request,
   * so each one costs CPU on every command under load.
   */
  const firstTime = async (args: { body: unknown; context: { retryNum?: number; retryReason?: string }; ack?: () => Promise<void> }): Promise<boolean> => {
    const body = args.body as { event_id?: string; trigger_id?: string };
    const id = body.event_id ?? body.trigger_id;
    if (!id || deps.seen.first(id)) return true;
    if (args.ack) await args.ack();
    log.info({ id, retry: args.context.retryNum, reason: args.context.retryReason }, 'slack retry of a request already answered; skipped');
    return false;
  };

  /**
   * Queues a handler's work after the ack (acks first under a burst, see AnswerQueue); a failure is
   * logged and answered politely, never thrown to Bolt.
   */
  const guarded = async (what: string, where: Where, work: () => Promise<void>) => {
    const queued = deps.queue.push(() => runGuarded(what, where, work));
    if (!queued) {
      log.warn({ what, channel: where.channel, waiting: deps.queue.waiting }, 'slack answer queue full; answered busy');
      await delivery.deliver([busyNotice()], { ...where, mention: false, direct: false }).catch((err: unknown) => log.warn({ err }, 'could not send the busy notice'));
    }
  };

  const runGuarded = async (what: string, where: Where, work: () => Promise<void>) => {
    try {
      await work();
    } catch (err) {
      const notInChannel = isSlackError(err, ['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);
      if (notInChannel) log.warn({ err, what, channel: where.channel }, 'slack: cannot post in this channel');
      else log.error({ err, what, channel: where.channel, user: where.user }, 'slack handler failed');
      try {
        await delivery.deliver([notInChannel ? inviteNotice() : errorReply()], { ...where, mention: false, direct: false });
      } catch (err2) {
        log.warn({ err: err2, channel: where.channel }, 'could not tell the user about the failure');
      }
    }
  };

  const handle = async (msg: IncomingMessage, where: Where) => {
    if (parseCommand(msg.text).name === 'daily') msg.canManage = await deps.isManager(msg.user.id);
    await delivery.deliver(await tutor.handle(msg), where);
  };

  app.command(deps.command, async (args) => {
    const { command, ack } = args;
    if (!(await firstTime(args))) return;
    await ack();
    const respond = responder(command.response_url);
    const where: Where = { channel: command.channel_id, user: command.user_id, respond, direct: false };
    await guarded('command', where, async () => {
      const msg: IncomingMessage = {
        platform: 'slack',
        user: { id: command.user_id, name: command.user_name },
        channel: { id: command.channel_id, name: command.channel_name, direct: command.channel_name === 'directmessage' },
        workspace: command.team_id,
        text: `/k8s ${plainFromSlack(command.text)}`.trim(),
        raw: command,
      };
      if (!startsRound(msg.text) || msg.channel.direct) return handle(msg, where);
      // A team round lives in a thread: open it first so every question, answer and scoreboard the
      // core sends for this round (it keeps msg.thread) lands there, not in the channel.
      const parent = await delivery.openRound(command.channel_id, command.user_name || command.user_id);
      const replies = await tutor.handle({ ...msg, thread: parent });
      if (!replies.some((r) => r.quiz?.roundId)) await delivery.discardRound(command.channel_id, parent);
      await delivery.deliver(replies, where);
    });
  });

  const onMention = async (event: AppMentionEvent) => {
    if (!event.user) return;
    const thread = event.thread_ts ?? event.ts;
    const where: Where = { channel: event.channel, user: event.user, thread, mention: true };
    await guarded('mention', where, () =>
      handle(
        {
          platform: 'slack',
          user: { id: event.user! },
          channel: { id: event.channel },
          ...(event.team ? { workspace: event.team } : {}),
          ...(event.thread_ts ? { thread: event.thread_ts } : {}),
          text: plainFromSlack(stripBotMention(event.text, deps.botUserId())),
          raw: event,
        },
        where,
      ),
    );
  };

  const onMessage = async (message: GenericMessageEvent, body: unknown) => {
    if (message.subtype !== undefined || !message.user || typeof message.text !== 'string') return;
    const bot = deps.botUserId();
    // A mention in a round thread also arrives as app_mention; answer it there, once.
    if (bot && message.text.includes(`<@${bot}`)) return;
    const direct = message.channel_type === 'im';
    const thread = message.thread_ts;
    if (!direct && !delivery.isRoundThread(message.channel, thread)) return;
    const where: Where = { channel: message.channel, user: message.user, ...(thread ? { thread } : {}), direct };
    const team = (body as { team_id?: string }).team_id;
    await guarded(direct ? 'dm' : 'round thread', where, () =>
      handle(
        {
          platform: 'slack',
          user: { id: message.user },
          channel: { id: message.channel, direct },
          ...(team ? { workspace: team } : {}),
          ...(thread ? { thread } : {}),
          text: plainFromSlack(message.text as string),
          raw: message,
        },
        where,
      ),
    );
  };

  // Mentions and messages (DMs, round threads) in one listener: one chain per request instead of two.
  app.event(/^(app_mention|message)$/, async (args) => {
    if (!(await firstTime(args))) return;
    const event = args.event as AppMentionEvent | GenericMessageEvent;
    if (event.type === 'app_mention') await onMention(event);
    else await onMessage(event as GenericMessageEvent, args.body);
  });

  const buttonWhere = (body: BlockAction, respond: Respond | undefined): Where => ({
    channel: body.channel?.id ?? body.container?.channel_id ?? body.user.id,
    user: body.user.id,
    ...(respond ? { respond } : {}),
    ...(containerThread(body) ? { thread: containerThread(body)! } : {}),
  });

  const buttonMessage = (body: BlockAction, text: string, thread?: string): IncomingMessage => ({
    platform: 'slack',
    user: { id: body.user.id, name: body.user.username ?? body.user.name },
    channel: { id: body.channel?.id ?? body.user.id, ...(body.channel?.name ? { name: body.channel.name } : {}) },
    ...(body.team?.id ? { workspace: body.team.id } : {}),
    ...(thread ? { thread } : {}),
    text,
    raw: body,
  });

  // Related concepts, "did you mean" suggestions: open that card, privately.
  const buttons: [RegExp | string, (args: ButtonArgs) => Promise<void>][] = [];
  const onButton = (id: RegExp | string, handler: (args: ButtonArgs) => Promise<void>) => buttons.push([id, handler]);

  onButton(ACTION.open, async ({ ack, body, action }: ButtonArgs) => {
    await ack();
    const respond = responder(body.response_url);
    const where = buttonWhere(body, respond);
    await guarded('open card', where, async () => {
      await delivery.deliver(await tutor.run({ name: 'lookup', query: action.value ?? '' }, buttonMessage(body, action.value ?? '')), { ...where, thread: undefined });
    });
  });

  // "Share to channel": the same card, posted for everyone, without the share button.
  onButton(ACTION.share, async ({ ack, body, action }: ButtonArgs) => {
    await ack();
    const respond = responder(body.response_url);
    const where = buttonWhere(body, respond);
    await guarded('share card', where, async () => {
      const replies = await tutor.run({ name: 'lookup', query: action.value ?? '' }, buttonMessage(body, action.value ?? ''));
      const card = replies.find((r) => r.card?.id === action.value);
      if (!card) return delivery.deliver(replies, where);
      try {
        await delivery.postMessages(where.channel, renderReply(card, { sharedBy: body.user.name ?? body.user.username ?? body.user.id }));
      } catch (err) {
        if (!isSlackError(err, ['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action'])) throw err;
        await delivery.deliver([inviteNotice()], where);
      }
    });
  });

  // Ordering drills: each press re-renders the question for the presser with the order so far.
  const drillStep = (change: (picked: string[], label?: string) => string[]) => async ({ ack, body, action }: ButtonArgs) => {
    await ack();
    const respond = responder(body.response_url);
    const where = buttonWhere(body, respond);
    await guarded('drill step', where, async () => {
      const value = decodeDrill(action.value);
      const open = value && delivery.questions.get(value.q);
      if (!value || !open?.reply.quiz) return delivery.deliver([closedNotice()], where);
      const labels = open.reply.quiz.items.map((i) => i.label);
      const picked = change(value.p, value.l)
        .filter((l) => labels.includes(l))
        .slice(0, pickerSize(open.reply.quiz) ?? labels.length);
      const [message] = renderReply(open.reply, { picked });
      if (!message) return;
      // On a shared question, the presser gets a personal copy; on their own copy, it updates in place.
      await respond(isEphemeral(body) ? { replace_original: true, ...message } : { response_type: 'ephemeral', replace_original: false, ...message });
    });
  };
  onButton(ACTION.pick, drillStep((p, l) => (l && !p.includes(l) ? [...p, l] : p)));
  onButton(ACTION.undo, drillStep((p) => p.slice(0, -1)));

  onButton(ACTION.submit, async ({ ack, body, action }: ButtonArgs) => {
    await ack();
    const respond = responder(body.response_url);
    const where = buttonWhere(body, respond);
    await guarded('drill submit', where, async () => {
      const value = decodeDrill(action.value);
      const open = value && delivery.questions.get(value.q);
      if (!value || !open) return delivery.deliver([closedNotice()], where);
      const text = value.p.join(' ');
      if (isEphemeral(body)) await respond({ replace_original: true, text: `제출 / Submitted: ${value.p.join(' → ')}`, blocks: [] });
      await answer(open.channel, open.thread, body, text, where);
    });
  });

  onButton(ACTION.answer, async ({ ack, body, action }: ButtonArgs) => {
    await ack();
    const respond = responder(body.response_url);
    const where = buttonWhere(body, respond);
    await guarded('answer', where, async () => {
      const value = decodeAnswer(action.value);
      const open = value && delivery.questions.get(value.q);
      if (!value || !open) return delivery.deliver([closedNotice()], where);
      await answer(open.channel, open.thread, body, value.a, where);
    });
  });

  // A reply's "quiz me" (the daily post): the core's command, run for the presser, answered to them alone.
  onButton(ACTION.quizOn, async ({ ack, body, action }: ButtonArgs) => {
    await ack();
    const respond = responder(body.response_url);
    const where = buttonWhere(body, respond);
    await guarded('quiz on concept', where, async () => {
      const value = decodeQuizOn(action.value);
      // The value is ours (Slack only sends presses of our own buttons), but it is still input: only a solo quiz runs.
      if (!value || !isRunnableActionCommand(value.cmd)) return delivery.deliver([closedNotice()], where);
      const replies = await tutor.handle(buttonMessage(body, value.cmd, where.thread));
      await delivery.deliver(
        replies.map((r): Reply => ({ ...r, visibility: 'private' })),
        where,
      );
    });
  });

  // Every button in one listener that routes on action_id: one Bolt chain per press instead of seven.
  app.action<BlockAction<ButtonAction>>(ACTION.any, async (args: ButtonArgs) => {
    if (!(await firstTime(args))) return;
    const id = args.action.action_id;
    const route = buttons.find(([match]) => (typeof match === 'string' ? match === id : match.test(id)));
    if (route) await route[1](args);
    else await args.ack();
  });

  /** A pressed answer goes through the core exactly like a typed one, in the question's channel. */
  const answer = async (channel: string, thread: string | undefined, body: BlockAction, text: string, where: Where) => {
    const msg = buttonMessage(body, text, thread);
    msg.channel = { id: channel };
    await delivery.deliver(await tutor.handle(msg), { ...where, channel, ...(thread ? { thread } : {}) });
  };

  app.error(async (err) => {
    log.error({ err, code: (err as { code?: string }).code }, 'slack app error');
  });
}

/** `/k8s quiz start …` in the quiz's own words (start, round, team, 시작, 팀). */
function startsRound(text: string): boolean {
  const cmd = parseCommand(text);
  return cmd.name === 'quiz' && parseQuizArgs(cmd.args).action === 'start';
}

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

function closedNotice(): Reply {
  return {
    kind: 'notice',
    code: 'quiz.closed',
    visibility: 'private',
    markdown: '이 문제는 이미 끝났어요. `/quiz` 로 새 문제를 받아 보세요.\nThis question is closed. Use `/quiz` for a new one.',
  };
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
    markdown: '이 채널에 글을 쓸 수 없어요. `/invite @k8s-tutor` 로 봇을 초대해 주세요.\nI cannot post in this channel. Invite me with `/invite @k8s-tutor`.',
  };
}
