import { DiscordAPIError, HTTPError, RESTJSONErrorCodes } from 'discord.js';
import { PostRejectedError } from '../../src/errors.js';

/**
 * Discord's answers that mean this channel will never take the bot's posts again, whatever we
 * retry: it is gone, the bot was removed or lost its permissions, or the thread is archived or
 * locked. Everything else (rate limits, 5xx, a network error, even a 400 from a bug of ours) is
 * worth another try later, and a bug must not pause every channel.
 */
const PERMANENT = new Set<number>([
  RESTJSONErrorCodes.UnknownChannel, // 10003: deleted
  RESTJSONErrorCodes.UnknownGuild, // 10004: the bot left or was removed from the server
  RESTJSONErrorCodes.MissingAccess, // 50001: cannot see the channel any more
  RESTJSONErrorCodes.CannotSendMessagesToThisUser, // 50007
  RESTJSONErrorCodes.CannotSendMessagesInNonTextChannel, // 50008
  RESTJSONErrorCodes.MissingPermissions, // 50013: no Send Messages / Embed Links / Send in Threads
  RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType, // 50024
  RESTJSONErrorCodes.InvalidActionOnArchivedThread, // 50083
  RESTJSONErrorCodes.CannotSendMessagesToThisUserDueToHavingNoMutualGuilds, // 50278
  RESTJSONErrorCodes.ThreadLocked, // 160005
]);

/** True when Discord's answer says posting to that channel can never work. */
export function isPermanentRefusal(err: unknown): boolean {
  return err instanceof DiscordAPIError && typeof err.code === 'number' && PERMANENT.has(err.code);
}

/**
 * A failed post as the error `ChatAdapter.post` promises (src/errors.ts): `permanent` for a
 * channel that refuses the bot for good (the daily post pauses it), otherwise temporary (retried).
 * `reason` carries Discord's own code for the log and `/daily status`.
 */
export function toPostError(err: unknown, channel: string): PostRejectedError {
  if (err instanceof PostRejectedError) return err;
  if (err instanceof DiscordAPIError) {
    const permanent = isPermanentRefusal(err);
    return new PostRejectedError(`Discord refused the post in channel ${channel}: ${err.message} (${err.code}, HTTP ${err.status})`, {
      permanent,
      reason: `discord ${err.code}`,
      cause: err,
    });
  }
  if (err instanceof HTTPError) {
    return new PostRejectedError(`Discord answered HTTP ${err.status} for a post in channel ${channel}`, {
      permanent: false,
      reason: `http ${err.status}`,
      cause: err,
    });
  }
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return new PostRejectedError(`Posting to Discord channel ${channel} failed: ${message}`, {
    permanent: false,
    reason: typeof code === 'string' ? code : 'network',
    cause: err,
  });
}
