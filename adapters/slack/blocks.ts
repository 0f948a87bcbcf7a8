import { inertPlain } from './escape.js';

/**
 * Block Kit builders. Slack's limits are enforced here, where blocks are made, so nothing later can
 * produce a message Slack rejects: https://docs.slack.dev/reference/block-kit/blocks
 */
export const LIMITS = {
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  blocksPerMessage: 50,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  /** Top-level `text` is only the notification and fallback when blocks are present. */
  fallbackText: 3000,
} as const;

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}
export interface MrkdwnText {
  type: 'mrkdwn';
  text: string;
}
export interface ButtonElement {
  type: 'button';
  text: PlainText;
  action_id: string;
  value?: string;
  style?: 'primary' | 'danger';
}
export interface SectionBlock {
  type: 'section';
  text: MrkdwnText;
  block_id?: string;
}
export interface HeaderBlock {
  type: 'header';
  text: PlainText;
}
export interface ContextBlock {
  type: 'context';
  elements: MrkdwnText[];
}
export interface ActionsBlock {
  type: 'actions';
  block_id?: string;
  elements: ButtonElement[];
}
export interface DividerBlock {
  type: 'divider';
}
export type Block = SectionBlock | HeaderBlock | ContextBlock | ActionsBlock | DividerBlock;

