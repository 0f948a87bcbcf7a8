/**
 * Discord's message limits, checked where messages are made (render.ts) so a reply that would be
 * rejected with a 400 is split or shortened here instead. Numbers from the API reference.
 */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedsPerMessage: 10,
  embedTotal: 6000,
  rows: 5,
  buttonsPerRow: 5,
  selectOptions: 25,
  customId: 100,
  buttonLabel: 80,
  optionLabel: 100,
  optionValue: 100,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  threadName: 100,
  modalTitle: 45,
} as const;

/** Cuts to at most `max` characters (code points), on a word boundary when one is near, marking the cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const head = chars.slice(0, Math.max(0, max - 1)).join('');
  const space = head.search(/\s\S*$/);
  const cut = space > max * 0.6 ? head.slice(0, space) : head;
  return `${cut.trimEnd()}…`;
}

function length(s: string): number {
  // Discord counts UTF-16 code units for content; Array.from would undercount astral characters.
  return s.length;
}

/**
 * Splits text into pieces of at most `max`, preferring paragraph boundaries, then lines, then
 * words; a code fence cut in two is closed at the end of one piece and reopened in the next.
 */
export function splitText(text: string, max: number = LIMITS.content): string[] {
  if (length(text) <= max) return [text];
  const out: string[] = [];
  let rest = text;
  let reopen = '';
  while (length(reopen + rest) > max) {
    const budget = max - 4; // room to close a fence
    const piece = reopen + rest;
    let at = lastBoundary(piece, budget, '\n\n');
    if (at < budget * 0.3) at = lastBoundary(piece, budget, '\n');
    if (at < budget * 0.3) at = lastBoundary(piece, budget, ' ');
    if (at <= reopen.length) at = budget;
    let chunk = piece.slice(0, at).trimEnd();
    const fence = openFence(chunk);
    if (fence !== undefined) chunk += '\n```';
    out.push(chunk);
    rest = piece.slice(at).replace(/^\s*\n/, '');
    reopen = fence !== undefined ? `\`\`\`${fence}\n` : '';
  }
  const last = (reopen + rest).trim();
  if (last) out.push(last);
  return out;
}

function lastBoundary(s: string, budget: number, sep: string): number {
  const i = s.lastIndexOf(sep, budget);
  return i < 0 ? -1 : i + sep.length;
}

/** The language of a code fence left open at the end of `s`, if any. */
function openFence(s: string): string | undefined {
  let lang: string | undefined;
  for (const m of s.matchAll(/^```(\S*)/gm)) lang = lang === undefined ? (m[1] ?? '') : undefined;
  return lang;
}

export interface ApiEmbed {
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
  author?: { name: string };
}

export interface ApiButton {
  type: 2;
  style: 1 | 2 | 3 | 4 | 5;
  label?: string;
  custom_id?: string;
  url?: string;
  disabled?: boolean;
  emoji?: { name: string };
}

export interface ApiSelect {
  type: 3;
  custom_id: string;
  placeholder?: string;
  options: { label: string; value: string; description?: string }[];
  min_values?: number;
  max_values?: number;
  disabled?: boolean;
}

export interface ApiRow {
  type: 1;
  components: (ApiButton | ApiSelect)[];
}

/** One message as sent to Discord (the wire format discord.js passes through). */
export interface DiscordMessage {
  content?: string;
  embeds?: ApiEmbed[];
  components?: ApiRow[];
  /** Only the person who asked sees it (interaction replies). */
  ephemeral: boolean;
  /** Attachments (a /progress chart); `description` is the alt text. */
  files?: { name: string; data: Buffer; description: string }[];
}

export function embedSize(e: ApiEmbed): number {
  return (
    length(e.title ?? '') +
    length(e.description ?? '') +
    length(e.footer?.text ?? '') +
    length(e.author?.name ?? '') +
    (e.fields ?? []).reduce((n, f) => n + length(f.name) + length(f.value), 0)
  );
}

/** Every limit a message breaks; empty when Discord would accept it. */
export function limitProblems(m: DiscordMessage): string[] {
  const p: string[] = [];
  if (m.content !== undefined && length(m.content) > LIMITS.content) p.push(`content ${length(m.content)} > ${LIMITS.content}`);
  const embeds = m.embeds ?? [];
  if (embeds.length > LIMITS.embedsPerMessage) p.push(`embeds ${embeds.length} > ${LIMITS.embedsPerMessage}`);
  let total = 0;
  for (const e of embeds) {
    if (length(e.title ?? '') > LIMITS.embedTitle) p.push('embed title too long');
    if (length(e.description ?? '') > LIMITS.embedDescription)
      p.push(`embed description ${length(e.description ?? '')} > ${LIMITS.embedDescription}`);
    if ((e.fields ?? []).length > LIMITS.embedFields) p.push('too many embed fields');
    for (const f of e.fields ?? []) {
      if (length(f.name) > LIMITS.fieldName || length(f.value) > LIMITS.fieldValue) p.push('embed field too long');
      if (!f.name || !f.value) p.push('empty embed field');
    }
    if (length(e.footer?.text ?? '') > LIMITS.footer) p.push('embed footer too long');
    total += embedSize(e);
  }
  if (total > LIMITS.embedTotal) p.push(`embeds total ${total} > ${LIMITS.embedTotal}`);
  const rows = m.components ?? [];
  if (rows.length > LIMITS.rows) p.push(`rows ${rows.length} > ${LIMITS.rows}`);
  const ids = new Set<string>();
  for (const row of rows) {
    const buttons = row.components.filter((c) => c.type === 2).length;
    const selects = row.components.filter((c) => c.type === 3).length;
    if (buttons > LIMITS.buttonsPerRow) p.push(`buttons in a row ${buttons} > ${LIMITS.buttonsPerRow}`);
    if (selects > 1 || (selects && buttons)) p.push('a select menu must be alone in its row');
    for (const c of row.components) {
      const id = c.custom_id;
      if (id !== undefined) {
        if (id.length > LIMITS.customId) p.push(`custom id ${id.length} > ${LIMITS.customId}`);
        if (ids.has(id)) p.push(`duplicate custom id ${id}`);
        ids.add(id);
      }
      if (c.type === 2 && (c.label ?? '').length > LIMITS.buttonLabel) p.push('button label too long');
      if (c.type === 3) {
        if (c.options.length > LIMITS.selectOptions || c.options.length === 0) p.push(`select options ${c.options.length}`);
        for (const o of c.options)
          if (o.label.length > LIMITS.optionLabel || o.value.length > LIMITS.optionValue) p.push('select option too long');
      }
    }
  }
  if (!m.content && embeds.length === 0) p.push('empty message');
  return p;
}
