import { describe, expect, it } from 'vitest';
import { limitProblems } from '../../adapters/slack/blocks.js';
import { renderReply } from '../../adapters/slack/render.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import type { Concept } from '../../src/knowledge/types.js';
import { dailyPost } from '../../src/schedule/replies.js';

const PINGS = /<!(channel|here|everyone)\b|<!subteam\^|<@[UW]|<#C/;
const kb = loadKnowledge(['knowledge']);

type Shown = { type: string; text?: { text: string }; elements?: { text: string | { text: string }; action_id?: string }[] };
const textOf = (blocks: Shown[]) =>
  blocks
    .flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : e.text.text))])
    .join('\n');

describe('the concept of the day in Block Kit', () => {
  it("renders every concept in the notes within Slack's limits, heading first and the quiz button last", () => {
    for (const concept of kb.concepts) {
      const messages = renderReply(dailyPost(concept, kb, '2026-03-08'));
      for (const m of messages) expect(limitProblems(m), concept.id).toEqual([]);
      const first = messages[0]!.blocks;
      const last = messages[messages.length - 1]!.blocks;
      expect(first[0]).toMatchObject({ type: 'header', text: { text: '📅 오늘의 개념 · Concept of the day — 2026-03-08' } });
      expect(last[last.length - 1]).toMatchObject({ type: 'actions', elements: [{ action_id: 'concept.quiz.0' }] });
    }
  });

  it('shows why it matters, in both languages, when the notes give it', () => {
    const concept = kb.concepts.find((c) => c.why && c.why.en !== c.why.ko);
    expect(concept).toBeDefined();
    const blocks = renderReply(dailyPost(concept!, kb, '2026-03-08'))[0]!.blocks as Shown[];
    const why = blocks.find((b) => b.type === 'section' && b.text!.text.includes('Why it matters'))!;
    expect(why.text!.text).toContain('왜 중요할까요?');
    expect(why.text!.text).toContain(concept!.why!.en.slice(0, 20));
  });

  it('never turns markup in the notes into a ping, and splits a huge card with the button on the last message', () => {
    const base = kb.concepts[0]!;
    const hostile: Concept = {
      ...base,
      title: { ko: '<!channel> 파드', en: '<@U123> *bold*' },
      why: { ko: '<!here> 중요해요 <#C123|general>', en: '<!everyone> matters <!subteam^S1>' },
      body: Array.from({ length: 400 }, (_, i) => `문단 ${i} <!channel> ${'word '.repeat(60)}`).join('\n\n'),
    };
    const messages = renderReply(dailyPost(hostile, kb, '2026-03-08'));
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(limitProblems(m)).toEqual([]);
      expect(textOf(m.blocks as Shown[])).not.toMatch(PINGS);
      expect(m.text).not.toMatch(PINGS);
    }
    const buttons = messages
      .flatMap((m) => (m.blocks as Shown[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []))
      .filter((e) => e.action_id === 'concept.quiz.0');
    expect(buttons).toHaveLength(1);
    const last = messages[messages.length - 1]!.blocks;
    expect(last[last.length - 1]!.type).toBe('actions');
  });
});
