import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits until a platform has heard everything the bot will say about one event: the count of its
 * outputs has grown past `before` and then stayed still for `quietMs`, or (when nothing comes)
 * until `silenceMs` has passed, which is how "no reply" is observed.
 */
export async function settle(count: () => number, before: number, { quietMs = 150, silenceMs = 600, maxMs = 8_000 } = {}): Promise<void> {
  const started = Date.now();
  let last = count();
  let since = Date.now();
  for (;;) {
    await sleep(25);
    const now = count();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
    const quiet = Date.now() - since;
    if (now > before && quiet >= quietMs) return;
    if (now === before && Date.now() - started >= silenceMs) return;
    if (Date.now() - started >= maxMs) return;
  }
}
