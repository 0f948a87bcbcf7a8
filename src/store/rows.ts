import { TutorError } from '../errors.js';

/** SQLite gives NULL where our records say "absent". */
export const u = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

/** Runs a synchronous SQLite call as the store's promise, a failure as a coded `store.failed` error naming what failed. */
export function wrap<T>(what: string, fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(new TutorError('store.failed', `store: ${what} failed: ${(err as Error).message}`, err));
  }
}
