import { z } from 'zod';
import type { Tokens } from 'marked';
import type { Bilingual, ClassificationSet, Concept, LoadProblem, Sequence, SequenceStep } from './types.js';
import { isHeading, isList, lexWithLines, plainText } from './markdown.js';

/** The project's own card format (knowledge/README.md): YAML front matter with `kind`, then Markdown. */
const bilingual = z.object({ ko: z.string().min(1), en: z.string().min(1) });
const idList = z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/)).default([]);
const source = z
  .object({ file: z.string().optional(), heading: z.string().optional(), url: z.string().url().optional() })
  .refine((s) => s.file || s.url, { message: 'source needs a file or a url' });
/**
 * When a card's facts were last checked, and against which product's official docs at which version
 * (knowledge/README.md, review checklist). YAML may read an unquoted date as a string or a Date.
 */
const reviewed = z.object({
  date: z
    .union([z.string(), z.date().transform((d) => d.toISOString().slice(0, 10))])
    .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'reviewed.date: YYYY-MM-DD')),
  against: z.string().regex(/\d/, 'reviewed.against: name the product and the version checked, e.g. "Kubernetes v1.34"'),
});

const CardMeta = z.object({
  kind: z.enum(['concept', 'sequence', 'classification']).default('concept'),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'id: lowercase letters, digits and -'),
  title: bilingual,
  aliases: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
  category: z.string().default('concept'),
  summary: bilingual.optional(),
  related: idList,
  confused_with: idList,
  prerequisites: idList,
  why: bilingual.optional(),
  source,
  reviewed: reviewed.optional(),
});
type CardMeta = z.infer<typeof CardMeta>;

export function isCardFrontMatter(data: Record<string, unknown>): boolean {
  return typeof data.kind === 'string' || (typeof data.title === 'object' && data.title !== null && 'ko' in data.title);
}

export interface CardParse {
  concepts: Concept[];
  sequences: Sequence[];
  classifications: ClassificationSet[];
  problems: LoadProblem[];
}

export interface CardOptions {
  /** The shipped knowledge/ folder promises a review on every card; a learner's own notes need not carry one. */
  requireReviewed?: boolean;
}

export function parseCard(file: string, data: Record<string, unknown>, body: string, bodyLine: number, options: CardOptions = {}): CardParse {
  const out: CardParse = { concepts: [], sequences: [], classifications: [], problems: [] };
  const parsed = CardMeta.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      out.problems.push({ file, line: 2, message: `front matter ${issue.path.join('.') || '(root)'}: ${issue.message}` });
    }
    return out;
  }
  const meta = parsed.data;
  if (options.requireReviewed && !meta.reviewed) {
    out.problems.push({ file, line: 2, message: 'front matter reviewed: missing; add reviewed: { date: YYYY-MM-DD, against: "Kubernetes v1.34" } (knowledge/README.md)' });
  }
  const tokens = lexWithLines(body, bodyLine);
  const sourceRef = {
    file: meta.source.file ?? meta.source.url ?? file,
    heading: meta.source.heading ?? meta.title.ko,
    ...(meta.source.url ? { url: meta.source.url } : {}),
  };

  let steps: SequenceStep[] | undefined;
  if (meta.kind === 'sequence') {
    const list = tokens.find((t) => isList(t.token) && t.token.ordered);
    steps = list ? parseSteps(list.token as Tokens.List) : [];
    if (steps.length === 0) out.problems.push({ file, line: bodyLine, message: 'sequence has no ordered list of steps' });
    out.sequences.push({ id: meta.id, title: meta.title, steps, source: sourceRef, conceptId: meta.id });
  }
  if (meta.kind === 'classification') {
    const set = parseClasses(meta.id, meta.title, tokens.map((t) => t.token), sourceRef);
    if (set.classes.length < 2) out.problems.push({ file, line: bodyLine, message: 'classification needs at least two ## classes' });
    out.classifications.push(set);
  }

  // A sequence's steps are shown from the structured list (with their reasons), not again in the body.
  const bodyTokens = tokens.map((t) => t.token).filter((t) => !(meta.kind === 'sequence' && isList(t) && t.ordered));
  const { bodyMarkdown, example } = splitExample(bodyTokens);
  out.concepts.push(toConcept(file, meta, bodyMarkdown, example, sourceRef));
  return out;
}

