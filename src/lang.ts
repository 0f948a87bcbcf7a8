import type { Bilingual } from './knowledge/types.js';

export type Lang = 'ko' | 'en';

/** The language to answer a miss in: Korean when the user wrote any Hangul, English when only Latin letters. */
export function detectLang(text: string): Lang | undefined {
  if (/[\u1100-\u11FF\u3130-\u318F\uAC00-\uD7A3]/.test(text)) return 'ko';
  if (/[A-Za-z]/.test(text)) return 'en';
  return undefined;
}

/** Both languages, the user's first; Korean first when unknown. */
export function bi(text: Bilingual, lang?: Lang): string {
  if (text.ko === text.en) return text.ko;
  return lang === 'en' ? `${text.en}\n${text.ko}` : `${text.ko}\n${text.en}`;
}

/** A concept's name in both languages on one line (`파드 · Pod`), or once when they are the same. */
export function titleLine(t: Bilingual): string {
  return t.ko === t.en ? t.ko : `${t.ko} · ${t.en}`;
}

/** Text a user typed, made inert inside Markdown: no emphasis, code, links or HTML from it. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_~[\]()<>#|]/g, (c) => `\\${c}`);
}
