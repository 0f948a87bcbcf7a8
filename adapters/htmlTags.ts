/**
 * Notes are Markdown, and Markdown lets HTML through: `<br>`, `<sup>`, `<details>`. But notes on
 * containers also write placeholders in angle brackets (`<none>` in `docker images`, `kubectl logs
 * <pod-name>`), which a Markdown lexer reads as HTML too. Only real HTML elements are dropped; every
 * other `<word>` is text the learner must see.
 */
const ELEMENTS =
  'a|abbr|b|bdi|bdo|big|blockquote|br|caption|center|cite|code|col|colgroup|dd|del|details|dfn|div|dl|dt|em|figcaption|figure|font|h[1-6]|hr|i|iframe|img|ins|kbd|li|mark|ol|p|picture|pre|q|s|samp|small|source|span|strike|strong|style|sub|summary|sup|table|tbody|td|tfoot|th|thead|tr|tt|u|ul|var|video|wbr|script|!--';

/** An HTML element tag or comment (`<br/>`, `</sup>`, `<a href="…">`, `<!-- … -->`), not a placeholder. */
export const HTML_TAG = new RegExp(`<\\/?(?:${ELEMENTS})(?=[\\s/>])[^<>]*>|<!--[\\s\\S]*?-->`, 'gi');

/** What an HTML token of the notes shows as text: its placeholders kept, its real tags gone (`<br>` a line break). */
export function htmlAsText(raw: string): string {
  return raw.replace(/<br\s*\/?>/gi, '\n').replace(HTML_TAG, '');
}
