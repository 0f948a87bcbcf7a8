import type { Concept } from './types.js';
import { firstSentence, plainText } from './markdown.js';
import { splitNames } from './names.js';
import { renderShortcodes } from './shortcodes.js';

/** Hugo pages such as the Kubernetes glossary: title "한국어 (원문, English)", id, short_description, aka, tags. */
export function isHugoFrontMatter(data: Record<string, unknown>): boolean {
  const keys = Object.keys(data).map((k) => k.replace(/-/g, '_'));
  return typeof data.title === 'string' && ['short_description', 'full_link', 'aka'].some((k) => keys.includes(k));
}

/** `어피니티 (원문, Affinity)`, `파드 라이프사이클(Pod Lifecycle)`, or a bare title. */
function splitTitle(title: string): { ko: string; en: string | undefined } {
  // The original term may hold parentheses of its own (`CLA (Contributor License Agreement)`), so it is taken whole.
  const original = /^(.*?)\s*\((?:원문|English)\s*,\s*(.*)\)\s*$/.exec(title);
  if (original) return { ko: original[1]!.trim(), en: original[2]!.trim() || undefined };
  const { ko, en } = splitNames(title);
  return { ko, en };
}

export function parseHugoPage(file: string, raw: Record<string, unknown>, body: string, bodyLine: number): Concept | undefined {
  // Hugo pages spell keys both ways (short_description, short-description).
  const data = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.replace(/-/g, '_'), v]));
  const rawTitle = renderShortcodes(String(data.title ?? '')).trim();
  const text = renderShortcodes(body).trim();
  if (!rawTitle || !text) return undefined;
  const { ko, en } = splitTitle(rawTitle);
  const slugId = String(data.id ?? en ?? ko)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const short = plainText(renderShortcodes(String(data.short_description ?? '')));
  const aka = Array.isArray(data.aka) ? data.aka.map((a) => String(a)) : [];
  const tags = Array.isArray(data.tags) ? data.tags.map((t) => String(t)) : [];
  const aliases = [...new Set([en ?? '', String(data.id ?? ''), ...aka].map((s) => s.trim()).filter((s) => s && s !== ko))];
  const summary = short || firstSentence(text);
  return {
    id: slugId || ko,
    title: { ko, en: en ?? ko },
    ...(en === undefined ? { noEnglishName: true as const } : {}),
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
