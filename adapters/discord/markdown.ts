import { htmlAsText } from '../htmlTags.js';

/**
 * The core's Markdown as Discord Markdown. Discord already reads most of it (bold, italics, code,
 * lists, quotes, `#`–`###` headings, masked links), so this is a few line rewrites outside code
 * fences, not a full converter: deeper headings become bold, tables become monospaced blocks,
 * HTML goes, images become links, and anything that looks like a ping is made inert.
 */
const ZWSP = '\u200b';

/** Makes mass and user mentions inert even where allowed_mentions would not apply (embeds shown in previews, copies). */
export function defuseMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZWSP}$1`).replace(/<(@[!&]?|!)/g, `<${ZWSP}$1`);
}

export function toDiscordMarkdown(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let fence = false;
  let table: string[] = [];
  const flushTable = () => {
    if (table.length === 0) return;
    out.push(
      '```',
      ...table
        .filter((l) => !/^\s*\|?\s*:?-{2,}/.test(l))
        .map((l) =>
          l
            .trim()
            .replace(/^\||\|$/g, '')
            .trim(),
        ),
      '```',
    );
    table = [];
  };
  for (const line of lines) {
    if (/^\s*```/.test(line)) {
      flushTable();
      fence = !fence;
      out.push(line);
      continue;
    }
    if (fence) {
      out.push(line);
      continue;
    }
    if (/^\s*\|.*\|\s*$/.test(line)) {
      table.push(line);
      continue;
    }
    flushTable();
    out.push(rewriteLine(line));
  }
  flushTable();
  if (fence) out.push('```');
  return defuseMentions(out.join('\n'));
}

function rewriteLine(line: string): string {
  const heading = /^(#{4,6})\s+(.*)$/.exec(line);
  if (heading) return `**${heading[2]!.trim()}**`;
  // Inline code is shown as written; outside it, real HTML tags go and placeholders (`<none>`) stay.
  return line
    .split(/(`[^`]*`)/)
    .map((part) =>
      part.startsWith('`') && part.endsWith('`') && part.length > 1
        ? part
        : htmlAsText(part.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, '[$1]($2)')),
    )
    .join('');
}

/** A Discord relative timestamp: every client shows "in 25 seconds" and counts down itself. */
export function relativeTime(epochMs: number): string {
  return `<t:${Math.floor(epochMs / 1000)}:R>`;
}
