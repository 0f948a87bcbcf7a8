import type { Token, Tokens } from 'marked';
import type { Concept, Sequence, SequenceStep } from './types.js';
import { flatString } from '../search/flatString.js';
import { splitNames, termWithParen } from './names.js';
import { boldLead, cleanTitle, firstSentence, isHeading, isList, isParagraph, lexWithLines, plainText } from './markdown.js';

/**
 * Notes written with no metadata at all: headings, bold terms (`**kubelet**`), numbered lists
 * and their items become concepts and sequences, each pointing back to its file, heading and line.
 */
interface Draft {
  title: string;
  line: number;
  parts: string[];
  steps: SequenceStep[];
}

const MAX_TERM = 60;

/**
 * A free note names no related, confused or prerequisite concepts: its three lists are this one frozen empty
 * array instead of three new ones each (3 × 32 B per note, ~10 MB of heap at 100,000 notes). Frozen, so code
 * that tried to add to a note's list would fail loudly instead of adding to every note's.
 */
const NONE = Object.freeze([]) as unknown as string[];

export function parseFreeNotes(file: string, markdown: string, firstLine = 1): { concepts: Concept[]; sequences: Sequence[] } {
  const drafts: Draft[] = [];
  let current: Draft | undefined;
  const open = (title: string, line: number): Draft => {
    const d: Draft = { title, line, parts: [], steps: [] };
    drafts.push(d);
    return d;
  };

  for (const { token, line } of lexWithLines(markdown, firstLine)) {
    if (isHeading(token)) {
      const title = cleanTitle(token.text);
      current = title ? open(title, line) : current;
      continue;
    }
    if (isParagraph(token)) {
      const lead = boldLead(token);
      if (lead && lead.term.length <= MAX_TERM) {
        current = open(lead.term, line);
        const rest = lead.rest.replace(/^[:：]\s*/, '');
        if (rest) current.parts.push(rest);
        continue;
      }
      for (const { term, from } of inlineBoldTerms(token.raw)) {
        open(term, line).parts.push(from.trim());
      }
    }
    if (isList(token)) {
      handleList(token, line, current, open);
    }
    if (token.type === 'space' || token.type === 'hr') continue;
    if (token.type === 'html' && /^\s*<br\s*\/?>\s*$/i.test(token.raw)) continue;
    current?.parts.push(token.raw.trim());
  }
  return finish(file, drafts);
}

/** Bold terms inside a paragraph (`…. **코드형 인프라**는 …`), not the one that opens it. */
function inlineBoldTerms(raw: string): { term: string; from: string }[] {
  const terms: { term: string; from: string }[] = [];
  const re = /\*\*([^*\n]{1,60})\*\*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw))) {
    if (m.index === 0 || /^\s*$/.test(raw.slice(0, m.index))) continue;
    const term = cleanTitle(m[1] ?? '');
    if (term.length < 2) continue;
    // `… **파드**(Pod)이며 …`: the parenthesis names the term; the passage keeps the sentence from the term on.
    const named = termWithParen(term, raw.slice(m.index + m[0].length));
    terms.push({ term: named?.term ?? term, from: raw.slice(m.index).replace(/\*\*/g, '') });
  }
  return terms;
}

function handleList(list: Tokens.List, line: number, owner: Draft | undefined, open: (t: string, l: number) => Draft): void {
  let itemLine = line;
  for (const item of list.items) {
    const [head, ...restTokens] = item.tokens;
    const headText = plainText(head && 'text' in head ? String(head.text) : item.text.split('\n')[0] ?? '');
    const rest = restTokens.map((t: Token) => t.raw).join('').trim();
    if (list.ordered && owner && headText) owner.steps.push({ text: { ko: headText, en: headText } });
    // An item that is a short term followed by an explanation is a concept of its own.
    if (rest && headText.length <= MAX_TERM && !/[.다]$/.test(headText)) {
      const d = open(cleanTitle(headText), itemLine);
      d.parts.push(rest);
    }
    itemLine += item.raw.split('\n').length - 1;
  }
}

function slug(text: string): string {
  return (
    text
      .normalize('NFC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'note'
  );
}

function finish(file: string, drafts: Draft[]): { concepts: Concept[]; sequences: Sequence[] } {
  // The same term met twice in one file (a list item and later a bold term) is one concept with both passages.
  const byKey = new Map<string, Draft>();
  const order: Draft[] = [];
  for (const d of drafts) {
    const key = d.title.toLowerCase().replace(/\s+/g, '');
    const seen = byKey.get(key);
    if (seen) {
      seen.parts.push(...d.parts);
      if (seen.steps.length === 0) seen.steps = d.steps;
    } else {
      byKey.set(key, d);
      order.push(d);
    }
  }
  const base = slug(file.replace(/\.[^.]+$/, '').split('/').pop() ?? 'notes');
  const ids = new Set<string>();
  const concepts: Concept[] = [];
  const sequences: Sequence[] = [];
  for (const d of order) {
    const body = d.parts.filter(Boolean).join('\n\n').trim();
    if (!body && d.steps.length === 0) continue;
    let id = `${base}--${slug(d.title)}`;
    for (let n = 2; ids.has(id); n++) id = `${base}--${slug(d.title)}-${n}`;
    id = flatString(id); // kept for the life of the notes: see flatString.ts
    ids.add(id);
    const summaryText = body ? firstSentence(body) : d.steps.map((s) => s.text.ko).slice(0, 3).join(' → ');
    const source = { file, heading: d.title, line: d.line };
    const names = splitNames(d.title);
    const title = { ko: names.ko, en: names.en ?? names.ko };
    concepts.push({
      id,
      title,
      ...(names.en === undefined ? { noEnglishName: true as const } : {}),
      aliases: names.aliases,
      category: 'note',
      summary: { ko: summaryText, en: summaryText },
      body,
      related: NONE,
      confusedWith: NONE,
      prerequisites: NONE,
      source,
      origin: { file, line: d.line },
    });
    if (d.steps.length >= 2) {
      sequences.push({ id, title, steps: d.steps, source, conceptId: id });
    }
  }
  return { concepts, sequences };
}
