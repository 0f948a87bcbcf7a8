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
import type { Logger } from '../../src/logger.js';
import type { IncomingMessage } from '../../src/message.js';
import { isRunnableActionCommand } from '../../src/commands/actionCommand.js';
import type { Reply } from '../../src/reply.js';
import type { Tutor } from '../../src/tutor.js';
import type { Autocomplete } from './autocomplete.js';
import { commandText, expectsPrivate, toCommand, type SlashInput } from './commands.js';
import { decodeAction } from './customId.js';
import { LIMITS, clip, type DiscordMessage } from './limits.js';
import type { LiveQuestion, QuestionBook } from './questions.js';
import { answerText, pickerMessage, picksWanted, renderReply } from './render.js';
import { Responder, interactionOptions } from './responder.js';
import type { RoundThreads } from './rounds.js';
import type { Sender, Where } from './send.js';

export interface InteractionContext {
  tutor: Tutor;
  log: Logger;
  book: QuestionBook;
  rounds: RoundThreads;
  sender: Sender;
  autocomplete: Autocomplete;
  /** Defer an interaction whose answer is not ready by then (Discord's own limit is 3 s). */
  deferAfterMs: number;
}

/** Replies that mean "no question took this answer": the core looked it up, or the quiz had nothing open here. */
const LOOKUP_KINDS = new Set(['card', 'didYouMean', 'miss', 'help']);
const NOTHING_OPEN = new Set(['quiz.noQuestion', 'quiz.round.elsewhere']);
const nothingOpen = (r: Reply) => LOOKUP_KINDS.has(r.kind) || NOTHING_OPEN.has(r.code ?? '');

const STALE: DiscordMessage = {
  content: '이 문제는 이미 끝났어요 (라운드가 끝났거나 봇이 다시 시작됐어요). `/quiz solo` 나 `/quiz start` 로 새 문제를 받아 보세요.\nThis question is over (the round ended or the bot restarted). Try `/quiz solo` or `/quiz start` for a new one.',
  ephemeral: true,
};

export function whereOf(i: { channel: Interaction['channel']; channelId: string | null; guildId: string | null }, rounds: RoundThreads): Where {
  const ch = i.channel;
  if (ch?.isThread()) return { channel: ch.parentId ?? rounds.parentOf(ch.id) ?? ch.id, thread: ch.id, workspace: i.guildId ?? undefined };
  return { channel: i.channelId ?? 'unknown', workspace: i.guildId ?? undefined };
}

function messageOf(i: RepliableInteraction | AutocompleteInteraction, where: Where, text: string): IncomingMessage {
  const member = i.member && 'displayName' in i.member ? i.member.displayName : undefined;
  return {
    platform: 'discord',
    user: { id: i.user.id, name: member ?? i.user.globalName ?? i.user.username },
    channel: { id: where.channel, direct: !i.inGuild() },
    ...(where.workspace ? { workspace: where.workspace } : {}),
    ...(where.thread ? { thread: where.thread } : {}),
    text,
    canManage: Boolean(i.memberPermissions?.any([PermissionFlagsBits.ManageGuild, PermissionFlagsBits.ManageChannels])),
    raw: i,
  };
}

