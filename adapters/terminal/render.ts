import { htmlAsText } from '../htmlTags.js';
import { Lexer, type Token, type Tokens } from 'marked';
import type { Reply } from '../../src/reply.js';

/** Markdown to plain terminal text: headings and emphasis as plain words, code indented, lists kept. */
export function markdownToText(markdown: string): string {
  return blocks(new Lexer({ gfm: true }).lex(markdown))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function blocks(tokens: Token[]): string {
  return tokens
    .map((t) => {
      switch (t.type) {
        case 'heading':
          return `${inline((t as Tokens.Heading).tokens)}\n${'─'.repeat(Math.min(40, visibleWidth(inline((t as Tokens.Heading).tokens))))}\n`;
        case 'paragraph':
          return `${inline((t as Tokens.Paragraph).tokens)}\n`;
        case 'code':
          return `${(t as Tokens.Code).text
            .split('\n')
            .map((l) => `    ${l}`)
            .join('\n')}\n`;
        case 'list': {
          const list = t as Tokens.List;
          return `${list.items
            .map((item, i) => {
              const inner = item.tokens
                .map((t) => blocks([t]).trim())
                .filter(Boolean)
                .join('\n');
              return `${list.ordered ? `${Number(list.start || 1) + i}.` : '•'} ${inner.replace(/\n/g, '\n   ')}`;
            })
            .join('\n')}\n`;
        }
        case 'blockquote':
          return `${blocks((t as Tokens.Blockquote).tokens)
            .trim()
            .split('\n')
            .map((l) => `│ ${l}`)
            .join('\n')}\n`;
        case 'text':
          return 'tokens' in t && t.tokens ? inline(t.tokens) : (t as Tokens.Text).text;
        case 'space':
          return '\n';
        case 'hr':
          return `${'─'.repeat(20)}\n`;
        case 'table': {
          const table = t as Tokens.Table;
          const head = table.header.map((c) => inline(c.tokens)).join(' | ');
          const rows = table.rows.map((r) => r.map((c) => inline(c.tokens)).join(' | '));
          return [head, ...rows].join('\n') + '\n';
        }
        case 'html':
          return htmlAsText(t.raw);
        default:
          return t.raw;
      }
    })
    .join('');
}

function inline(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((t) => {
      if (t.type === 'strong' || t.type === 'em' || t.type === 'del') return inline((t as Tokens.Strong).tokens);
      if (t.type === 'codespan') return (t as Tokens.Codespan).text;
      if (t.type === 'link') {
        const text = inline((t as Tokens.Link).tokens);
        const href = (t as Tokens.Link).href;
        return text === href ? href : `${text} <${href}>`;
      }
      if (t.type === 'br') return '\n';
      if (t.type === 'escape') return (t as Tokens.Escape).text;
      if (t.type === 'text') return 'tokens' in t && t.tokens ? inline(t.tokens) : unescapeEntities((t as Tokens.Text).text);
      if (t.type === 'html') return htmlAsText(t.raw);
      return unescapeEntities(t.raw);
    })
    .join('');
}

function unescapeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function visibleWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u11FF\u3130-\u318F\uAC00-\uD7A3\u4E00-\u9FFF]/.test(ch) ? 2 : 1;
  return w;
}

/** A reply as the terminal shows it. Choices and steps come from the structured parts when present. */
export function renderReply(reply: Reply): string {
  return markdownToText(reply.markdown);
}
