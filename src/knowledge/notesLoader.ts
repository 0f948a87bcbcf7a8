import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
      let text: string;
      try {
        text = readFileSync(file.path, 'utf8');
      } catch (err) {
        // Gone between the listing and the read (an editor's save dance): the last good version stays.
        if (before) next.set(file.path, before);
        else next.set(file.path, { name: file.name, hash: '', parsed: unreadable(file.name, err) });
        continue;
      }
      const hash = createHash('sha1').update(text).digest('hex');
      if (before && before.hash === hash && before.name === file.name) {
        next.set(file.path, before);
        continue;
      }
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
