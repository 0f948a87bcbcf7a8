import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { GLOSSARY, ROOT, announceSkip } from '../support/shared.js';

/** One spelling per term across the cards, following the official Korean Kubernetes glossary (knowledge/glossary.yaml). */
const Entry = z
  .object({
    preferred: z.string().min(1),
    en: z.string().min(1),
    glossary: z.string().regex(/^[a-z0-9-]+$/).optional(),
    basis: z.string().min(1).optional(),
    variants: z.array(z.string().min(1)).min(1),
  })
  .refine((e) => e.glossary || e.basis, { message: 'name the glossary entry it follows, or the basis for the spelling' });
const glossary = z.array(Entry).parse(parse(readFileSync(join(ROOT, 'knowledge', 'glossary.yaml'), 'utf8')));

const compact = (s: string) => s.normalize('NFC').replace(/\s+/g, '');

/** What a reader sees in our own words: no code, and no quoted wording (the notes' terms, cited as they are). */
export function ownWords(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/"[^"\n]*"/g, ' ')
    .replace(/“[^”\n]*”/g, ' ');
}

export function variantsIn(text: string): { variant: string; preferred: string }[] {
  const hay = compact(ownWords(text));
  const found: { variant: string; preferred: string }[] = [];
  for (const e of glossary) for (const v of e.variants) if (hay.includes(compact(v))) found.push({ variant: v, preferred: e.preferred });
  return found;
}

describe('the glossary of preferred spellings', () => {
  it('keeps each spelling in one place: no variant is also preferred, none repeats, and each says what it follows', () => {
    const preferred = new Set(glossary.map((e) => compact(e.preferred)));
    const variants = glossary.flatMap((e) => e.variants.map(compact));
    expect(variants.filter((v) => preferred.has(v))).toEqual([]);
    expect(variants.filter((v, i) => variants.indexOf(v) !== i)).toEqual([]);
    expect(glossary.length).toBeGreaterThanOrEqual(25);
  });

  it('given a card that writes a variant, flags it; quoted notes wording and code are left alone', () => {
    expect(variantsIn('스케쥴러가 노드를 고른다.')).toEqual([{ variant: '스케쥴러', preferred: '스케줄러' }]);
    expect(variantsIn('노트는 이 흐름을 "파드의 생명주기"라고 부른다. `kubectl get pods` 스케줄러')).toEqual([]);
  });
});

announceSkip('glossary.yaml against the official Korean glossary');
describe.skipIf(!GLOSSARY)('the glossary against the official Korean Kubernetes glossary', () => {
  it('spells each term as the official entry does, and the official entry never uses a variant we flag', () => {
    const wrong: string[] = [];
    for (const e of glossary.filter((g) => g.glossary)) {
      const file = join(GLOSSARY!, `${e.glossary}.md`);
      if (!existsSync(file)) {
        wrong.push(`${e.preferred}: no glossary entry ${e.glossary}.md`);
        continue;
      }
      const official = compact(readFileSync(file, 'utf8'));
      if (!official.includes(compact(e.preferred))) wrong.push(`${e.preferred}: not how ${e.glossary}.md spells it`);
      for (const v of e.variants) if (official.includes(compact(v))) wrong.push(`${e.preferred}: ${e.glossary}.md itself writes ${v}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('every shipped card', () => {
  const kb = loadKnowledge(['knowledge']);

  it('writes the preferred Korean spelling in its title, summary, why line, body and drill steps (aliases may keep variants)', () => {
    const flagged: string[] = [];
    const check = (where: string, text: string | undefined) => {
      for (const f of variantsIn(text ?? '')) flagged.push(`${where}: ${f.variant} → ${f.preferred}`);
    };
    for (const c of kb.concepts) {
      check(`${c.id} title`, c.title.ko);
      check(`${c.id} summary`, c.summary.ko);
      check(`${c.id} why`, c.why?.ko);
      check(`${c.id} body`, c.body);
    }
    for (const s of kb.sequences) s.steps.forEach((step, i) => check(`${s.id} step ${i + 1}`, `${step.text.ko} ${step.reason?.ko ?? ''}`));
    for (const set of kb.classifications) for (const cls of set.classes) check(`${set.id} class`, cls.label.ko);
    expect(flagged).toEqual([]);
  });

  it('has titles parsed as the author meant: brackets closed, nothing cut at a comma', () => {
    const cut: string[] = [];
    const balanced = (s: string) => {
      const stack: string[] = [];
      const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
      for (const ch of s) {
        if ('([{'.includes(ch)) stack.push(ch);
        else if (ch in pairs && stack.pop() !== pairs[ch]) return false;
      }
      return stack.length === 0;
    };
    for (const c of kb.concepts) {
      for (const [lang, t] of Object.entries(c.title)) {
        if (!balanced(t) || /[,:;(]\s*$/.test(t) || t !== t.trim() || t.length === 0) cut.push(`${c.id} title.${lang}: ${JSON.stringify(t)}`);
      }
    }
    expect(cut).toEqual([]);
  });
});
