/**
 * Pasted output can carry credentials (a kubeconfig, an env dump, a connection string in a log).
 * Every line the explainer shows passes through `maskSecrets` first, and `inert` so that nothing
 * pasted can ping a channel or a person when the reply is posted.
 */

const MASK = '****';

/** Names whose value is a secret: `password=…`, `"token": "…"`, `client-key-data: …`. */
const SECRET_NAMES =
  '(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret|credentials?|auth|client-key-data|client-certificate-data|certificate-authority-data|[A-Za-z0-9_]*(?:PASSWORD|SECRET|TOKEN|API_KEY))';

const RULES: [RegExp, string | ((...m: string[]) => string)][] = [
  // PEM blocks and their body lines.
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----.*/g, '-----BEGIN PRIVATE KEY----- ' + MASK],
  // Authorization headers.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, (_m, kind) => `${kind} ${MASK}`],
  // scheme://user:password@host
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]+@/gi, (_m, head) => `${head}:${MASK}@`],
  // name=value, name: value, "name": "value"
  [new RegExp(`(["']?\\b${SECRET_NAMES}["']?\\s*[:=]\\s*)(["']?)[^\\s"',;]{3,}\\2`, 'gi'), (_m, head, q) => `${head}${q}${MASK}${q}`],
  // Well-known token shapes: JWTs, Slack, GitHub, AWS access keys, Google API keys.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, MASK],
  [/\bxox[abposre]-[A-Za-z0-9-]{8,}/g, MASK],
  [/\bxapp-[A-Za-z0-9-]{8,}/g, MASK],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, MASK],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, MASK],
  [/\bAIza[0-9A-Za-z_-]{30,}/g, MASK],
];

/** A long base64 run with mixed case and digits (a Secret's data, a key); hex digests are left alone. */
const BASE64_RUN = /[A-Za-z0-9+/]{32,}={0,2}/g;

function looksLikeBase64Secret(s: string): boolean {
  return /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s);
}

export function maskSecrets(line: string): string {
  let out = line;
  for (const [re, to] of RULES) out = out.replace(re, to as string);
  return out.replace(BASE64_RUN, (m) => (looksLikeBase64Secret(m) ? MASK : m));
}

/**
 * Text that cannot ping: Slack's `<!channel>`, `<@U123>`, `<#C1>`, Discord's `<@123>`, `<@&role>`,
 * and `@everyone` / `@here` lose their power (a zero-width joiner breaks the word), while staying readable.
 */
export function inert(text: string): string {
  return text.replace(/<([@#!][^>\s]*)>/g, '‹$1›').replace(/@(everyone|here|channel)\b/gi, '@\u200b$1');
}

/** A pasted line as the reply may show it: secrets masked, pings defused, control characters gone. */
export function safeLine(line: string, max = 200): string {
  const clean = inert(maskSecrets(line.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, ' '))).trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
