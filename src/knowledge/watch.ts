import { watch, type FSWatcher } from 'chokidar';
import type { Logger } from '../logger.js';
import { SearchIndex } from '../search/engine.js';
import { COLLECT_AFTER_MS, collectAfterIndexing } from './collect.js';
import type { LiveKnowledge } from './live.js';
import type { NotesLoader } from './notesLoader.js';

export interface NotesWatcher {
  /** Resolves once the watcher has seen the files as they are: changes after this are picked up. */
  ready(): Promise<void>;
  /** Resolves once no reload is running or waiting (tests; shutdown). */
  idle(): Promise<void>;
  /** Reloads now, as a file event would. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

export interface WatchOptions {
  paths: string[];
  loader: NotesLoader;
  live: LiveKnowledge;
  log: Logger;
  /** Quiet time after the last file event before reloading: an editor's save is several events. */
  debounceMs?: number;
}

const NOTE_FILE = /\.(?:md|markdown|txt)$/i;

/**
 * Watches the notes and reloads on a change, an added or a removed file. The new index is derived from
 * the current one (SearchIndex.update) or, for a large change, built in slices while the bot answers
 * from the current one, then swapped in at once; one reload runs at a time,
 * and events during a reload start one more after it.
 */
export function watchNotes(opts: WatchOptions): NotesWatcher {
  const { loader, live, log } = opts;
  const debounceMs = opts.debounceMs ?? 100;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const reloadOnce = async (): Promise<void> => {
    const started = performance.now();
    let result;
    try {
      result = loader.load();
    } catch (err) {
      log.warn({ err }, 'notes: could not be read again; answering from the notes already loaded');
      return;
    }
    for (const p of result.kept) log.warn({ file: p.file, line: p.line }, `notes: ${p.message} (kept the previous version of this file)`);
    for (const p of result.fresh) log.warn({ file: p.file, line: p.line }, `notes: ${p.message}`);
    if (result.changed === 0) return;
    if (result.kb.concepts.length === 0) {
      log.warn('notes: no concepts left after the change; answering from the notes already loaded');
      return;
    }
    // An edit among many notes updates the current index (the notes loader keeps the concept objects of
    // unchanged files); a large change, or one that leaves too much behind, builds anew in slices.
    const updated = live.index.update(result.kb.concepts);
    const index = updated ?? (await SearchIndex.build(result.kb.concepts));
    loader.release();
    if (closed) return;
    const now = live.swap(result.kb, index);
    log.info({ concepts: result.kb.concepts.length, version: now.version, index: updated ? 'updated' : 'built', ms: Math.round(performance.now() - started) }, 'notes reloaded');
    // A moment later, not before the next answer: the edit is answered from the new index at once.
    setTimeout(collectAfterIndexing, COLLECT_AFTER_MS).unref();
  };

  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await reloadOnce();
        } while (again && !closed);
      } catch (err) {
        log.error({ err }, 'notes: reload failed; answering from the notes already loaded');
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const schedule = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void run();
    }, debounceMs);
  };

  const watcher: FSWatcher = watch(opts.paths, {
    ignoreInitial: true,
    ignored: (path, stats) => Boolean(stats?.isFile()) && !NOTE_FILE.test(path),
  });
  watcher.on('all', (_event, path) => {
    if (NOTE_FILE.test(path) || _event === 'unlinkDir' || _event === 'addDir') schedule();
  });
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  watcher.on('error', (err) => log.warn({ err }, 'notes: watching failed'));

  return {
    ready: () => ready,
    idle: async () => {
      while (timer || running) {
        if (running) await running;
        else await new Promise((resolve) => setTimeout(resolve, debounceMs));
      }
    },
    reload: () => run(),
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
      await running;
    },
  };
}
