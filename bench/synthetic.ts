import type { Concept } from '../src/knowledge/types.js';

/** Deterministic filler concepts that look like notes: Hangul and Latin names, ~500-character bodies. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
