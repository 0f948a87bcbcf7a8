import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseNoteText } from './load.js';
import type { Concept } from './types.js';

/**
 * Bodies of free notes read back from their file when a card needs one, instead of kept in memory:
 * at 100,000 notes the notes' own text is ~60 MB of heap that only the card view reads, one card at a
 * time. A body stays in memory until the index has been built from it (release()), then the concept
 * keeps only its file, the file's content hash and its id. Reading parses the file again (a few ms for
 * a file of 100 notes; the last few files are cached). When the file changed on disk since it was loaded
 * (a reload follows when the notes are watched), the body is taken from the new text if the note is still
 * there, and otherwise the card says plainly that it could not be read again.
 */
interface FileRef {
  path: string;
  name: string;
  hash: string;
  /** Until release: where the file's free notes' bodies are held, the first one's start and each one's end. */
  held?: HeldChunk | undefined;
  first?: number;
  ends?: Uint32Array | undefined;
}

interface HeldChunk {
  text: string | undefined;
}

/** Characters a held string gathers before it is closed: ~2 MB, well over V8's 128 KB for a large object. */
const CHUNK_CHARS = 1 << 20;

/**
 * Bodies held until the index has been built from them, many files' end to end in strings of about a
 * million characters. Not one string a note (or a file): the bodies live through the whole build and
 * then die, and ~100,000 small strings dying among the concepts that stay left V8's old space pages half
 * empty (measured at 100,000 notes: 185 MB committed for 118 MB in use after a forced GC). A large string
 * has pages of its own, which are freed whole.
 */
export class HeldBodies {
  private parts: string[] = [];
  private chars = 0;
  private chunk: HeldChunk = { text: undefined };

  add(ref: FileRef, bodies: readonly string[]): void {
    ref.held = this.chunk;
    ref.first = this.chars;
    ref.ends = Uint32Array.from(bodies, (b) => (this.chars += b.length));
    this.parts.push(...bodies);
    if (this.chars >= CHUNK_CHARS) this.close();
  }

  /** Makes what was added readable: call after the last add(). */
  close(): void {
    if (this.parts.length > 0) this.chunk.text = this.parts.join('');
    this.parts = [];
    this.chars = 0;
    this.chunk = { text: undefined };
  }
}

const SOURCE = Symbol('body source');
/** The note's place among its file's free notes. */
const AT = Symbol('body at');
const CACHED_FILES = 8;

type Lazy = Concept & { [SOURCE]: FileRef; [AT]: number };

/** Parsed bodies of the files read back last, by path: a card, then its related cards, read the same file. */
const cache = new Map<string, { hash: string; bodies: Map<string, string> }>();

function readBodies(ref: FileRef): { hash: string; bodies: Map<string, string> } | undefined {
  const hit = cache.get(ref.path);
  let text: string;
  try {
    text = readFileSync(ref.path, 'utf8');
  } catch {
    return undefined;
  }
  const hash = createHash('sha1').update(text).digest('hex');
  if (hit && hit.hash === hash) return hit;
  const bodies = new Map<string, string>();
  for (const c of parseNoteText(ref.name, text).concepts) bodies.set(c.id, c.body);
  cache.delete(ref.path);
  cache.set(ref.path, { hash, bodies });
  if (cache.size > CACHED_FILES) cache.delete(cache.keys().next().value!);
  return { hash, bodies };
}

function body(this: Lazy): string {
  const ref = this[SOURCE];
  const text = ref.held?.text;
  if (text !== undefined) {
    const at = this[AT];
    return text.slice(at === 0 ? ref.first! : ref.ends![at - 1], ref.ends![at]);
  }
  const read = readBodies(this[SOURCE]);
  const found = read?.bodies.get(this.id);
  if (found !== undefined) return found;
  return `${this.summary.ko}\n\n_(이 노트의 파일이 불러온 뒤에 바뀌거나 없어져서 본문을 다시 읽지 못했어요. / This note's file changed or went away after it was loaded, so its body could not be read again.)_`;
}

/**
 * Replaces the free notes among `concepts` (parsed from the file at `path` whose text hashed to `hash`)
 * by ones that read their body back from the file once released, and returns those. Cards and Hugo pages keep theirs: they are few,
 * and their body is not a plain passage of the file.
 */
export function lazyBodies(concepts: Concept[], path: string, name: string, hash: string, held: HeldBodies): Concept[] {
  const ref: FileRef = { path, name, hash };
  const out: Concept[] = [];
  const bodies: string[] = [];
  for (const [i, c] of concepts.entries()) {
    if (c.category !== 'note') continue;
    // A new object, its properties added in the same order with the one shared getter, so every such
    // concept shares one hidden class; redefining `body` on the parsed object would turn each into a
    // dictionary (measured: +77 MB at 100,000 notes).
    const lazy = {} as Record<string | symbol, unknown>;
    for (const key of Object.keys(c)) {
      if (key === 'body') Object.defineProperty(lazy, 'body', { get: body, enumerable: true, configurable: true });
      else lazy[key] = c[key as keyof Concept];
    }
    lazy[SOURCE] = ref;
    lazy[AT] = bodies.length;
    bodies.push(c.body);
    concepts[i] = lazy as unknown as Concept;
    out.push(concepts[i]);
  }
  if (bodies.length > 0) held.add(ref, bodies);
  return out;
}

/** Lets the bodies of `concepts` go: from now on they are read from their files. */
export function releaseBodies(concepts: Iterable<Concept>): void {
  for (const c of concepts) {
    const ref = (c as Partial<Lazy>)[SOURCE];
    if (ref?.held) {
      ref.held.text = undefined;
      ref.held = undefined;
      ref.ends = undefined;
    }
  }
}
