/**
 * Slack reads `<…>` as control sequences: `<!channel>`, `<!here>`, `<@U123>`, `<#C123>`, links.
 * Escaping `&`, `<` and `>` (Slack's own rule) makes any text inert, so nothing a user typed can ping.
 * https://docs.slack.dev/messaging/formatting-message-text#escaping
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Formatting characters a user typed, made look-alike so they cannot open bold, italics, strike or code.
 * Slack has no backslash escape, so the usual trick is a visually close character.
 */
const LOOKALIKE: Record<string, string> = { '*': '\u2217', _: '\uFF3F', '~': '\u223C', '`': '\u02CB' };

export function inertMrkdwn(text: string): string {
  return escapeMrkdwn(text).replace(/[*_~`]/g, (c) => LOOKALIKE[c] ?? c);
}

/**
 * `plain_text` fields are never parsed for mentions, but a zero-width space after `<` keeps even a
 * careless copy of them into mrkdwn from becoming `<!channel>`.
 */
export function inertPlain(text: string): string {
  return text.replace(/<(?=[!@#])/g, '<\u200B');
}

/** Only web and mail links become `<url|text>`; anything else (javascript:, slack:) stays text. */
export function safeUrl(href: string): string | undefined {
  const url = href.trim();
  if (!/^(https?:\/\/|mailto:)[^\s]+$/i.test(url)) return undefined;
  return escapeMrkdwn(url).replace(/\|/g, '%7C');
}
