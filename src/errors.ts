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