/** Sends the core's replies for one interaction: round replies into the round's thread, the rest as the interaction's answer. */
async function deliver(ctx: InteractionContext, responder: Responder, where: Where, user: string, replies: Reply[]): Promise<void> {
  const bound = replies.filter((r) => ctx.sender.isRoundBound(where, r));
  const rest = replies.filter((r) => !bound.includes(r));
  let thread: string | undefined;
  let ended = false;
  for (const reply of bound) {
    thread = await ctx.sender.post(where, reply);
    ended ||= Boolean(reply.scoreboard?.final);
  }
  let first = true;
  for (const reply of rest) {
    const live = reply.quiz ? ctx.book.open({ quiz: reply.quiz, channel: where.channel, thread: where.thread, workspace: where.workspace, owner: reply.visibility === 'private' ? user : undefined }) : undefined;
    if (reply.grade) ctx.book.graded(reply.grade);
    for (const m of renderReply(reply, live)) {
      if (first && thread && thread !== where.thread && m.content !== undefined && m.content.length < LIMITS.content - 40) m.content += `\n🧩 <#${thread}>`;
      first = false;
      await responder.send(m);
    }
  }
  if (!responder.answered) {
    const started = thread && thread !== where.thread && !ended;
    await responder.send(
      started
        ? { content: `🧩 팀 퀴즈가 시작됐어요! 스레드에서 답해 주세요. / A team round started: answer in the thread → <#${thread}>`, ephemeral: false }
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
  const where = whereOf(i, ctx.rounds);
  const responder = new Responder(i, ctx.log);
  responder.deferAfter(ctx.deferAfterMs, expectsPrivate(cmd));
  const replies = await ctx.tutor.run(cmd, messageOf(i, where, commandText(cmd)));
  await deliver(ctx, responder, where, i.user.id, replies);
}

async function onAutocomplete(ctx: InteractionContext, i: AutocompleteInteraction): Promise<void> {
  const focused = i.options.getFocused(true);
  const choices = focused.name === 'query' ? ctx.autocomplete.choices(String(focused.value ?? '')) : [];
  await i.respond(choices);
}

async function answer(ctx: InteractionContext, responder: Responder, i: RepliableInteraction, live: LiveQuestion, text: string): Promise<void> {
  const where: Where = { channel: live.channel, thread: live.thread, workspace: live.workspace };
  const replies = await ctx.tutor.handle(messageOf(i, where, text));
  // The engine no longer had this question open, so the core looked the text up instead.
  if (replies.length > 0 && replies.every(nothingOpen)) {
    ctx.book.close(live.key);
    await responder.send(STALE);
    return;
  }
  await deliver(ctx, responder, where, i.user.id, replies);
}

async function onButton(ctx: InteractionContext, i: ButtonInteraction): Promise<void> {
  const action = decodeAction(i.customId);
  const responder = new Responder(i, ctx.log);
  if (!action) return responder.send(STALE);
  if (action.type === 'card') {
    if (!ctx.tutor.knowledge.byId.has(action.concept)) return responder.send(STALE);
    responder.deferAfter(ctx.deferAfterMs, true);
    const where = whereOf(i, ctx.rounds);
    const replies = await ctx.tutor.run({ name: 'lookup', query: action.concept }, messageOf(i, where, `/k8s ${action.concept}`));
    return deliver(ctx, responder, where, i.user.id, replies);
  }
  if (action.type === 'command') return isRunnableActionCommand(action.command) ? onCommandButton(ctx, responder, i, action.command) : responder.send(STALE);
  const live = ctx.book.get(action.key);
  if (!live || (live.owner && live.owner !== i.user.id)) return responder.send(STALE);
  switch (action.type) {
    case 'answer': {
      const text = answerText(live.quiz, action.index);
      if (!text) return responder.send(STALE);
      responder.deferAfter(ctx.deferAfterMs, !live.thread);
      return answer(ctx, responder, i, live, text);
    }
    case 'recall':
      return i.showModal({
        title: clip(`답 적기 · Answer${live.quiz.number ? ` ${live.quiz.number}` : ''}`, LIMITS.modalTitle),
        custom_id: `recm:${live.key}`,
        components: [{ type: 1, components: [{ type: 4, custom_id: 'answer', label: '답 / Answer', style: 1, min_length: 1, max_length: 200, required: true }] }],
      });
    case 'orderPick':
    case 'order': {
      const picks = ctx.book.pickedBy(live.key, i.user.id);
      if (action.type === 'order' && action.step === 'open') return responder.send(pickerMessage(live, picks));
      if (action.type === 'orderPick') {
        if (action.index < live.quiz.items.length && !picks.includes(action.index) && picks.length < (picksWanted(live.quiz) ?? live.quiz.items.length)) ctx.book.setPicks(live.key, i.user.id, [...picks, action.index]);
        return void (await i.update(interactionOptions(pickerMessage(live, ctx.book.pickedBy(live.key, i.user.id)))));
      }
      if (action.step === 'undo') {
        ctx.book.setPicks(live.key, i.user.id, picks.slice(0, -1));
        return void (await i.update(interactionOptions(pickerMessage(live, ctx.book.pickedBy(live.key, i.user.id)))));
      }
      if (picks.length !== (picksWanted(live.quiz) ?? live.quiz.items.length)) return void (await i.update(interactionOptions(pickerMessage(live, picks))));
      const text = picks.map((p) => live.quiz.items[p]!.label).join(' ');
      ctx.book.setPicks(live.key, i.user.id, []);
      await i.update({ content: `제출했어요 / Submitted: **${text}**`, embeds: [], components: [], allowedMentions: { parse: [] } });
      responder.acknowledged();
      return answer(ctx, responder, i, live, text);
    }
    default:
      return responder.send(STALE);
  }
}


/**
 * A reply's action button (the daily post's "quiz me", docs/daily.md): its command runs as if the
 * presser had typed it in that channel, and every reply is theirs alone, so the one-question quiz
 * is private and a second presser gets a question of their own.
 */
async function onCommandButton(ctx: InteractionContext, responder: Responder, i: ButtonInteraction, command: string): Promise<void> {
  responder.deferAfter(ctx.deferAfterMs, true);
  const where = whereOf(i, ctx.rounds);
  const replies = await ctx.tutor.handle(messageOf(i, where, command));
  const mine = replies.map((r): Reply => ({ ...r, visibility: 'private' }));
  return deliver(ctx, responder, where, i.user.id, mine);
}

async function onModal(ctx: InteractionContext, i: ModalSubmitInteraction): Promise<void> {
  const action = decodeAction(i.customId);
  const responder = new Responder(i, ctx.log);
  const live = action?.type === 'recallModal' ? ctx.book.get(action.key) : undefined;
  if (!live || (live.owner && live.owner !== i.user.id)) return responder.send(STALE);
  const text = i.fields.getTextInputValue('answer').slice(0, 200);
  responder.deferAfter(ctx.deferAfterMs, !live.thread);
  return answer(ctx, responder, i, live, text);
}

/** One interaction, any kind. Never throws: a failure is logged and, when still possible, answered politely. */
export async function handleInteraction(ctx: InteractionContext, i: Interaction): Promise<void> {
  try {
    if (i.isAutocomplete()) return await onAutocomplete(ctx, i);
    if (i.isChatInputCommand()) return await onSlash(ctx, i);
    if (i.isButton()) return await onButton(ctx, i);
    if (i.isModalSubmit()) return await onModal(ctx, i);
    if (i.isRepliable()) return await new Responder(i, ctx.log).send(STALE);
  } catch (err) {
    ctx.log.error({ err, interaction: i.id, type: i.type }, 'interaction failed');
    const content = '앗, 처리하다가 문제가 생겼어요. 잠시 뒤에 다시 시도해 주세요.\nSorry, something went wrong; please try again.';
    if (i.isRepliable() && !i.replied && !i.deferred) await i.reply({ content, flags: 64, allowedMentions: { parse: [] } }).catch(() => undefined);
    else if (i.isRepliable() && i.deferred && !i.replied) await i.editReply({ content, allowedMentions: { parse: [] } }).catch(() => undefined);
  }
}
