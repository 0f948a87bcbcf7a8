import { parseDocument } from 'yaml';

export interface FrontMatterResult {
  data: Record<string, unknown> | undefined;
  /** The Markdown after the front matter. */
  body: string;
  /** 1-based line in the file where `body` starts. */
  bodyLine: number;
  error?: { line: number; message: string };
}

/** Splits `---` YAML front matter from Markdown. A broken block is reported, and the body still loads. */
export function splitFrontMatter(text: string): FrontMatterResult {
  const match = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) return { data: undefined, body: text, bodyLine: 1 };
  const yamlText = match[1] ?? '';
  const consumed = match[0];
  const bodyLine = consumed.split('\n').length;
  const body = text.slice(consumed.length);
  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = (first.linePos?.[0]?.line ?? 1) + 1;
    return { data: undefined, body, bodyLine, error: { line, message: `front matter: ${first.message.split('\n')[0]}` } };
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return { data: {}, body, bodyLine };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { data: undefined, body, bodyLine, error: { line: 2, message: 'front matter: expected key: value pairs' } };
  }
  return { data: value as Record<string, unknown>, body, bodyLine };
}
