import { hangulToQwerty, hasHangul, isChoseongOnly, qwertyToHangul } from './hangul.js';

/** Longest query the engine looks at; the rest of a pasted wall of text adds nothing but time. */
export const MAX_QUERY_CHARS = 200;

/**
 * Platform markup and pings removed, control characters dropped, NFC, white space collapsed.
 * What is left is safe to echo back and to search with.
 */
export function sanitize(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/g, ' ')
    .replace(/<(?:https?|mailto):[^|>\s]*\|([^>]*)>/g, '$1')
    .replace(/<(?:https?|mailto):[^>\s]*>/g, ' ')
    .replace(/<[@#!][^>\s]*>/g, ' ')
    .replace(/<a?:\w+:\d+>/g, ' ')
    .replace(/<t:\d+(?::\w)?>/g, ' ')
    .replace(/@(?:everyone|here|channel)/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const KO_ASKS: RegExp[] = [
  /\s*(?:에\s*대해서?|에\s*대한|에\s*관해서?)?\s*(?:좀\s*)?(?:자세히\s*)?(?:알려\s*줘요?|알려\s*주세요|알려\s*줄래|알려\s*주실래요|설명\s*해\s*줘요?|설명\s*해\s*주세요|설명\s*좀|설명해|가르쳐\s*줘|알고\s*싶어(?:요)?)$/,
  /\s*(?:은|는|이|가)?\s*(?:무슨|어떤)\s*(?:역할|일|기능|용도)(?:을|를|이야|인가요|이에요)?\s*(?:해|해요|하나요|하니|합니까|하지|하는\s*거야|하는\s*건가요|하는\s*거예요)?$/,
  /\s*(?:은|는|이|가)?\s*(?:뭐야|뭐예요|뭐에요|뭐여|뭔가요|뭔데|뭐지|뭐니|뭐임|뭐죠|무엇인가요|무엇이야|무엇입니까|무엇인가|무엇|뭐|뭡니까)$/,
  /\s*(?:이|가)?\s*(?:궁금해요?|궁금합니다)$/,
  /\s*(?:에는|에|엔)?\s*(?:뭐가|무엇이|뭐)\s*(?:있어|있어요|있나요|있지|있니|들어\s*있어)$/,
  /\s*(?:은|는|을|를)?\s*(?:어떻게|어떡해)\s*(?:써|쓰나요|사용해|만들어|만드나요|해|하나요|동작해|작동해|돼|되나요)(?:요)?$/,
  /\s*(?:의)?\s*(?:역할|기능|용도|정의|뜻|의미|개념|특징)(?:은|는|이|가)?$/,
  /\s*(?:이)?란(?:\s*무엇인가)?$/,
];

const EN_ASKS: RegExp[] = [
  /^(?:what|who)\s*(?:is|are|'s|s|does|do)\s+(?:an?\s+|the\s+)?/,
  /^(?:tell\s+me\s+about|explain|define|describe|show\s+me|meaning\s+of|info\s+on|help\s+with)\s+(?:an?\s+|the\s+)?/,
  /\s+(?:mean|means|do|does|for)$/,
];

/** Question wording around the subject (`etcd가 뭐야?`, `what is a pod`), removed. */
export function stripQuestion(text: string): string {
  let s = text.replace(/[?？!！.。~…]+$/u, '').trim();
  for (let pass = 0; pass < 2; pass++) {
    for (const re of KO_ASKS) s = s.replace(re, '').trim();
    for (const re of EN_ASKS) s = s.replace(re, '').trim();
    s = s.replace(/[?？!！.。~…,]+$/u, '').trim();
  }
  return s || text.trim();
}

const PARTICLE =
  /(?:에서는|에서|으로는|으로|로는|이란|이라는|라는|이야|이요|에게|한테|까지|부터|처럼|이랑|랑|이나|하고|은|는|이|가|을|를|의|에|로|와|과|도|만|요|란|야)$/;

/** One trailing particle off each Hangul word (`파드의` → `파드`, `etcd가` → `etcd`). */
export function stripParticles(text: string): string {
  return text
    .split(' ')
    .map((word) => {
      const m = /^(.*?[\p{L}\p{N}])([\uAC00-\uD7A3]{1,3})$/u.exec(word);
      if (!m) return word;
      const stripped = word.replace(PARTICLE, '');
      // Keep at least one syllable or a Latin word before the particle.
      return stripped.length >= 1 && stripped !== word && (/[a-z0-9]$/i.test(stripped) || stripped.length >= 2) ? stripped : word;
    })
    .join(' ');
}

/** The key names are matched on: lower case, no spaces, hyphens, dots or punctuation. */
export function compactKey(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export interface QueryForms {
  /** Cleaned text, safe to echo: empty when nothing searchable was typed. */
  display: string;
  /** Question wording removed. */
  subject: string;
  /** Distinct texts to look up, the first the most literal; `penalty` is added to their scores. */
  variants: { text: string; penalty: number; via: 'typed' | 'particles' | 'keyboard' }[];
  truncated: boolean;
}

export function queryForms(raw: string): QueryForms {
  const cleaned = sanitize(raw);
  const truncated = cleaned.length > MAX_QUERY_CHARS;
  const display = truncated ? cleaned.slice(0, MAX_QUERY_CHARS) : cleaned;
  const lowered = display.toLowerCase();
  const subject = stripQuestion(lowered);
  const variants: QueryForms['variants'] = [];
  const add = (text: string, penalty: number, via: QueryForms['variants'][number]['via']) => {
    const t = text.trim();
    if (t && compactKey(t) && !variants.some((v) => v.text === t)) variants.push({ text: t, penalty, via });
  };
  add(subject, 0, 'typed');
  if (hasHangul(subject)) add(stripParticles(subject), 0.01, 'particles');
  const compact = compactKey(subject);
  // Wrong-keyboard typing is a word or two, not a sentence; converting sentences only costs time.
  if (compact.length >= 2 && compact.length <= 24 && subject.split(' ').length <= 2) {
    const asHangul = qwertyToHangul(compact);
    if (asHangul && !isChoseongOnly(asHangul)) add(asHangul, 0.04, 'keyboard');
    const asLatin = hangulToQwerty(compact);
    if (asLatin) add(asLatin, 0.04, 'keyboard');
  }
  return { display, subject, variants, truncated };
}
