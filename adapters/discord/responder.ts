import { MessageFlags, type RepliableInteraction } from 'discord.js';
import type { Logger } from '../../src/logger.js';
import { metrics } from '../../src/metrics.js';
import { messageCallback, postCallback } from './callback.js';
import type { DiscordMessage } from './limits.js';

const allowedMentions = { parse: [], repliedUser: false };

export function interactionOptions(m: DiscordMessage) {
  return {
    content: m.content ?? '',
    embeds: m.embeds ?? [],
    components: m.components ?? [],
    allowedMentions,
    ...(m.files?.length ? { files: m.files.map((f) => ({ attachment: f.data, name: f.name, description: f.description })) } : {}),
  };
}

/**
 * Answers one interaction exactly once, then follows up. Discord drops an interaction not
 * answered within 3 s, so a timer defers it when the work runs long; every send goes through
 * one queue so a deferral and the real answer never race into a second acknowledgement.
 */
export class Responder {
  private state: 'none' | 'deferred' | 'replied' = 'none';
  private deferredEphemeral = false;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly interaction: RepliableInteraction,
    private readonly log: Logger,
  ) {}

  get answered(): boolean {
    return this.state !== 'none';
  }

  /** The interaction was answered elsewhere (an update of the clicked message): what follows is a follow-up. */
  acknowledged(): void {
    this.state = 'replied';
  }

  /** Defers after `ms` unless answered by then; `ephemeral` guesses who the answer is for. */
  deferAfter(ms: number, ephemeral: boolean): void {
    this.timer = setTimeout(() => {
      this.enqueue(async () => {
        if (this.state !== 'none') return;
        await this.interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
        // From the interaction's creation (Discord's clock) to our deferral landing: the 3 s window's margin.
        metrics.deferSeconds.observe(Math.max(0, Date.now() - this.interaction.createdTimestamp) / 1000);
        this.state = 'deferred';
        this.deferredEphemeral = ephemeral;
      });
    }, ms);
    this.timer.unref?.();
  }

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch((err: unknown) => this.log.warn({ err, interaction: this.interaction.id }, 'interaction response failed'));
    return run;
  }

  send(m: DiscordMessage): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    return this.enqueue(async () => {
      const flags = m.ephemeral ? MessageFlags.Ephemeral : undefined;
      if (this.state === 'none') {
        if (m.files?.length) await this.interaction.reply({ ...interactionOptions(m), ...(flags ? { flags } : {}) });
        else {
          // The common answer (a card): its callback body is made once and sent as is.
          await postCallback(this.interaction, messageCallback(m));
          this.interaction.replied = true;
          this.interaction.ephemeral = m.ephemeral;
        }
        this.state = 'replied';
      } else if (this.state === 'deferred' && this.deferredEphemeral === m.ephemeral) {
        await this.interaction.editReply(interactionOptions(m));
        this.state = 'replied';
      } else {
        if (this.state === 'deferred') {
          // Deferred for the wrong audience: drop the "thinking…" placeholder and follow up properly.
          await this.interaction.deleteReply().catch(() => undefined);
          this.state = 'replied';
        }
        await this.interaction.followUp({ ...interactionOptions(m), ...(flags ? { flags } : {}) });
      }
    });
  }

  /** Waits for everything sent so far (tests and shutdown). */
  async settled(): Promise<void> {
    await this.queue;
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
