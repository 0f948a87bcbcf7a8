import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blocksOf, responses, startHarness, type Harness } from './harness.js';

let h: Harness;
let dir: string;

const WORDS = ['컨테이너', 'container', '오케스트레이션', 'orchestration', '스케줄러', 'scheduler', 'kubelet', '노드', 'node', '파드'];
/** Word i of the long note: unique, so a cut word would be noticed. */
const word = (i: number) => `${WORDS[i % WORDS.length]}${i}`;

function longNote(): { md: string; words: string[] } {
  const words: string[] = [];
  const paragraphs: string[] = [];
  let i = 0;
  // Thirty paragraphs of a hundred words, then one paragraph of a thousand words (longer than a section).
  for (let p = 0; p < 30; p++) {
    const w = Array.from({ length: 100 }, () => word(i++));
    words.push(...w);
    paragraphs.push(w.join(' '));
  }
  const huge = Array.from({ length: 1000 }, () => word(i++));
  words.push(...huge);
  paragraphs.push(huge.join(' '));
  // A code block longer than a section: it must stay code on both sides of the cut.
  paragraphs.push('```yaml\n' + Array.from({ length: 150 }, (_, n) => `key${n}: value-${n}-${'x'.repeat(20)}`).join('\n') + '\n```');
  const md = [
    '---',
    'id: long-read',
    'title: { ko: 아주 긴 글, en: A very long read }',
    'aliases: [long read]',
    'category: concept',
    'summary: { ko: 사천 단어짜리 설명, en: A four-thousand-word explanation }',
    'source: { url: https://example.com/long, heading: Long }',
    '---',
    '# 아주 긴 글 / A very long read',
    '',
    paragraphs.join('\n\n'),
    '',
  ].join('\n');
  return { md, words };
}

let expected: string[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'slack-long-'));
  const { md, words } = longNote();
  expected = words;
  writeFileSync(join(dir, 'long-read.md'), md);
  h = await startHarness({ notes: [dir] });
});
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('given a 4,000-word answer', () => {
  it("splits it into sections within Slack's limits, on paragraph and word boundaries, losing nothing", async () => {
    expect(expected.length).toBeGreaterThanOrEqual(4000);
    const { responseUrl } = await h.command('long-read');
    const posts = await h.api.waitFor(() => (responses(h.api, responseUrl).length ? responses(h.api, responseUrl) : undefined));
    // The fake rejects (400) any message Slack would reject, so every post that arrived passed the limits.
    expect(h.api.callsOf('response_url').filter((c) => c.status !== 200)).toHaveLength(0);
    const blocks = posts.flatMap((p) => blocksOf(p.args));
    const sectionTexts = blocks.filter((b) => b.type === 'section').map((b) => b.text!.text);
    expect(sectionTexts.length).toBeGreaterThan(8);
    for (const p of posts) expect(blocksOf(p.args).length).toBeLessThanOrEqual(50);
    for (const t of sectionTexts) expect(t.length).toBeLessThanOrEqual(3000);
    // Every word arrives whole, in order.
    const seen = sectionTexts.join(' ').split(/\s+/);
    let at = 0;
    for (const w of expected) {
      at = seen.indexOf(w, at);
      expect(at, `word ${w} missing or cut`).toBeGreaterThanOrEqual(0);
    }
    // The code block cut in two is still code on both sides.
    const code = sectionTexts.filter((t) => t.includes('key1'));
    expect(code.length).toBeGreaterThan(1);
    for (const t of code) expect((t.match(/```/g) ?? []).length % 2).toBe(0);
  });
});