function toConcept(
  file: string,
  meta: CardMeta,
  body: string,
  example: Concept['example'],
  source: Concept['source'],
): Concept {
  const summary = meta.summary ?? { ko: plainText(body).slice(0, 120), en: meta.title.en };
  return {
    id: meta.id,
    title: meta.title,
    aliases: [...new Set(meta.aliases.map((a) => a.trim()).filter(Boolean))],
    category: meta.kind === 'concept' ? meta.category : meta.kind === 'sequence' ? (meta.category === 'concept' ? 'sequence' : meta.category) : 'classification',
    summary,
    body,
    ...(example ? { example } : {}),
    related: meta.related,
    confusedWith: meta.confused_with,
    prerequisites: meta.prerequisites,
    ...(meta.why ? { why: meta.why } : {}),
    source,
    origin: { file, line: 1 },
  };
}

/** Drops the `# Title` heading, and lifts the first code block under `예시`/`Example` out as the example. */
function splitExample(tokens: import('marked').Token[]): { bodyMarkdown: string; example?: Concept['example'] } {
  const kept: string[] = [];
  let example: Concept['example'];
  let inExample = false;
  let titleDropped = false;
  for (const t of tokens) {
    if (isHeading(t)) {
      if (t.depth === 1 && !titleDropped) {
        titleDropped = true;
        continue;
      }
      inExample = /^(예시|example)/i.test(t.text.trim());
      if (inExample) continue;
    }
    if (inExample && t.type === 'code' && !example) {
      example = { lang: (t as Tokens.Code).lang ?? '', code: (t as Tokens.Code).text };
      continue;
    }
    kept.push(t.raw);
  }
  return { bodyMarkdown: kept.join('').trim(), ...(example ? { example } : {}) };
}

const EN_LINE = /^(?:EN|English)\s*[:：]\s*/i;
const KO_REASON = /^이유\s*[:：]\s*/;
const EN_REASON = /^Why\s*[:：]\s*/i;

function parseSteps(list: Tokens.List): SequenceStep[] {
  return list.items.map((item) => {
    const head = item.tokens.find((t) => t.type === 'text' || t.type === 'paragraph') as Tokens.Text | undefined;
    const ko = plainText(head?.text ?? item.text.split('\n')[0] ?? '');
    let en = '';
    let reasonKo = '';
    let reasonEn = '';
    const nested = item.tokens.find(isList);
    for (const sub of nested?.items ?? []) {
      const line = plainText(sub.text);
      if (EN_LINE.test(line)) en = line.replace(EN_LINE, '');
      else if (KO_REASON.test(line)) reasonKo = line.replace(KO_REASON, '');
      else if (EN_REASON.test(line)) reasonEn = line.replace(EN_REASON, '');
    }
    const step: SequenceStep = { text: { ko, en: en || ko } };
    if (reasonKo || reasonEn) step.reason = { ko: reasonKo || reasonEn, en: reasonEn || reasonKo };
    return step;
  });
}

function parseClasses(
  id: string,
  title: Bilingual,
  tokens: import('marked').Token[],
  source: ClassificationSet['source'],
): ClassificationSet {
  const classes: ClassificationSet['classes'] = [];
  let current: ClassificationSet['classes'][number] | undefined;
  for (const t of tokens) {
    if (isHeading(t) && t.depth === 2) {
      const [ko, en] = plainText(t.text).split(/\s+\/\s+/);
      current = { label: { ko: ko ?? '', en: en ?? ko ?? '' }, members: [] };
      classes.push(current);
    } else if (current && isList(t)) {
      for (const item of t.items) {
        const m = /`([a-z0-9][a-z0-9-]*)`/.exec(item.text);
        if (m?.[1]) current.members.push(m[1]);
      }
    }
  }
  return { id, title, classes: classes.filter((c) => c.members.length > 0), source };
}
