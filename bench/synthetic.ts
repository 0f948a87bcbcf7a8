import type { Concept } from '../src/knowledge/types.js';
import { createRng } from '../src/quiz/rng.js';

/** Deterministic filler concepts that look like notes: Hangul and Latin names, ~500-character bodies. */
export const mulberry32 = (seed: number): (() => number) => createRng(seed).next;

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

function syllable(rnd: () => number): string {
  const cho = Math.floor(rnd() * 19);
  const jung = Math.floor(rnd() * 21);
  const jong = rnd() < 0.5 ? 0 : Math.floor(rnd() * 28);
  return String.fromCharCode(0xac00 + (cho * 21 + jung) * 28 + jong);
}

function hangulWord(rnd: () => number, min = 2, max = 5): string {
  const n = min + Math.floor(rnd() * (max - min + 1));
  let s = '';
  for (let i = 0; i < n; i++) s += syllable(rnd);
  return s;
}

const C = 'bcdfghjklmnprstvwz';
const V = 'aeiou';
function latinWord(rnd: () => number, min = 4, max = 10): string {
  const n = min + Math.floor(rnd() * (max - min + 1));
  let s = '';
  for (let i = 0; i < n; i++) s += i % 2 === 0 ? pick(rnd, C.split('')) : pick(rnd, V.split(''));
  return s;
}

/** A fixed lexicon, drawn from with a skew toward common words, as natural text is. */
function lexicon(rnd: () => number, size: number): string[] {
  return Array.from({ length: size }, () => (rnd() < 0.6 ? hangulWord(rnd, 1, 4) : latinWord(rnd, 2, 8)));
}

export function syntheticConcepts(count: number, seed = 7): Concept[] {
  const rnd = mulberry32(seed);
  const words = lexicon(rnd, 6000);
  const word = () => words[Math.floor(words.length * rnd() * rnd())]!;
  const out: Concept[] = [];
  for (let i = 0; i < count; i++) {
    const ko = hangulWord(rnd);
    const en = `${latinWord(rnd)}-${latinWord(rnd, 3, 6)}`;
    let body = '';
    while (body.length < 480) body += `${word()}${rnd() < 0.1 ? '. ' : ' '}`;
    const summary = `${hangulWord(rnd)} ${hangulWord(rnd)} ${latinWord(rnd)} ${hangulWord(rnd)}`;
    out.push({
      id: `synthetic-${i}`,
      title: { ko, en },
      aliases: [latinWord(rnd, 3, 5), `${hangulWord(rnd, 2, 3)} ${hangulWord(rnd, 1, 2)}`],
      category: 'synthetic',
      summary: { ko: summary, en: summary },
      body: body.trim(),
      related: [],
      confusedWith: [],
      prerequisites: [],
      source: { file: 'synthetic.md', heading: ko },
      origin: { file: 'synthetic.md', line: 1 },
    });
  }
  return out;
}

/**
 * Notes as Korean learners write them (issue 14): `## 한국어 이름 (English name)` headings, each with a
 * short body, 100 notes a file. Returns the files' text and each note's English name.
 */
export function syntheticNoteFiles(
  count: number,
  seed = 11,
  perFile = 100,
): { files: { name: string; text: string }[]; english: string[] } {
  const rnd = mulberry32(seed);
  const words = lexicon(rnd, 4000);
  const word = () => words[Math.floor(words.length * rnd() * rnd())]!;
  const files: { name: string; text: string }[] = [];
  const english: string[] = [];
  const taken = new Set<string>();
  let text = '';
  for (let i = 0; i < count; i++) {
    let ko = hangulWord(rnd);
    let en = `${latinWord(rnd, 4, 8)} ${latinWord(rnd, 3, 7)}`;
    while (taken.has(ko) || taken.has(en)) {
      ko = hangulWord(rnd, 3, 6);
      en = `${latinWord(rnd, 5, 9)} ${latinWord(rnd, 3, 7)}`;
    }
    taken.add(ko).add(en);
    english.push(en);
    let body = '';
    while (body.length < 300) body += `${word()}${rnd() < 0.1 ? '. ' : ' '}`;
    text += `## ${ko} (${en})\n\n${body.trim()}.\n\n`;
    if ((i + 1) % perFile === 0 || i === count - 1) {
      files.push({ name: `notes-${String(files.length).padStart(5, '0')}.md`, text });
      text = '';
    }
  }
  return { files, english };
}

/** One letter of a word changed to its neighbour in the alphabet (a typo a reader makes), never the first. */
export function oneLetterOff(name: string, rnd: () => number): string {
  const letters = [...name].map((ch, i) => (i > 0 && /[a-z]/.test(ch) ? i : -1)).filter((i) => i >= 0);
  const at = letters[Math.floor(rnd() * letters.length)]!;
  const ch = name.charCodeAt(at);
  const swapped = String.fromCharCode(ch === 122 ? 121 : ch + 1);
  return name.slice(0, at) + swapped + name.slice(at + 1);
}
