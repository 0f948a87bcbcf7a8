import { hangulToQwerty } from '../search/hangul.js';
import { sanitize } from '../search/normalize.js';

/** A, B, C… then AA, AB… (a drill never has more than 26 steps in practice). */
export function labelOf(i: number): string {
  const A = 'A'.charCodeAt(0);
  return i < 26 ? String.fromCharCode(A + i) : `${labelOf(Math.floor(i / 26) - 1)}${String.fromCharCode(A + (i % 26))}`;
}

export function labelRange(n: number): string {
  return n <= 1 ? 'A' : `A–${labelOf(n - 1)}`;
}

export type LabelProblem = 'labels.count' | 'labels.duplicate' | 'labels.range';

export type LabelParse =
  | { ok: true; picks: number[] }
  | { ok: false; code: LabelProblem; got: number; want: number; bad: string[] }
  /** The line is not an attempt at labels at all (chatter, or a typed-out answer). */
  | { ok: false; code: 'labels.none' };

const SEPARATORS = /[\s,，、;；:>→⇒\-–—|/·.()[\]{}'"`]+/u;

function clean(text: string): string {
  return sanitize(text)
    .normalize('NFKC')
    .trim()
    .replace(/[.!?。！？~]+$/u, '')
    .trim();
}

function tokensOf(text: string): string[] {
  return clean(text)
    .split(SEPARATORS)
    .filter(Boolean)
    .map((t) => t.toLowerCase());
}

/** Letters typed with the keyboard in Korean mode (`ㅊ뮹` for `cabd`), back to Latin. */
function fromKoreanKeyboard(text: string): string | undefined {
  // NFC, not NFKC: NFKC turns the compatibility letters people type (ㅊ) into conjoining ones.
  const compact = sanitize(text)
    .normalize('NFC')
    .replace(/[\s,，、.!?]+/g, '');
  if (!/^[\u3131-\u318E\uAC00-\uD7A3]+$/.test(compact)) return undefined;
  return hangulToQwerty(compact);
}

function indexOf(token: string): number {
  if (/^\d+$/.test(token)) return Number(token) - 1;
  if (/^[a-z]$/.test(token)) return token.charCodeAt(0) - 97;
  return -1;
}

/**
 * Reads `C A B D`, `c,a,b,d`, `3 1 2 4`, `CABD`, `C → A → B → D`, full-width letters, and labels
 * typed in Korean keyboard mode. `n` labels exist; `want` of them are expected.
 */
export function parseLabels(text: string, n: number, want: number): LabelParse {
  let tokens = tokensOf(text);
  const inRange = (letters: string[]) => letters.every((l) => indexOf(l) >= 0 && indexOf(l) < n);
  const single = (t: string) => /^[a-z]$/.test(t) || /^\d{1,2}$/.test(t);
  if (tokens.length === 0) return { ok: false, code: 'labels.none' };
  if (tokens.length === 1 || !tokens.every(single)) {
    const korean = fromKoreanKeyboard(text);
    const word = korean ?? (tokens.length === 1 ? tokens[0]! : undefined);
    if (!word) return { ok: false, code: 'labels.none' };
    if (/^[a-z]+$/.test(word)) {
      const letters = word.split('');
      // A whole word (etcd, hello) is an answer in words, not labels, unless it can only be labels.
      const plausible =
        letters.length === 1 ? want === 1 || korean === undefined : inRange(letters) || (letters.length === want && want > 1);
      if (!plausible) return { ok: false, code: 'labels.none' };
      tokens = letters;
    } else if (/^\d+$/.test(word)) {
      tokens = n <= 9 && word.length > 1 ? word.split('') : [word];
    } else return { ok: false, code: 'labels.none' };
  }
  const bad = tokens.filter((t) => indexOf(t) < 0 || indexOf(t) >= n).map((t) => t.toUpperCase());
  if (bad.length) return { ok: false, code: 'labels.range', got: tokens.length, want, bad: [...new Set(bad)] };
  const picks = tokens.map(indexOf);
  const dup = picks.filter((p, i) => picks.indexOf(p) !== i).map(labelOf);
  if (dup.length) return { ok: false, code: 'labels.duplicate', got: tokens.length, want, bad: [...new Set(dup)] };
  if (picks.length !== want) return { ok: false, code: 'labels.count', got: picks.length, want, bad: [] };
  return { ok: true, picks };
}

/** Two or more single letters or numbers: an answer to some question, even where none is open. */
export function looksLikeLabels(text: string): boolean {
  const tokens = tokensOf(text);
  return tokens.length >= 2 && tokens.length <= 26 && tokens.every((t) => /^[a-z]$/.test(t) || /^\d{1,2}$/.test(t));
}
