import { parseCommand, type Command, type CommandName } from './commands/parse.js';
import { helpReply } from './commands/help.js';
import { asTutorError, TutorError } from './errors.js';
import { looksLikePaste } from './explain/detect.js';
import { LiveKnowledge } from './knowledge/live.js';
import type { KnowledgeBase } from './knowledge/types.js';
import { detectLang, escapeMarkdown } from './lang.js';
import { currentCorrelationId, withCorrelation, type Logger } from './logger.js';
import { lookupReply } from './lookup/replies.js';
import { LruPerOwner } from './lru.js';
import type { Conversation } from './conversation/conversation.js';
import type { InboundEvent, Outcome } from './conversation/event.js';
import type { IncomingMessage } from './message.js';
import { metrics } from './metrics.js';
import type { PostTarget, Reply } from './reply.js';
import type { SearchIndex, SearchOutcome } from './search/engine.js';

/** Recent lookups kept (per notes version): a few hundred KB at most. */
const LOOKUPS_KEPT = 2_000;
/** Longer text (a pasted log, a whole sentence) is rarely asked twice and is not kept. */
const MAX_KEPT_QUERY = 200;

/** An outcome shared between answers cannot be changed by one of them (the concepts themselves are the notes'). */
function frozenOutcome(outcome: SearchOutcome): SearchOutcome {
  for (const hit of outcome.hits) Object.freeze(hit);
  Object.freeze(outcome.hits);
  return Object.freeze(outcome);
}

export type Handler<C extends Command = Command> = (cmd: C, msg: IncomingMessage) => Promise<Reply[]> | Reply[];

/** A slice of behaviour (the quiz, daily posts) that plugs its commands into the router. */
export interface Feature {
  name: string;
  commands?: { [K in CommandName]?: Handler<Extract<Command, { name: K }>> };
  /** Offered every bare line first; returns replies when the line answers an open question. */
  onText?(msg: IncomingMessage): Promise<Reply[] | undefined> | Reply[] | undefined;
  /** A note put before the replies to any message (e.g. "your reminder was switched off"), once. */
  aside?(msg: IncomingMessage): Promise<Reply | undefined>;
  /** Called once at shutdown: save state, stop timers. */
  close?(): Promise<void> | void;
}

/** Sends a reply that is not an answer to a message (a round's timer, a daily post). Set by the runtime. */
export type Outbox = (target: PostTarget, reply: Reply) => Promise<void>;

export type TutorDeps = {
  log: Logger;
  features?: Feature[];
} & (
  | { knowledge: KnowledgeBase; index: SearchIndex }
  /** Notes that may be reloaded while the bot runs: read at each use. */
  | { live: LiveKnowledge }
);

export class Tutor {
  readonly live: LiveKnowledge;
  private readonly log: Logger;
  private readonly features: Feature[];
  private accepting = true;
  private pending = 0;
  private idleWaiters: (() => void)[] = [];
  /** Kept with the index they came from (weakly: a replaced index and its outcomes go together). */
  private readonly looked = new LruPerOwner<SearchIndex, string, SearchOutcome>(LOOKUPS_KEPT);
  /** The conversation layer (src/conversation), set by createApp: where adapters send every inbound event. */
  conversation: Conversation | undefined;

  constructor(deps: TutorDeps) {
    this.live = 'live' in deps ? deps.live : new LiveKnowledge(deps.knowledge, deps.index);
    this.log = deps.log;
    this.features = deps.features ?? [];
  }

  /** The current notes: after a reload, the new ones. */
  get knowledge(): KnowledgeBase {
    return this.live.kb;
  }

  get index(): SearchIndex {
    return this.live.index;
  }

  /**
   * What a query finds. People ask for the same few concepts again and again (the day's concept, etcd,
   * pod), so recent outcomes are kept per index (a reload starts afresh) and shared, frozen.
   */
  lookup(query: string, limit = 5): SearchOutcome {
    const index = this.index;
    const kept = this.looked.of(index);
    const key = `${limit}\u0000${query}`;
    let outcome = kept.get(key);
    if (!outcome) {
      const end = metrics.searchSeconds.startTimer();
      outcome = frozenOutcome(index.search(query, limit));
      end();
      if (query.length <= MAX_KEPT_QUERY) kept.set(key, outcome);
    }
    metrics.searchResults.inc({ verdict: outcome.verdict });
    return outcome;
  }

  /** Parses and runs a message. Never throws: a failing handler becomes a polite error reply. */
  async handle(msg: IncomingMessage): Promise<Reply[]> {
    const text = typeof msg.text === 'string' ? msg.text : '';
    return this.run(parseCommand(text.length > 20_000 ? text.slice(0, 20_000) : text), msg);
  }

