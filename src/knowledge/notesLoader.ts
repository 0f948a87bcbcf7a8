import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { assemble, parseNoteText, resolveNoteFiles, type ParsedFile } from './load.js';
import { HeldBodies, lazyBodies, releaseBodies } from './lazyBody.js';
import type { Concept, KnowledgeBase, LoadProblem } from './types.js';

interface FileState {
  name: string;
  hash: string;
  parsed: ParsedFile;
}

export interface LoadResult {
  kb: KnowledgeBase;
  /** Files whose new text had problems and whose previous version was kept. */
  kept: LoadProblem[];
  /** Problems of the files parsed this time (new or changed) and taken as they are. */
  fresh: LoadProblem[];
  /** Files parsed again because their text changed, appeared or went away. */
  changed: number;
}

/**
 * The notes files and what each parsed to, so a reload reads every file but parses only those whose
 * text changed, and a file whose new text does not parse keeps its last good version.
 */
export class NotesLoader {
  private readonly files = new Map<string, FileState>();
  /** Concepts parsed by the last load whose bodies are still held for the index build. */
  private held: Concept[] = [];

  constructor(
    private readonly paths: string[],
    /** Read free notes' bodies back from their files once the index is built (lazyBody.ts); off: keep them in memory. */
    private readonly lazy = true,
  ) {}

  /** Call once the index has been built from the last load: free notes' bodies are read back from their files from then on. */
  release(): void {
    releaseBodies(this.held);
    this.held = [];
  }

  load(): LoadResult {
    const kept: LoadProblem[] = [];
    const fresh: LoadProblem[] = [];
    let changed = 0;
    const next = new Map<string, FileState>();
    const held = new HeldBodies();
    for (const file of resolveNoteFiles(this.paths)) {
      const before = this.files.get(file.path);
      // Bytes into one reused buffer, hashed as read: most files are unchanged on a reload, and decoding all of
      // them made ~50 MB of strings at 100,000 notes only to hash them (and a Buffer a file, as many mallocs).
      let bytes: Buffer;
      try {
        bytes = readInto(file.path);
      } catch (err) {
        // Gone between the listing and the read (an editor's save dance): the last good version stays.
        if (before) next.set(file.path, before);
        else next.set(file.path, { name: file.name, hash: '', parsed: unreadable(file.name, err) });
        continue;
      }
      const hash = createHash('sha1').update(bytes).digest('hex');
      if (before && before.hash === hash && before.name === file.name) {
        next.set(file.path, before);
        continue;
      }
      const text = bytes.toString('utf8');
      changed += 1;
      const parsed = parseNoteText(file.name, text);
      if (parsed.problems.length > 0 && before && before.parsed.problems.length === 0) {
        kept.push(...parsed.problems);
        next.set(file.path, before);
        continue;
      }
      fresh.push(...parsed.problems);
      if (this.lazy) this.held.push(...lazyBodies(parsed.concepts, file.path, file.name, hash, held));
      next.set(file.path, { name: file.name, hash, parsed });
    }
    held.close();
    for (const path of this.files.keys()) if (!next.has(path)) changed += 1;
    this.files.clear();
    for (const [path, state] of next) this.files.set(path, state);
    return { kb: assemble([...next.values()].map((f) => f.parsed)), kept, fresh, changed };
  }
}

function unreadable(name: string, err: unknown): ParsedFile {
  return { concepts: [], sequences: [], classifications: [], problems: [{ file: name, line: 1, message: `unreadable: ${(err as Error).message}` }] };
}

/** One buffer for every file read, grown to the largest: what readInto() returns is valid until the next call. */
let scratch = Buffer.alloc(1 << 16);

function readInto(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    let size = 0;
    for (;;) {
      if (size === scratch.length) {
        const grown = Buffer.alloc(Math.max(scratch.length * 2, fstatSync(fd).size + 1));
        scratch.copy(grown, 0, 0, size);
        scratch = grown;
      }
      const n = readSync(fd, scratch, size, scratch.length - size, null);
      if (n === 0) return scratch.subarray(0, size);
      size += n;
    }
  } finally {
    closeSync(fd);
  }
}
