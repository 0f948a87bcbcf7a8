/**
 * One full garbage collection once the notes are indexed (at start and after each reload), when node
 * runs with `--expose-gc`, as the image (NODE_OPTIONS in the Dockerfile) and `npm start` do; without
 * it, nothing happens. Indexing 100,000 notes leaves ~200 MB of temporaries (the gathered postings, the
 * held bodies, the term table while it grew, the index it replaces), and a bot then mostly waits: with
 * nothing allocating, V8 never collects them (measured at 100,000 notes: RSS 536 MB after 40 s idle,
 * the same as at ready; ~330 MB after this collection). The pause is that of one full collection of the
 * index (~0.1-0.3 s at 100,000 notes); after a reload it waits COLLECT_AFTER_MS, so the edit is answered first.
 */
export function collectAfterIndexing(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** How long after a reload's swap the collection runs. */
export const COLLECT_AFTER_MS = 1000;
