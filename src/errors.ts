/**
 * Internal failures are coded errors with a cause. Expected misses (no match, wrong order,
 * unknown command) are never thrown: they come back as replies.
 */
export type ErrorCode =
  | 'config.invalid'
  | 'notes.unreadable'
  | 'notes.empty'
  | 'store.failed'
  | 'handler.failed'
  | 'adapter.failed'
  | 'outbound.full'
  | 'internal';

export class TutorError extends Error {
  readonly code: ErrorCode;
  override readonly cause?: unknown;

  constructor(code: ErrorCode, message: string, cause?: unknown) {
    super(message);
    this.name = 'TutorError';
    this.code = code;
    this.cause = cause;
  }
}

export function asTutorError(err: unknown, code: ErrorCode = 'internal'): TutorError {
  if (err instanceof TutorError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new TutorError(code, message, err);
}

/**
 * A platform refused a post, from an adapter's `post`. `permanent`: retrying cannot help (the
 * channel was removed or archived, the bot was removed or lacks permission), so the daily post
 * pauses that channel instead of retrying; otherwise (rate limit, network) it retries with backoff.
 * Adapters throw this from `post`; `reason` is the platform's own error code, for the log and `status`.
 */
export class PostRejectedError extends TutorError {
  readonly permanent: boolean;
  readonly reason: string;

  constructor(message: string, options: { permanent: boolean; reason: string; cause?: unknown }) {
    super('adapter.failed', message, options.cause);
    this.name = 'PostRejectedError';
    this.permanent = options.permanent;
    this.reason = options.reason;
  }
}

/** True when an error says posting there will never work (a PostRejectedError, or any error flagged `permanent: true`). */
export function isPermanentPostError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { permanent?: unknown }).permanent === true;
}
