import type { App } from '../../src/app.js';
import type { ManualClock } from '../../src/clock.js';
import type { Admission } from '../../src/conversation/event.js';
import type { LimitSettings } from '../../src/conversation/limits.js';

/**
 * One platform, driven only at its network edge (the fake Slack and Discord servers, or the
 * terminal's streams), with the real core and the real quiz engine behind the real adapter. The
 * contract scenarios (scenarios.ts) speak in these terms, so each platform runs the same ones.
 */
export interface Button {
  label: string;
  /** The platform's id for it (Slack action_id and value, Discord custom_id), for forging a look-alike. */
  id: string;
  value?: string | undefined;
  disabled?: boolean | undefined;
  /** Presses it (as `user`) and returns what that person sees next. */
  press(user: string): Promise<Seen[]>;
}

/** What one person sees of one bot message, as text, and whether only they see it. */
export interface Seen {
  text: string;
  private: boolean;
  buttons: Button[];
  /** The thread it was posted in, when the platform has threads. */
  thread?: string | undefined;
}

export interface Where {
  channel?: string;
  thread?: string | undefined;
  /** A direct message with the bot. */
  direct?: boolean;
}

export interface Driver {
  readonly platform: 'slack' | 'discord' | 'terminal';
  /** Buttons exist (not in a terminal: there, a button's answer is typed). */
  readonly buttons: boolean;
  readonly threads: boolean;
  app(): App;
  readonly clock: ManualClock;
  /** A command in the one command language, without its slash (`quiz start 2 choice`), as `user`; a manager when said. */
  command(user: string, text: string, where?: Where & { manager?: boolean }): Promise<Seen[]>;
  /** A typed line (not a mention); `addressed`: with a mention of the bot. */
  type(user: string, text: string, where: Where, addressed?: boolean): Promise<Seen[]>;
  /** The thread of the round last started (undefined without threads). */
  roundThread(): string | undefined;
  /**
   * A press whose value was made up, shaped like the platform's own: `answer` or `submit` on the
   * question `on` shows (its key kept, the answer replaced by `value`), or `run` a reply action's command.
   */
  forge(user: string, kind: 'answer' | 'submit' | 'run', value: string, on?: Seen): Promise<Seen[]>;
  /** Stops the bot and starts it again on the same store; the fake platform keeps going. */
  restart(): Promise<void>;
  /** True when text, as this platform shows it, would notify people (@everyone, @channel, a user or role mention). */
  pings(text: string): boolean;
  /** The platform's own record of problems with what the bot sent (payloads its rules reject). */
  problems(): string[];
  close(): Promise<void>;
}

export const CHANNEL = 'channel';

export interface DriverOptions {
  /** The limit check every inbound event passes first (the core's entry point for fair limits). */
  admit?: Admission;
  /** The real fair limits with these settings (unset: the defaults). */
  limits?: LimitSettings;
}
