import { webApi } from '@slack/bolt';
import { PostRejectedError } from '../../src/errors.js';

/**
 * Web API errors (`{ ok: false, error }`, thrown as WebAPIPlatformError with `data.error`) that mean
 * posts to this channel will keep failing whatever we retry: the channel is gone or archived, the
 * bot was removed or lost a scope, the workspace revoked the app. A retry cannot help, so the daily
 * post pauses the channel until `/k8s daily on`. Everything else (rate limits, `internal_error`,
 * 5xx, a network error, even `invalid_blocks` from a bug of ours) stays temporary: a bug must not
 * pause every channel.
 */
export const PERMANENT_SLACK_ERRORS: ReadonlySet<string> = new Set([
  // the channel
  'channel_not_found',
  'is_archived',
  'channel_is_archived',
  'not_in_channel',
  'is_inactive',
  // posting is restricted there (admins, read-only or thread-only channels, Enterprise Grid)
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'no_permission',
  'ekm_access_denied',
  'team_access_not_granted',
  'access_denied',
  // a direct message the user cannot receive (review reminders)
  'cannot_dm_bot',
  'user_not_found',
  'user_disabled',
  'messages_tab_disabled',
  // the app or its token
  'missing_scope',
  'not_allowed_token_type',
  'account_inactive',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'org_login_required',
]);

/** Slack's own error code from a Web API error, if it has one. */
export function slackErrorCode(err: unknown): string | undefined {
  const code = (err as { data?: { error?: unknown } } | null)?.data?.error;
  return typeof code === 'string' ? code : undefined;
}

/** True when Slack's answer says posting to that channel can never work. */
export function isPermanentRefusal(err: unknown): boolean {
  const e = err as { code?: unknown } | null;
  const code = slackErrorCode(err);
  return e?.code === webApi.ErrorCode.PlatformError && code !== undefined && PERMANENT_SLACK_ERRORS.has(code);
}

/**
 * A failed post as the error `ChatAdapter.post` promises (src/errors.ts): `permanent` for a channel
 * that refuses the bot for good, otherwise temporary (retried with backoff). `reason` is Slack's
 * code (or the client's), for the log and `/daily status`.
 */
export function toPostError(err: unknown, channel: string): PostRejectedError {
  if (err instanceof PostRejectedError) return err;
  const platform = (err as { code?: unknown } | null)?.code === webApi.ErrorCode.PlatformError ? slackErrorCode(err) : undefined;
  if (platform !== undefined) {
    return new PostRejectedError(`Slack refused the post in channel ${channel}: ${platform}`, {
      permanent: isPermanentRefusal(err),
      reason: platform,
      cause: err,
    });
  }
  const e = err as { code?: unknown; statusCode?: unknown } | null;
  if (e?.code === webApi.ErrorCode.HTTPError) {
    return new PostRejectedError(`Slack answered HTTP ${String(e.statusCode)} for a post in channel ${channel}`, {
      permanent: false,
      reason: `http ${String(e.statusCode)}`,
      cause: err,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new PostRejectedError(`Posting to Slack channel ${channel} failed: ${message}`, {
    permanent: false,
    reason: typeof e?.code === 'string' ? e.code : 'network',
    cause: err,
  });
}