/** One Slack message: blocks plus the plain fallback shown in notifications. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Cuts at the last space before `max` (never mid-word unless one word is longer than `max`), adding `…`. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const room = chars.slice(0, max - 1).join('');
  const space = room.search(/\s\S*$/);
  return `${(space > max / 2 ? room.slice(0, space) : room).trimEnd()}…`;
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(inertPlain(text), LIMITS.headerText), emoji: true } };
}

/** As many sections as the mrkdwn needs, split on paragraph boundaries (see `splitMrkdwn`). */
export function sections(mrkdwn: string): SectionBlock[] {
  return splitMrkdwn(mrkdwn, LIMITS.sectionText).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

export function context(...mrkdwn: string[]): ContextBlock {
  const elements = mrkdwn
    .filter((t) => t.trim())
    .slice(0, LIMITS.contextElements)
    .map((text): MrkdwnText => ({ type: 'mrkdwn', text: truncate(text, LIMITS.contextText) }));
  return { type: 'context', elements };
}

export const divider = (): DividerBlock => ({ type: 'divider' });

export function button(label: string, actionId: string, value: string, style?: 'primary' | 'danger'): ButtonElement {
  if (actionId.length > LIMITS.actionId) throw new RangeError(`action_id longer than ${LIMITS.actionId}: ${actionId.slice(0, 40)}…`);
  if (value.length > LIMITS.buttonValue) throw new RangeError(`button value longer than ${LIMITS.buttonValue} characters`);
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(inertPlain(label), LIMITS.buttonText) || '·', emoji: true },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

/** Buttons in rows of at most 25; each row gets its own block_id so action_ids stay unique per block. */
export function actions(blockId: string, buttons: ButtonElement[]): ActionsBlock[] {
  const rows: ActionsBlock[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.actionsElements) {
    rows.push({
      type: 'actions',
      block_id: `${blockId}.${rows.length}`.slice(0, LIMITS.blockId),
      elements: buttons.slice(i, i + LIMITS.actionsElements),
    });
  }
  return rows;
}

/** Blocks into as many messages as the 50-block limit needs; the fallback text goes on the first. */
export function toMessages(fallback: string, blocks: Block[]): SlackMessage[] {
  const text = truncate(fallback, LIMITS.fallbackText);
  if (blocks.length === 0) return [{ text, blocks: sections(text) }];
  const out: SlackMessage[] = [];
  for (let i = 0; i < blocks.length; i += LIMITS.blocksPerMessage) {
    const chunk = blocks.slice(i, i + LIMITS.blocksPerMessage);
    out.push({ text: i === 0 ? text : continuation(chunk, text), blocks: chunk });
  }
  return out;
}

function continuation(blocks: Block[], fallback: string): string {
  const first = blocks.find((b): b is SectionBlock => b.type === 'section');
  return first ? truncate(first.text.text.replace(/\s+/g, ' '), 150) : fallback;
}

const FENCE = '```';

/**
 * Splits mrkdwn into pieces of at most `limit` characters: between paragraphs first, then between
 * lines, then between words; a word is only cut when it alone is longer than the limit. A code block
 * cut in two is closed and reopened so both halves still render as code.
 */
export function splitMrkdwn(text: string, limit: number = LIMITS.sectionText): string[] {
  const clean = text.trim();
  if (!clean) return [];
  if (clean.length <= limit) return [clean];
  // Room for a fence closed at the end and reopened at the start of each piece.
  const budget = limit - 2 * (FENCE.length + 1);
  const pieces = pack(clean.split(/\n{2,}/), '\n\n', budget, (para) =>
    pack(para.split('\n'), '\n', budget, (line) => pack(line.split(/ +/), ' ', budget, hardCut(budget))),
  );
  return balanceFences(pieces).filter((p) => p.trim());
}

type Splitter = (unit: string) => string[];

/** Greedy packing of units joined by `sep`; a unit too long on its own is split with `finer`. */
function pack(units: string[], sep: string, budget: number, finer: Splitter): string[] {
  const out: string[] = [];
  let current = '';
  const flush = () => {
    if (current) out.push(current);
    current = '';
  };
  for (const unit of units) {
    if (unit.length > budget) {
      flush();
      const parts = finer(unit);
      out.push(...parts.slice(0, -1));
      current = parts[parts.length - 1] ?? '';
      continue;
    }
    const joined = current ? `${current}${sep}${unit}` : unit;
    if (joined.length <= budget) current = joined;
    else {
      flush();
      current = unit;
    }
  }
  flush();
  return out;
}

function hardCut(budget: number): Splitter {
  return (word) => {
    const chars = Array.from(word);
    const out: string[] = [];
    for (let i = 0; i < chars.length; i += budget) out.push(chars.slice(i, i + budget).join(''));
    return out;
  };
}

function balanceFences(pieces: string[]): string[] {
  let open = false;
  return pieces.map((piece) => {
    let p = open ? `${FENCE}\n${piece}` : piece;
    const fences = (piece.match(/```/g) ?? []).length;
    if (fences % 2 === 1) open = !open;
    if (open) p = `${p}\n${FENCE}`;
    return p.trim();
  });
}

/** Checks a message against Slack's limits; the renderer's tests and a debug guard use it. */
export function limitProblems(message: SlackMessage): string[] {
  const problems: string[] = [];
  if (message.blocks.length > LIMITS.blocksPerMessage) problems.push(`${message.blocks.length} blocks`);
  for (const b of message.blocks) {
    if (b.type === 'section' && (b.text.text.length > LIMITS.sectionText || b.text.text.length === 0))
      problems.push(`section of ${b.text.text.length}`);
    if (b.type === 'header' && Array.from(b.text.text).length > LIMITS.headerText) problems.push(`header of ${b.text.text.length}`);
    if (b.type === 'actions' && (b.elements.length > LIMITS.actionsElements || b.elements.length === 0))
      problems.push(`actions of ${b.elements.length}`);
    if (b.type === 'actions') {
      for (const e of b.elements)
        if (Array.from(e.text.text).length > LIMITS.buttonText) problems.push(`button text of ${e.text.text.length}`);
      if (new Set(b.elements.map((e) => e.action_id)).size !== b.elements.length) problems.push('duplicate action_id in a block');
    }
    if (b.type === 'context' && (b.elements.length > LIMITS.contextElements || b.elements.length === 0))
      problems.push(`context of ${b.elements.length}`);
  }
  return problems;
}
