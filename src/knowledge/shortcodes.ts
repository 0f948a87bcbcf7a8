/**
 * Hugo shortcodes and HTML comments as a reader would see them rendered:
 * a tooltip becomes its text, a parameter its name, wrappers vanish and keep their content.
 */
const SHORTCODE = /\{\{[<%]\s*(\/?)\s*([\w-]+)((?:[^>%}]|>(?!\s*\}\})|%(?!\s*\}\}))*?)\s*[>%]\}\}/g;

function attr(args: string, name: string): string | undefined {
  const m = new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|(\\S+))`).exec(args);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

export function renderShortcodes(text: string): string {
  return text
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(SHORTCODE, (_all, closing: string, name: string, args: string) => {
      if (closing) return '';
      if (name === 'glossary_tooltip' || name === 'glossary_definition') {
        return attr(args, 'text') ?? attr(args, 'term_id') ?? '';
      }
      if (name === 'param') {
        const m = /["']([^"']+)["']/.exec(args);
        return m?.[1] ?? '';
      }
      return '';
    });
}
