/**
 * Button action ids and the values they carry. A drill's "order picked so far" travels in the
 * buttons' own values, so pressing a step needs no server-side session and survives a restart.
 */
export const ACTION = {
  /** Opens a concept card; value is the concept id. */
  open: /^card\.open\.\d+$/,
  /** Posts the card publicly; value is the concept id. */
  share: 'card.share',
  /** A step of an ordering drill; value is a DrillValue with `l` set. */
  pick: /^drill\.pick\.\d+$/,
  undo: 'drill.undo',
  submit: 'drill.submit',
  /** A choice or class answer; value is an AnswerValue. */
  answer: /^quiz\.answer\.\d+$/,
  /** A reply action `quiz-on-concept` (the daily post's "quiz me"); value is a QuizOnValue. */
  quizOn: /^concept\.quiz\.\d+$/,
  /** Any of the above: the one Bolt action listener's matcher (listeners.ts routes on the id). */
  any: /^(card\.open\.\d+|card\.share|drill\.pick\.\d+|drill\.undo|drill\.submit|quiz\.answer\.\d+|concept\.quiz\.\d+)$/,
} as const;

export const openId = (i: number) => `card.open.${i}`;
export const pickId = (i: number) => `drill.pick.${i}`;
export const answerId = (i: number) => `quiz.answer.${i}`;
export const quizOnId = (i: number) => `concept.quiz.${i}`;

export interface DrillValue {
  /** Question id. */
  q: string;
  /** Labels picked so far, in order. */
  p: string[];
  /** The label this button adds (pick buttons only). */
  l?: string;
}

export interface AnswerValue {
  q: string;
  /** The answer text sent to the core, exactly as a typed answer would be. */
  a: string;
}

export interface QuizOnValue {
  /** Concept id. */
  c: string;
  /** The command the core asked the button to run (ReplyAction.command), e.g. `/quiz etcd`. */
  cmd: string;
}

export function encode(value: DrillValue | AnswerValue | QuizOnValue): string {
  return JSON.stringify(value);
}

export function decodeDrill(raw: string | undefined): DrillValue | undefined {
  const v = parse(raw);
  if (!v || typeof v.q !== 'string' || !Array.isArray(v.p) || !v.p.every((x) => typeof x === 'string')) return undefined;
  return { q: v.q, p: v.p as string[], ...(typeof v.l === 'string' ? { l: v.l } : {}) };
}

export function decodeAnswer(raw: string | undefined): AnswerValue | undefined {
  const v = parse(raw);
  if (!v || typeof v.q !== 'string' || typeof v.a !== 'string') return undefined;
  return { q: v.q, a: v.a };
}

export function decodeQuizOn(raw: string | undefined): QuizOnValue | undefined {
  const v = parse(raw);
  if (!v || typeof v.c !== 'string' || typeof v.cmd !== 'string') return undefined;
  return { c: v.c, cmd: v.cmd };
}

function parse(raw: string | undefined): Record<string, unknown> | undefined {
  if (!raw || raw.length > 2000) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