  /**
   * The inbound entry point for adapters: a platform event in the neutral form (src/conversation/event.ts),
   * decided by the conversation layer. Never throws.
   */
  async receive(event: InboundEvent): Promise<Outcome> {
    if (!this.conversation) throw new TutorError('internal', 'Tutor.receive needs the conversation layer: build the tutor with createApp.');
    return this.conversation.receive(event);
  }

  async run(cmd: Command, msg: IncomingMessage): Promise<Reply[]> {
    // An adapter names the event (its id) at its entry; an event that arrives without one gets one here.
    if (!currentCorrelationId()) return withCorrelation(undefined, () => this.run(cmd, msg));
    metrics.commands.inc({ platform: msg.platform, kind: cmd.name });
    return (
      (await this.guard(
        msg,
        async () => {
          const replies = await this.dispatch(cmd, msg);
          for (const f of this.features) {
            if (!f.aside) continue;
            // A note that cannot be read must not cost the answer itself.
            const note = await f.aside(msg).catch((err: unknown) => this.log.warn({ err, feature: f.name }, 'aside failed'));
            if (note) replies.unshift(note);
          }
          return replies;
        },
        cmd.name,
      )) ?? []
    );
  }

  /**
   * Runs one piece of work for a message the way every command runs: counted for a graceful
   * shutdown, refused politely while restarting, a failure logged and answered politely.
   */
  async guard<T extends Reply[] | undefined>(msg: IncomingMessage, work: () => Promise<T> | T, command = 'answer'): Promise<T | Reply[]> {
    if (!this.accepting) return [restartingReply()];
    this.pending += 1;
    try {
      return await work();
    } catch (err) {
      const error = asTutorError(err, 'handler.failed');
      this.log.error({ err: error, code: error.code, command, platform: msg.platform, channel: msg.channel.id }, 'command failed');
      return [errorReply(detectLang(msg.text))];
    } finally {
      this.pending -= 1;
      if (this.pending === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** At shutdown: new messages get a polite "restarting" notice instead of being started. */
  stopTaking(): void {
    this.accepting = false;
  }

  inFlight(): number {
    return this.pending;
  }

  /** Resolves true once no answer is in flight, false if `timeoutMs` passes first. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.pending === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private async dispatch(cmd: Command, msg: IncomingMessage): Promise<Reply[]> {
    if (cmd.name === 'text') {
      // Pasted output is read before open questions see it: it is never an answer.
      if (looksLikePaste(cmd.text) && this.features.some((f) => f.commands?.explain))
        return this.dispatch({ name: 'explain', text: cmd.text }, msg);
      for (const f of this.features) {
        const answered = await f.onText?.(msg);
        if (answered) return answered;
      }
      // Search and card in one synchronous run: a reload swaps between messages, never inside one.
      return [lookupReply(this.lookup(cmd.text), this.knowledge, detectLang(cmd.text))];
    }
    if (cmd.name === 'lookup') return [lookupReply(this.lookup(cmd.query), this.knowledge, detectLang(cmd.query))];
    if (cmd.name === 'help') return [helpReply()];
    for (const f of this.features) {
      const handler = f.commands?.[cmd.name] as Handler | undefined;
      if (handler) return handler(cmd, msg);
    }
    if (cmd.name === 'unknown') return [unknownReply(cmd.word)];
    return [unavailableReply(cmd.name)];
  }

  async close(): Promise<void> {
    for (const f of this.features) await f.close?.();
  }
}

function restartingReply(): Reply {
  return {
    kind: 'notice',
    code: 'bot.restarting',
    visibility: 'private',
    markdown: '튜터가 잠시 재시작하는 중이에요. 조금 뒤에 다시 물어봐 주세요.\nThe tutor is restarting. Please ask again in a moment.',
  };
}

export function errorReply(lang?: 'ko' | 'en'): Reply {
  const ko = '앗, 처리하다가 문제가 생겼어요. 잠시 뒤에 다시 시도해 주세요. 봇은 계속 동작합니다.';
  const en = 'Sorry, something went wrong while answering. Please try again in a moment; the bot is still running.';
  return { kind: 'error', code: 'internal', visibility: 'private', markdown: lang === 'en' ? `${en}\n${ko}` : `${ko}\n${en}` };
}

function unknownReply(word: string): Reply {
  const w = escapeMarkdown(word);
  return {
    kind: 'notice',
    code: 'command.unknown',
    visibility: 'private',
    markdown: `\`/${w}\` 명령은 없어요. \`/help\` 로 명령 목록을 볼 수 있어요.\nThere is no \`/${w}\` command. Type \`/help\` for the list.`,
  };
}

function unavailableReply(name: string): Reply {
  return {
    kind: 'notice',
    code: 'command.unavailable',
    visibility: 'private',
    markdown: `\`/${name}\` 기능은 아직 켜져 있지 않아요.\nThe \`/${name}\` feature is not switched on here.`,
  };
}
