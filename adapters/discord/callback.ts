import { MessageFlags, Routes, type BaseInteraction } from 'discord.js';
import type { DiscordMessage } from './limits.js';
import { messageBody } from './send.js';

/** Interaction callback types (Discord's `InteractionResponseType`) this adapter answers with. */
export const CALLBACK = { message: 4, autocomplete: 8 } as const;

/** Bodies of frozen (cached) messages, made once: a card asked for a thousand times is serialized once. */
const bodies = new WeakMap<DiscordMessage, Buffer>();

/** The interaction callback that answers with `m`: `{"type":4,"data":{…}}`, as Discord's API takes it (UTF-8 JSON). */
export function messageCallback(m: DiscordMessage): Buffer {
  const kept = bodies.get(m);
  if (kept !== undefined) return kept;
  const body = Buffer.from(
    JSON.stringify({
      type: CALLBACK.message,
      data: { ...messageBody(m), ...(m.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) },
    }),
  );
  if (Object.isFrozen(m)) bodies.set(m, body);
  return body;
}

/** The callback that answers an autocomplete with `choices`. */
export function choicesCallback(choices: readonly { name: string; value: string }[]): Buffer {
  return Buffer.from(JSON.stringify({ type: CALLBACK.autocomplete, data: { choices } }));
}

/**
 * Sends a callback body as is, through the client's own REST queue (its rate limits and retries): what
 * discord.js's `reply()` and `respond()` send, without building the payload again from options for every
 * answer. Interaction callbacks are authorized by the interaction's token, not the bot's.
 */
export async function postCallback(interaction: BaseInteraction, body: Buffer): Promise<void> {
  await interaction.client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
    body,
    passThroughBody: true,
    headers: { 'Content-Type': 'application/json' },
    auth: false,
  });
}
