import { Lexer, type Token, type Tokens } from 'marked';
import { escapeMrkdwn, inertMrkdwn, safeUrl } from './escape.js';
import { htmlAsText } from '../htmlTags.js';

/**
 * Markdown from the core → Slack mrkdwn, token by token (marked's lexer, our renderer).
 * Every piece of text passes through `escapeMrkdwn`, so the only `<…>` that come out are the links
 * made here; characters a note or a user escaped (`\*`, `\<`) come out inert.
 */
export function markdownToMrkdwn(markdown: string): string {
  return renderBlocks(new Lexer({ gfm: true }).lex(markdown), 0)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Slack only honours `*bold*` at word edges; Korean particles glue onto words (`*파드*는`), so the
 * markers are fenced with zero-width spaces, which Slack treats as edges and readers never see.
 */
const ZWSP = '\u200B';
const wrap = (marker: string, inner: string) => (inner.trim() ? `${ZWSP}${marker}${inner}${marker}${ZWSP}` : inner);

function renderBlocks(tokens: Token[], depth: number): string {
  return tokens.map((t) => renderBlock(t, depth)).join('');
}

function renderBlock(t: Token, depth: number): string {
  switch (t.type) {
    case 'heading':
      return `${wrap('*', plainInline((t as Tokens.Heading).tokens))}\n\n`;
    case 'paragraph':
      return `${renderInline((t as Tokens.Paragraph).tokens)}\n\n`;
    case 'code': {
      // Inside a code block only the three HTML-ish characters need care; backticks would close it.
      const code = escapeMrkdwn((t as Tokens.Code).text).replace(/```/g, '`\u200B``');
      return `\`\`\`\n${code}\n\`\`\`\n\n`;
    }
    case 'list':
      return `${renderList(t as Tokens.List, depth)}\n`;
    case 'blockquote': {
      const inner = renderBlocks((t as Tokens.Blockquote).tokens, depth).trim();
      return `${inner
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n')}\n\n`;
    }
    case 'text': {
      const text = t as Tokens.Text;
      return text.tokens ? renderInline(text.tokens) : escapeMrkdwn(text.text);
    }
    case 'space':
      return '\n';
    case 'hr':
      return '──────────\n\n';
    case 'table':
      return `${renderTable(t as Tokens.Table)}\n\n`;
    case 'html':
      return escapeMrkdwn(htmlAsText((t as Tokens.HTML).text));
    case 'def':
      return '';
    default:
      return escapeMrkdwn(t.raw);
  }
}

function renderList(list: Tokens.List, depth: number): string {
  const indent = '    '.repeat(depth);
  const start = typeof list.start === 'number' ? list.start : 1;
  return list.items
    .map((item, i) => {
      const bullet = list.ordered ? `${start + i}.` : '•';
      const check = item.task ? (item.checked ? '☑ ' : '☐ ') : '';
      const nested = item.tokens.filter((x) => x.type === 'list');
      const own = item.tokens.filter((x) => x.type !== 'list' && x.type !== 'checkbox');
      const text = renderBlocks(own, depth).trim().replace(/\n+/g, `\n${indent}   `);
      const sub = nested.map((x) => renderList(x as Tokens.List, depth + 1)).join('');
      return `${indent}${bullet} ${check}${text}${sub ? `\n${sub.replace(/\n$/, '')}` : ''}`;
    })
    .join('\n')
    .concat('\n');
}

function renderTable(table: Tokens.Table): string {
  const row = (cells: Tokens.TableCell[]) => cells.map((c) => plainInline(c.tokens)).join(' | ');
  return [wrap('*', row(table.header)), ...table.rows.map(row)].join('\n');
}

function renderInline(tokens: Token[] | undefined): string {
  return (tokens ?? []).map(renderInlineToken).join('');
}

function renderInlineToken(t: Token): string {
  switch (t.type) {
    case 'strong':
      return wrap('*', renderInline((t as Tokens.Strong).tokens));
    case 'em':
      return wrap('_', renderInline((t as Tokens.Em).tokens));
    case 'del':
      return wrap('~', renderInline((t as Tokens.Del).tokens));
    case 'codespan': {
      const code = (t as Tokens.Codespan).text;
      return code ? `\`${escapeMrkdwn(code).replace(/`/g, '\u02CB')}\`` : '';
    }
    case 'link':
    case 'image': {
      const link = t as Tokens.Link;
      const url = safeUrl(link.href);
      const label = plainInline(link.tokens).replace(/\|/g, '¦');
      if (!url) return label;
      return label && label !== url ? `<${url}|${label}>` : `<${url}>`;
    }
    case 'br':
      return '\n';
    case 'escape':
      // Escaped by whoever wrote the Markdown (the core escapes everything a user typed): keep it literal.
      return inertMrkdwn((t as Tokens.Escape).text);
    case 'html':
      return escapeMrkdwn(htmlAsText((t as Tokens.HTML).text));
    case 'text': {
      const text = t as Tokens.Text;
      return text.tokens ? renderInline(text.tokens) : escapeMrkdwn(text.text);
    }
    default:
      return escapeMrkdwn(t.raw);
  }
}

/** Inline tokens as plain (escaped) words, for places Slack does not nest formatting: headings, link labels. */
function plainInline(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((t) => {
      if (t.type === 'escape') return inertMrkdwn((t as Tokens.Escape).text);
      if (t.type === 'br') return ' ';
      if (t.type === 'html') return escapeMrkdwn(htmlAsText(t.raw));
      if ('tokens' in t && Array.isArray(t.tokens)) return plainInline(t.tokens as Token[]);
      if (t.type === 'codespan') return escapeMrkdwn((t as Tokens.Codespan).text);
      return escapeMrkdwn('text' in t && typeof t.text === 'string' ? t.text : t.raw);
    })
    .join('');
}

/** Markdown to one line of plain text (notification fallbacks, button labels): no markers, nothing escaped away. */
export function markdownToPlain(markdown: string): string {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  const walk = (ts: Token[]): string =>
    ts
      .map((t) => {
        if (t.type === 'escape') return (t as Tokens.Escape).text;
        if (t.type === 'html') return htmlAsText(t.raw);
        if (t.type === 'code') return (t as Tokens.Code).text;
        if (t.type === 'list') return ` ${(t as Tokens.List).items.map((i) => walk(i.tokens)).join(' ')} `;
        if (t.type === 'table')
          return ` ${[(t as Tokens.Table).header, ...(t as Tokens.Table).rows].map((r) => r.map((c) => c.text).join(' | ')).join(' ')} `;
        if ('tokens' in t && Array.isArray(t.tokens))
          return walk(t.tokens as Token[]) + (t.type === 'paragraph' || t.type === 'heading' || t.type === 'text' ? ' ' : '');
        if (t.type === 'space' || t.type === 'br') return ' ';
        return 'text' in t && typeof t.text === 'string' ? t.text : t.raw;
      })
      .join('');
  return walk(tokens).replace(/\s+/g, ' ').trim();
}
