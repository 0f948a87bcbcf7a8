import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge, parseNoteText } from '../../src/knowledge/load.js';

const card = (reviewed: string) =>
  ['---', 'id: sample', 'title: { ko: 예시, en: Sample }', 'source: { url: "https://kubernetes.io/docs/concepts/" }', reviewed, '---', '# 예시', '', '본문 / body', ''].filter((l) => l !== '').join('\n');

describe('the reviewed field of a card', () => {
  it('is required of cards in the shipped folder, and the problem says how to add it', () => {
    const { problems } = parseNoteText('sample.md', card(''), { requireReviewed: true });
    expect(problems.map((p) => p.message).join()).toMatch(/reviewed: missing; add reviewed: \{ date: YYYY-MM-DD, against: "Kubernetes v1\.34" \}/);
  });

  it("is optional in a learner's own notes, so their cards load as before", () => {
    const dir = mkdtempSync(join(tmpdir(), 'own-notes-'));
    writeFileSync(join(dir, 'sample.md'), card(''));
    const kb = loadKnowledge([dir]);
    expect(kb.problems).toEqual([]);
    expect(kb.byId.get('sample')?.title.en).toBe('Sample');
  });

  it('accepts an unquoted YAML date and a product with its version', () => {
    const { problems, concepts } = parseNoteText('sample.md', card('reviewed: { date: 2026-12-01, against: "Docker Engine 27" }'), { requireReviewed: true });
    expect(problems).toEqual([]);
    expect(concepts.map((c) => c.id)).toEqual(['sample']);
  });

  it('given a date that is not YYYY-MM-DD or an against with no version, names the field', () => {
    const badDate = parseNoteText('a.md', card('reviewed: { date: last week, against: "Kubernetes v1.34" }'), { requireReviewed: true });
    expect(badDate.problems.map((p) => p.message).join()).toMatch(/reviewed\.date/);
    const noVersion = parseNoteText('b.md', card('reviewed: { date: 2026-12-01, against: Kubernetes }'), { requireReviewed: true });
    expect(noVersion.problems.map((p) => p.message).join()).toMatch(/reviewed\.against/);
  });
});
