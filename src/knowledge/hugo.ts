import type { Concept } from './types.js';
import { firstSentence, plainText } from './markdown.js';
import { renderShortcodes } from './shortcodes.js';

/** Hugo pages such as the Kubernetes glossary: title "한국어 (원문, English)", id, short_description, aka, tags. */
export function isHugoFrontMatter(data: Record<string, unknown>): boolean {
  return typeof data.title === 'string' && ('short_description' in data || 'full_link' in data || 'aka' in data);
}

export function parseHugoPage(file: string, data: Record<string, unknown>, body: string, bodyLine: number): Concept | undefined {
  const rawTitle = renderShortcodes(String(data.title ?? '')).trim();
  const text = renderShortcodes(body).trim();
  if (!rawTitle || !text) return undefined;
  const m = /^(.*?)\s*\((?:원문|English)\s*,\s*(.*)\)\s*$/.exec(rawTitle);
  const ko = (m?.[1] ?? rawTitle).trim();
  const en = (m?.[2] ?? '').trim() || ko;
  const slugId = String(data.id ?? en)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const short = plainText(renderShortcodes(String(data.short_description ?? '')));
  const aka = Array.isArray(data.aka) ? data.aka.map((a) => String(a)) : [];
  const tags = Array.isArray(data.tags) ? data.tags.map((t) => String(t)) : [];
  const aliases = [...new Set([en, String(data.id ?? ''), ...aka].map((s) => s.trim()).filter((s) => s && s !== ko))];
  const summary = short || firstSentence(text);
  return {
    id: slugId || ko,
    title: { ko, en },
    aliases,
    category: tags[0] ?? 'glossary',
    summary: { ko: summary, en: summary },
    body: text,
    related: [],
    confusedWith: [],
    prerequisites: [],
    source: { file, heading: ko, line: bodyLine, ...(typeof data.full_link === 'string' ? { url: data.full_link } : {}) },
    origin: { file, line: 1 },
  };
}
