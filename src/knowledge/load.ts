import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TutorError } from '../errors.js';
import { isCardFrontMatter, parseCard, type CardOptions } from './cards.js';
import { splitFrontMatter } from './frontMatter.js';
import { parseFreeNotes } from './freeNotes.js';
import { isHugoFrontMatter, parseHugoPage } from './hugo.js';
import type { ClassificationSet, Concept, KnowledgeBase, LoadProblem, Sequence } from './types.js';

const NOTE_EXTENSIONS = new Set(['.md', '.markdown', '.txt']);
/** Files about a folder rather than notes in it. */
const NOT_NOTES = new Set(['readme.md', 'notice.md', 'license.md', 'changelog.md', 'contributing.md']);

/** The shipped `knowledge/` folder, found from this module whether it runs from src/ or a build in dist/. */
export function shippedKnowledgeDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'knowledge');
    if (existsSync(join(candidate, 'README.md')) && statSync(candidate).isDirectory()) return candidate;
    dir = dirname(dir);
  }
  throw new TutorError('notes.unreadable', 'The shipped knowledge/ folder was not found next to the program.');
}

interface NoteFile {
  path: string;
  /** How the file is named in sources: relative to the folder it was found in, or its base name. */
  name: string;
  /** Inside the shipped knowledge/ folder, whose cards must say when and against what they were reviewed. */
  shipped?: boolean;
}

function shippedDirOrUndefined(): string | undefined {
  try {
    return shippedKnowledgeDir();
  } catch {
    return undefined;
  }
}

/** `knowledge` names the shipped notes; anything else is a file or folder path. */
export function notePathOf(given: string): string {
  return given === 'knowledge' && !existsSync(given) ? shippedKnowledgeDir() : resolve(given);
}

export function resolveNoteFiles(paths: string[]): NoteFile[] {
  const files: NoteFile[] = [];
  const shippedDir = shippedDirOrUndefined();
  for (const given of paths) {
    const path = notePathOf(given);
    if (!existsSync(path)) {
      throw new TutorError('notes.unreadable', `Notes path not found: ${given}. Fix: pass an existing file or folder to --notes (or NOTES_PATH).`);
    }
    if (statSync(path).isDirectory()) {
      const shipped = shippedDir !== undefined && resolve(path) === resolve(shippedDir);
      for (const file of walk(path)) files.push({ path: file, name: relative(path, file).split('\\').join('/'), ...(shipped ? { shipped } : {}) });
    } else {
      files.push({ path, name: basename(path) });
    }
  }
  return files;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (NOTE_EXTENSIONS.has(extname(entry.name).toLowerCase()) && !NOT_NOTES.has(entry.name.toLowerCase())) out.push(full);
  }
  return out;
}

export interface ParsedFile {
  concepts: Concept[];
  sequences: Sequence[];
  classifications: ClassificationSet[];
  problems: LoadProblem[];
}

/** One file's text to concepts. Never throws: what it cannot read becomes a problem with file and line. */
export function parseNoteText(name: string, text: string, options: CardOptions = {}): ParsedFile {
  const out: ParsedFile = { concepts: [], sequences: [], classifications: [], problems: [] };
  try {
    const clean = text.normalize('NFC').replace(/\r\n?/g, '\n');
    const fm = splitFrontMatter(clean);
    if (fm.error) out.problems.push({ file: name, line: fm.error.line, message: fm.error.message });
    if (fm.data && isCardFrontMatter(fm.data)) {
      const card = parseCard(name, fm.data, fm.body, fm.bodyLine, options);
      out.problems.push(...card.problems);
      if (card.concepts.length > 0) return { ...card, problems: out.problems };
    } else if (fm.data && isHugoFrontMatter(fm.data)) {
      const page = parseHugoPage(name, fm.data, fm.body, fm.bodyLine);
      if (page) out.concepts.push(page);
      return out;
    }
    const free = parseFreeNotes(name, fm.body, fm.bodyLine);
    out.concepts.push(...free.concepts);
    out.sequences.push(...free.sequences);
  } catch (err) {
    out.problems.push({ file: name, line: 1, message: `could not read notes: ${err instanceof Error ? err.message : String(err)}` });
  }
  return out;
}

export function loadKnowledge(paths: string[] = ['knowledge']): KnowledgeBase {
  const parsed: ParsedFile[] = [];
  for (const file of resolveNoteFiles(paths)) {
    let text: string;
    try {
      text = readFileSync(file.path, 'utf8');
    } catch (err) {
      parsed.push({ concepts: [], sequences: [], classifications: [], problems: [{ file: file.name, line: 1, message: `unreadable: ${(err as Error).message}` }] });
      continue;
    }
    parsed.push(parseNoteText(file.name, text, { requireReviewed: file.shipped === true }));
  }
  return assemble(parsed);
}

/** Joins files into one base: unique ids, links that resolve, problems for those that do not. */
export function assemble(files: ParsedFile[]): KnowledgeBase {
  const problems: LoadProblem[] = files.flatMap((f) => f.problems);
  const byId = new Map<string, Concept>();
  const concepts: Concept[] = [];
  for (const f of files) {
    for (const c of f.concepts) {
      let id = c.id;
      if (byId.has(id)) {
        problems.push({ file: c.origin.file, line: c.origin.line, message: `duplicate id "${c.id}" (also in ${byId.get(c.id)!.origin.file})` });
        for (let n = 2; byId.has(id); n++) id = `${c.id}-${n}`;
      }
      const concept = id === c.id ? c : { ...c, id };
      byId.set(id, concept);
      concepts.push(concept);
    }
  }
  for (const c of concepts) {
    for (const key of ['related', 'confusedWith', 'prerequisites'] as const) {
      const unknown = c[key].filter((id) => !byId.has(id));
      for (const id of unknown) problems.push({ file: c.origin.file, line: c.origin.line, message: `${c.id}: ${key} names unknown id "${id}"` });
      if (unknown.length) c[key] = c[key].filter((id) => byId.has(id));
    }
  }
  const sequences = files.flatMap((f) => f.sequences).filter((s) => byId.has(s.conceptId));
  const classifications = files.flatMap((f) => f.classifications);
  for (const set of classifications) {
    for (const cls of set.classes) {
      const unknown = cls.members.filter((id) => !byId.has(id));
      for (const id of unknown) problems.push({ file: set.source.file, line: 1, message: `${set.id}: class "${cls.label.en}" names unknown id "${id}"` });
      cls.members = cls.members.filter((id) => byId.has(id));
    }
  }
  return { concepts, sequences, classifications, problems, byId };
}
