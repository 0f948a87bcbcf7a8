import {
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
  type ModalSubmitInteraction,
  type RepliableInteraction,
} from 'discord.js';
import type { Command } from '../../src/commands/parse.js';
import type { ConversationRef, Inbound, InboundAction, Outcome } from '../../src/conversation/event.js';
import type { Logger } from '../../src/logger.js';
import type { Reply } from '../../src/reply.js';
import type { Tutor } from '../../src/tutor.js';
import type { Autocomplete } from './autocomplete.js';
import { choicesCallback, postCallback } from './callback.js';
import { commandText, expectsPrivate, toCommand, type SlashInput } from './commands.js';
import { decodeAction, type Action } from './customId.js';
import { LIMITS, clip, type DiscordMessage } from './limits.js';
import { pickerMessage, renderReply } from './render.js';
import { Responder, interactionOptions } from './responder.js';
import type { Sender, Where } from './send.js';

export interface InteractionContext {
  tutor: Tutor;
  log: Logger;
  sender: Sender;
  autocomplete: Autocomplete;
  /** Defer an interaction whose answer is not ready by then (Discord's own limit is 3 s). */
  deferAfterMs: number;
}

/** An interaction whose custom id is not one of ours: nothing runs. */
const UNKNOWN: DiscordMessage = {
  content:
    '이 버튼은 더 이상 쓸 수 없어요. `/quiz solo` 나 `/quiz start` 로 새 문제를 받아 보세요.\nThis button no longer works. Try `/quiz solo` or `/quiz start` for a new one.',
  ephemeral: true,
};

/** The channel an HTTP interaction named, as Discord sent it (only `id`, `type` and `parent_id` are read). */
export interface RawChannel {
  id: string;
  type: number;
  parent_id?: string;
}

/** Thread channel types: announcement, public and private threads. */
const THREAD_TYPES = new Set([10, 11, 12]);

/**
 * Interactions whose channel discord.js could not build (no gateway, so no guild in its cache): the
 * channel from the payload. Weak: an entry goes with its interaction.
 */
export const rawChannels = new WeakMap<object, RawChannel>();

export function whereOf(i: { channel: Interaction['channel']; channelId: string | null; guildId: string | null }): Where {
  const ch = i.channel;
  if (ch?.isThread()) return { channel: ch.parentId ?? ch.id, thread: ch.id, workspace: i.guildId ?? undefined };
  const raw = ch ? undefined : rawChannels.get(i);
  if (raw && THREAD_TYPES.has(raw.type)) return { channel: raw.parent_id ?? raw.id, thread: raw.id, workspace: i.guildId ?? undefined };
  return { channel: i.channelId ?? 'unknown', workspace: i.guildId ?? undefined };
}

/** The interaction in the core's terms: where, who (a manager has Manage Guild or Manage Channels), what. */
function receive(ctx: InteractionContext, i: RepliableInteraction, where: Where, input: Inbound): Promise<Outcome> {
  const member = i.member && 'displayName' in i.member ? i.member.displayName : undefined;
  const conversation: ConversationRef = {
    platform: 'discord',
    channel: where.channel,
    ...(where.workspace ? { workspace: where.workspace } : {}),
    ...(where.thread ? { thread: where.thread } : {}),
    direct: !i.inGuild(),
  };
  return ctx.tutor.receive({
    conversation,
    actor: {
      id: i.user.id,
      name: member ?? i.user.globalName ?? i.user.username,
      manager: Boolean(i.memberPermissions?.any([PermissionFlagsBits.ManageGuild, PermissionFlagsBits.ManageChannels])),
    },
    id: i.id,
    input,
    raw: i,
  });
}

/** Sends the core's replies for one interaction: round replies into the round's thread, the rest as the interaction's answer. */
async function deliver(ctx: InteractionContext, responder: Responder, where: Where, replies: Reply[]): Promise<void> {
  const bound = replies.filter((r) => ctx.sender.isRoundBound(r));
  const rest = replies.filter((r) => !bound.includes(r));
  let thread: string | undefined;
  let ended = false;
  for (const reply of bound) {
    thread = await ctx.sender.post(where, reply);
    ended ||= Boolean(reply.scoreboard?.final);
  }
  let first = true;
  for (const reply of rest) {
    for (const m of renderReply(reply, where.thread)) {
      // Rendered messages may be shared (cached cards): the link goes on a copy.
      const linked =
        first && thread && thread !== where.thread && m.content !== undefined && m.content.length < LIMITS.content - 40
          ? { ...m, content: `${m.content}\n🧩 <#${thread}>` }
          : m;
      first = false;
      await responder.send(linked);
    }
  }
  if (!responder.answered) {
    const started = thread && thread !== where.thread && !ended;
    await responder.send(
      started
        ? {
            content: `🧩 팀 퀴즈가 시작됐어요! 스레드에서 답해 주세요. / A team round started: answer in the thread → <#${thread}>`,
            ephemeral: false,
          }
        : { content: ended ? '🏁 라운드가 끝났어요. / The round is over.' : '✅', ephemeral: !ended },
    );
  }
  await responder.settled();
}

function flatten(options: readonly CommandInteractionOption[]): { sub?: string; values: SlashInput['values'] } {
  const sub = options.find((o) => o.type === 1);
  const list = sub ? (sub.options ?? []) : options;
  return { ...(sub ? { sub: sub.name } : {}), values: Object.fromEntries(list.map((o) => [o.name, o.value])) };
}

