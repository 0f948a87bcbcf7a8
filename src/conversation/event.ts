import type { Command } from '../commands/parse.js';
import type { QuizView, Reply } from '../reply.js';

/**
 * The inbound contract. An adapter verifies a platform event and parses it into this; everything
 * that decides what it means (an answer to this thread's open question, chatter, a command, a
 * lookup, a stale or forged button) happens in the core (conversation.ts), once for every platform.
 */
export interface ConversationRef {
  platform: string;
  /** Slack team or Discord guild. */
  workspace?: string | undefined;
  /** The channel; for a message in a thread, the channel the thread hangs off. */
  channel: string;
  channelName?: string | undefined;
  /** The thread the event came from (a Slack ts, a Discord thread channel id). */
  thread?: string | undefined;
  /** A direct message with the bot. */
  direct?: boolean | undefined;
}

export interface Actor {
  id: string;
  name?: string | undefined;
  /**
   * May manage this channel (Slack: workspace admins and owners, SLACK_ADMIN_USERS; Discord: Manage
   * Guild or Manage Channels). A function when asking costs a call: the core asks only when a rule needs it.
   */
  manager?: boolean | (() => Promise<boolean>) | undefined;
}

/** What a pressed button or a submitted form says. Values are input: the core checks each against its question. */
export type InboundAction =
  /** A choice, a class or a recall answer: `value` is a label, a 0-based index, or the typed recall text. */
  | { type: 'answer'; question: string; value: string }
  /** A drill's step picker: add a label, take the last one back, or show the picker. */
  | { type: 'pick'; question: string; label: string }
  | { type: 'undo'; question: string }
  | { type: 'picker'; question: string }
  /** Submits a drill: the labels the button carries, or (absent) the picks the core kept. */
  | { type: 'submit'; question: string; labels?: string[] | undefined }
  /** Opens (or shares) a concept card. */
  | { type: 'card'; concept: string }
  /** A reply action's command (ReplyAction.command), run for the presser. */
  | { type: 'run'; command: string };

export type Inbound =
  /** A typed line. `addressed`: the bot was mentioned, or it is a DM or the terminal (it is meant for the bot). */
  | { type: 'line'; text: string; addressed: boolean }
  /** A slash command: parsed already (Discord's options, with `text` as it reads typed) or as typed (`/k8s quiz start`). */
  | { type: 'command'; command: Command | string; text?: string | undefined }
  | { type: 'action'; action: InboundAction };

export interface InboundEvent {
  conversation: ConversationRef;
  actor: Actor;
  /** The platform's id for this delivery (Slack event_id or trigger_id, Discord message or interaction id): a retry repeats it. */
  id?: string | undefined;
  input: Inbound;
  /** The platform event, as an escape hatch; the core never reads it. */
  raw?: unknown;
}

/**
 * What the core decided. `replied`: render `replies`. The other outcomes mean "say nothing more":
 * `ignored` (chatter, a line not meant for the bot), `duplicate` (a platform retry), `limited`
 * (the limit check answered). `stale` and `forged` come with one private notice in `replies`.
 */
export type Verdict = 'replied' | 'ignored' | 'duplicate' | 'stale' | 'forged' | 'limited';

export interface Outcome {
  verdict: Verdict;
  replies: Reply[];
  /** For picker actions: the question as shown and the presser's picks so far, to draw the picker again. */
  picker?: { quiz: QuizView; picks: string[]; wanted: number } | undefined;
  /** Where the question the action answered lives (its channel and thread), so replies go there. */
  where?: ConversationRef | undefined;
}

/**
 * The one place a limit check goes (issue 11, item 4): called for every inbound event after the
 * platform-retry dedupe and before anything else. Undefined lets the event through; replies (a
 * friendly notice, or none for silence) stop it there.
 */
export type Admission = (event: InboundEvent) => Promise<Reply[] | undefined> | Reply[] | undefined;
