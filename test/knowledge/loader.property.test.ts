import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNoteText } from '../../src/knowledge/load.js';

const markdownish = fc.array(
  fc.oneof(
    fc.string(),
    fc.constantFrom('# ', '## ', '**', '<br>', '\n', '1. ', '- ', '```', '---\n', '{{< glossary_tooltip text="x" term_id="y" >}}', '<!--', '-->', '파드', 'kubelet', ': ', '[', '](', '|'),
  ),
  { maxLength: 60 },
).map((parts) => parts.join(''));

describe('the notes loader, on any text', () => {
  it('never throws, and every concept has an id, a title and a source line inside the file', () => {
    fc.assert(
      fc.property(markdownish, (text) => {
        const parsed = parseNoteText('any.md', text);
        const lines = text.split('\n').length;
        for (const c of parsed.concepts) {
          expect(c.id).toBeTruthy();
          expect(c.title.ko.length).toBeGreaterThan(0);
          if (c.source.line !== undefined) expect(c.source.line).toBeLessThanOrEqual(lines + 1);
        }
        for (const p of parsed.problems) expect(p.file).toBe('any.md');
      }),
      { numRuns: 400 },
    );
  });

  it('gives every concept in one file a distinct id', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('kubelet', '파드', 'etcd', 'API 서버', 'x'), { minLength: 1, maxLength: 8 }), (terms) => {
        const text = terms.map((t) => `**${t}**<br>\n${t} 설명.\n`).join('\n');
        const ids = parseNoteText('n.md', text).concepts.map((c) => c.id);
        expect(new Set(ids).size).toBe(ids.length);
      }),
    );
  });
});
