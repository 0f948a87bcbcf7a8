import { LIMITS } from './limits.js';

/**
 * Custom ids on buttons, select menus and modals. Questions are named by a short key the adapter
 * hands out per process (`questions.ts`), so a button from before a restart, or from a finished
 * round, names a key nobody knows: that is how stale clicks are recognised.
 */
export type Action =
  | { type: 'card'; concept: string }
  | { type: 'answer'; key: string; index: number }
  | { type: 'order'; key: string; step: 'open' | 'undo' | 'submit' }
  | { type: 'orderPick'; key: string; index: number }
  | { type: 'recall'; key: string }
  | { type: 'recallModal'; key: string }
  /** A reply's action button (the daily post's "quiz me"): runs `command` for whoever presses it, privately. */
  | { type: 'command'; command: string };

export function encodeAction(a: Action): string | undefined {
  let id: string;
  switch (a.type) {
    case 'card':
      id = `card:${a.concept}`;
      break;
    case 'answer':
      id = `ans:${a.key}:${a.index}`;
      break;
    case 'order':
      id = `ord:${a.key}:${a.step}`;
      break;
    case 'orderPick':
      id = `ord:${a.key}:p${a.index}`;
      break;
    case 'recall':
      id = `rec:${a.key}`;
      break;
    case 'recallModal':
      id = `recm:${a.key}`;
      break;
    case 'command':
      id = `cmd:${a.command}`;
      break;
  }
  return id.length <= LIMITS.customId ? id : undefined;
}

export function decodeAction(id: string): Action | undefined {
  const [kind, a = '', b = ''] = id.split(':');
  switch (kind) {
    case 'card':
      return a ? { type: 'card', concept: id.slice('card:'.length) } : undefined;
    case 'ans':
      return /^\d+$/.test(b) ? { type: 'answer', key: a, index: Number(b) } : undefined;
    case 'ord':
      if (b === 'open' || b === 'undo' || b === 'submit') return { type: 'order', key: a, step: b };
      return /^p\d+$/.test(b) ? { type: 'orderPick', key: a, index: Number(b.slice(1)) } : undefined;
    case 'rec':
      return a ? { type: 'recall', key: a } : undefined;
    case 'recm':
      return a ? { type: 'recallModal', key: a } : undefined;
    case 'cmd':
      return a ? { type: 'command', command: id.slice('cmd:'.length) } : undefined;
    default:
      return undefined;
  }
}
