import { Lexer, type Token, type Tokens } from 'marked';
import { termWithParen } from './names.js';

export interface LinedToken {
  token: Token;
  /** 1-based line in the source file. */
  line: number;
}

/** marked's block tokens, each with the file line it starts on. */
export function lexWithLines(markdown: string, firstLine = 1): LinedToken[] {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  const out: LinedToken[] = [];
  let line = firstLine;
  for (const token of tokens) {
    out.push({ token, line });
    line += countNewlines(token.raw);
  }
  return out;
}

export function countNewlines(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

/** Text a reader sees: no Markdown markers, no HTML tags, collapsed white space. */
export function plainText(markdown: string): string {
  return inlinePlain(markdown)
    .replace(/\s+/g, ' ')
    .trim();
}

function inlinePlain(markdown: string): string {
  return markdown
    .replace(/^\s*(?:```|~~~)[^\n]*$/gm, ' ')
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/gm, '')
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<img[^>]*>/gi, ' ')
    .replace(/<\/?[a-zA-Z][^>]*>/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.*?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s*>\s?/gm, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** A heading or bold term made fit for a title: no numbering like `CH1.` or `3.1`, no trailing punctuation. */
export function cleanTitle(text: string): string {
  return plainText(text)
    .replace(/^(?:CH\s*\d+\.?|\d+(?:\.\d+)*\.?)\s+/i, '')
    .replace(/[.!?:;,\s]+$/u, '')
    .trim();
}

/** The first sentence of a paragraph, for a summary line. */
export function firstSentence(text: string, max = 160): string {
  const plain = plainText(text);
  const m = /^(.+?[.!?다음함임](?=\s|$))/u.exec(plain);
  const sentence = (m?.[1] ?? plain).trim();
  // A summary cut from the plain text would keep all of that text alive (V8 slices share their parent); a copy does not.
  if (sentence.length <= max) return sentence.length < plain.length ? Buffer.from(sentence, 'utf16le').toString('utf16le') : sentence;
  const cut = sentence.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trim()}…`;
}

export function isList(t: Token): t is Tokens.List {
  return t.type === 'list';
}
export function isHeading(t: Token): t is Tokens.Heading {
  return t.type === 'heading';
}
export function isParagraph(t: Token): t is Tokens.Paragraph {
  return t.type === 'paragraph';
}

/** A paragraph that opens with a bold term, as notes do (`**kubelet**<br>`): the term, and the text after it. */
export function boldLead(p: Tokens.Paragraph): { term: string; rest: string } | undefined {
  const m = /^\s*\*\*([^*\n]{1,80})\*\*(\s*<br\s*\/?>)?(\s*)(.*)$/s.exec(p.raw);
  if (!m) return undefined;
  const term = cleanTitle(m[1] ?? '');
  if (!term) return undefined;
  // `**파드**(Pod)는 …`: the parenthesis is part of the term, and the summary starts after both.
  const named = m[2] ? undefined : termWithParen(term, `${m[3] ?? ''}${m[4] ?? ''}`);
  if (named) return named;
  const rest = (m[4] ?? '').trim();
  // `**오케스트레이션**이란 …`: the term is the sentence's subject, so the sentence keeps it.
  const runsOn = !m[2] && !m[3] && /^[\p{L}\p{N}]/u.test(rest);
  return { term, rest: runsOn ? `${m[1]}${rest}` : rest };
}
