/**
 * Slack's message text → what the user meant, as plain text for the core.
 * Slack sends `&amp; &lt; &gt;` for what was typed and `<…>` for mentions, channels and links;
 * mentions become readable words (`@U123`, `#general`, `@channel`) so nothing echoed back can ping.
 */
export function plainFromSlack(text: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_m, inner: string) => {
      const [target = '', label] = inner.split('|', 2);
      if (target.startsWith('@')) return label ? `@${label}` : target;
      if (target.startsWith('#')) return label ? `#${label}` : target;
      if (target.startsWith('!')) {
        const word = target.slice(1).split('^')[0] ?? '';
        return label ?? (['channel', 'here', 'everyone'].includes(word) ? `@${word}` : word);
      }
      return label ?? target;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** `<@UBOT> etcd가 뭐야?` → `etcd가 뭐야?`: the bot's own mention, wherever it is, is not part of the question. */
export function stripBotMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text.replace(/^\s*<@[A-Z0-9]+(\|[^>]*)?>[\s,:]*/, '').trim();
  const stripped = text.replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>[ \\t,:]*`, 'g'), ' ');
  // A pasted output keeps its lines and column spacing (the core reads tables by position).
  return stripped.includes('\n') ? stripped.trim() : stripped.replace(/\s+/g, ' ').trim();
}

/** A Slack timestamp (`1712345678.000100`), as opposed to a round id from the core. */
export function isSlackTs(value: string | undefined): value is string {
  return typeof value === 'string' && /^\d{9,11}\.\d{6}$/.test(value);
}