async function onSlash(ctx: InteractionContext, i: ChatInputCommandInteraction): Promise<void> {
  const { sub, values } = flatten(i.options.data);
  const cmd: Command = toCommand({ command: i.commandName, sub, values });
  const where = whereOf(i);
  const responder = new Responder(i, ctx.log);
  responder.deferAfter(ctx.deferAfterMs, expectsPrivate(cmd));
  const outcome = await receive(ctx, i, where, { type: 'command', command: cmd, text: commandText(cmd) });
  await deliver(
    ctx,
    responder,
    outcome.where ? { channel: outcome.where.channel, thread: outcome.where.thread, workspace: outcome.where.workspace } : where,
    outcome.replies,
  );
}

async function onAutocomplete(ctx: InteractionContext, i: AutocompleteInteraction): Promise<void> {
  const focused = i.options.getFocused(true);
  const body = focused.name === 'query' ? ctx.autocomplete.callback(String(focused.value ?? '')) : choicesCallback([]);
  await postCallback(i, body);
  i.responded = true;
}

/** What a custom id asks the core, in its words. */
function inboundOf(action: Action): InboundAction | undefined {
  switch (action.type) {
    case 'card':
      return { type: 'card', concept: action.concept };
    case 'command':
      return { type: 'run', command: action.command };
    case 'answer':
      return { type: 'answer', question: action.key, value: String(action.index) };
    case 'orderPick':
      return { type: 'pick', question: action.key, label: String(action.index) };
    case 'order':
      return action.step === 'open'
        ? { type: 'picker', question: action.key }
        : action.step === 'undo'
          ? { type: 'undo', question: action.key }
          : { type: 'submit', question: action.key };
    default:
      return undefined;
  }
}

async function onButton(ctx: InteractionContext, i: ButtonInteraction): Promise<void> {
  const action = decodeAction(i.customId);
  const responder = new Responder(i, ctx.log);
  if (!action) return responder.send(UNKNOWN);
  if (action.type === 'recall') {
    // The form is Discord's own; what is typed in it comes back as an answer (onModal) and the core checks it then.
    return i.showModal({
      title: clip('답 적기 · Answer', LIMITS.modalTitle),
      custom_id: `recm:${action.key}`,
      components: [
        {
          type: 1,
          components: [{ type: 4, custom_id: 'answer', label: '답 / Answer', style: 1, min_length: 1, max_length: 200, required: true }],
        },
      ],
    });
  }
  const inbound = inboundOf(action);
  if (!inbound) return responder.send(UNKNOWN);
  const picking = inbound.type === 'pick' || inbound.type === 'undo' || inbound.type === 'picker' || inbound.type === 'submit';
  // Presses on a player's own picker update it in place; "pick the order" on a public question opens one.
  const own = picking && !(action.type === 'order' && action.step === 'open');
  if (!picking) responder.deferAfter(ctx.deferAfterMs, true);
  const where = whereOf(i);
  const outcome = await receive(ctx, i, where, { type: 'action', action: inbound });
  if (outcome.picker) {
    const { quiz, picks } = outcome.picker;
    const message = pickerMessage(
      { key: quiz.questionId, quiz },
      picks.map((l) => quiz.items.findIndex((it) => it.label === l)),
    );
    // The player's own picker updates in place; a public question opens one for them.
    if (own) return void (await i.update(interactionOptions(message)));
    return responder.send(message);
  }
  if (inbound.type === 'submit' && own && outcome.verdict === 'replied') {
    await i.update({ content: '제출했어요 / Submitted', embeds: [], components: [], allowedMentions: { parse: [] } });
    responder.acknowledged();
  }
  const at = outcome.where;
  return deliver(ctx, responder, at ? { channel: at.channel, thread: at.thread, workspace: at.workspace } : where, outcome.replies);
}

async function onModal(ctx: InteractionContext, i: ModalSubmitInteraction): Promise<void> {
  const action = decodeAction(i.customId);
  const responder = new Responder(i, ctx.log);
  if (action?.type !== 'recallModal') return responder.send(UNKNOWN);
  responder.deferAfter(ctx.deferAfterMs, true);
  const text = i.fields.getTextInputValue('answer').slice(0, 200);
  const outcome = await receive(ctx, i, whereOf(i), { type: 'action', action: { type: 'answer', question: action.key, value: text } });
  const at = outcome.where;
  return deliver(ctx, responder, at ? { channel: at.channel, thread: at.thread, workspace: at.workspace } : whereOf(i), outcome.replies);
}

/** One interaction, any kind. Never throws: a failure is logged and, when still possible, answered politely. */
export async function handleInteraction(ctx: InteractionContext, i: Interaction): Promise<void> {
  try {
    if (i.isAutocomplete()) return await onAutocomplete(ctx, i);
    if (i.isChatInputCommand()) return await onSlash(ctx, i);
    if (i.isButton()) return await onButton(ctx, i);
    if (i.isModalSubmit()) return await onModal(ctx, i);
    if (i.isRepliable()) return await new Responder(i, ctx.log).send(UNKNOWN);
  } catch (err) {
    ctx.log.error({ err, interaction: i.id, type: i.type }, 'interaction failed');
    const content = '앗, 처리하다가 문제가 생겼어요. 잠시 뒤에 다시 시도해 주세요.\nSorry, something went wrong; please try again.';
    if (i.isRepliable() && !i.replied && !i.deferred)
      await i.reply({ content, flags: 64, allowedMentions: { parse: [] } }).catch(() => undefined);
    else if (i.isRepliable() && i.deferred && !i.replied)
      await i.editReply({ content, allowedMentions: { parse: [] } }).catch(() => undefined);
  }
}
