/**
 * Names as authors write them: a term with its name in the other language in parentheses.
 * `파드 (Pod)`, `파드(Pod)`, `Pod (파드)`, `쿠버네티스(Kubernetes, k8s)`, `어피니티 (원문, Affinity)`.
 */
export interface Names {
  ko: string;
  /** Undefined when the author gave no English name. */
  en: string | undefined;
  /** Other names a reader may type: the English name, the rest of the parenthesis, each side of "vs". */
  aliases: string[];
}

const HANGUL = /[\uAC00-\uD7A3]/;
const LATIN = /[A-Za-z]/;
/** A base and one trailing parenthesis (ASCII or full-width), with or without a space before it. */
const PAREN = /^(.*?[^\s(（])\s*[(（]([^()（）]+)[)）]$/;
/** Words Hugo's glossary puts before the original term: `(원문, Affinity)`. */
const MARKERS = new Set(['원문', 'english', 'eng', 'en', '영문', '영어']);

const isKorean = (s: string) => HANGUL.test(s);
const isEnglish = (s: string) => LATIN.test(s) && !HANGUL.test(s);

export function splitNames(title: string): Names {
  const written = title.trim();
  const aliases = new Set<string>();
  let ko: string = written;
  let en: string | undefined = isKorean(written) ? undefined : written;
  const m = PAREN.exec(written);
  if (m) {
    const base = m[1]!.trim();
    const inner = m[2]!
      .split(/\s*[,，;/]\s*/)
      .map((s) => s.trim())
      .filter((s) => s && !MARKERS.has(s.toLowerCase()));
    const first = inner[0];
    if (first && isKorean(base) && isEnglish(first)) {
      ko = base;
      en = first;
      inner.slice(1).forEach((a) => aliases.add(a));
    } else if (first && isEnglish(base) && isKorean(first)) {
      ko = first;
      en = base;
      inner.slice(1).forEach((a) => aliases.add(a));
    } else {
      // Same language inside and out (`kubelet (node agent)`, `파드 (중요)`): one title, each part a name.
      aliases.add(base);
      inner.forEach((a) => aliases.add(a));
    }
  }
  for (const side of written.split(/\s+vs\.?\s+/i)) if (side !== written) aliases.add(side.trim());
  if (en) aliases.add(en);
  aliases.delete(ko);
  aliases.delete('');
  return { ko, en, aliases: [...aliases] };
}

/**
 * A bold term followed by its parenthesised name (`**파드**(Pod)는 …`): the term with that name, and the
 * text after both, without the topic or subject particle that joined them, so a summary starts after the term.
 */
export function termWithParen(term: string, after: string): { term: string; rest: string } | undefined {
  const m = /^\s?[(（]([^()（）\n]{1,60})[)）]/.exec(after);
  if (!m) return undefined;
  const inner = m[1]!.trim();
  const other = isKorean(term) ? isEnglish(inner) : isKorean(inner);
  if (!other) return undefined;
  const rest = after
    .slice(m[0].length)
    .replace(/^(?:이란|란|은|는|이|가)(?=\s)/, '')
    .replace(/^\s*[:：-]\s*/, '')
    .trim();
  return { term: `${term} (${inner})`, rest };
}
