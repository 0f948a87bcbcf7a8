import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS, limitProblems, splitText } from '../../adapters/discord/limits.js';
import { toDiscordMarkdown } from '../../adapters/discord/markdown.js';
import { pickerMessage, renderReply } from '../../adapters/discord/render.js';
import type { QuizView, Reply } from '../../src/reply.js';
import { card } from './fixtures.js';

const quiz = (over: Partial<QuizView>): QuizView => ({ kind: 'choice', prompt: 'Q?', items: [], questionId: 'q1', ...over });

describe('discord rendering: limits are checked where messages are made', () => {
  it('given a long answer, splits it on paragraph boundaries into messages of at most 2000 characters', () => {
    const paragraphs = Array.from({ length: 40 }, (_, i) => `문단 ${i}: ${'쿠버네티스 파드 '.repeat(12)}`.trim());
    const messages = renderReply({ kind: 'notice', visibility: 'channel', markdown: paragraphs.join('\n\n') });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(limitProblems(m)).toEqual([]);
      expect(m.content!.startsWith('문단')).toBe(true);
    }
    expect(messages.map((m) => m.content).join('\n\n')).toBe(paragraphs.join('\n\n'));
  });

  it('given a code block cut in two, closes it in one message and reopens it in the next', () => {
    const text = '```yaml\n' + Array.from({ length: 300 }, (_, i) => `key${i}: value`).join('\n') + '\n```';
    const pieces = splitText(text, 2000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(2000);
      expect((p.match(/```/g) ?? []).length % 2).toBe(0);
    }
    expect(pieces[1]!.startsWith('```yaml\n')).toBe(true);
  });

  it('given a huge card with many related concepts, keeps the embed within 4096/6000 and the buttons within 5 rows', () => {
    const refs = Array.from({ length: 40 }, (_, i) => ({ id: `c${i}`, title: { ko: `개념 ${i} ${'가'.repeat(90)}`, en: `concept ${i}` } }));
    const [m] = renderReply({
      kind: 'card',
      visibility: 'private',
      markdown: '',
      card: card({
        body: '본문 '.repeat(5000),
        related: refs,
        confusedWith: refs.slice(5),
        aliases: Array(300).fill('alias'),
        example: { lang: 'yaml', code: 'x: 1\n'.repeat(2000) },
      }),
    });
    expect(limitProblems(m!)).toEqual([]);
    expect(m!.ephemeral).toBe(true);
    expect(m!.embeds![0]!.description!.length).toBeLessThanOrEqual(LIMITS.embedDescription);
  });

  it('given any card text at all, the rendered message breaks no limit (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 9000 }), fc.string({ maxLength: 400 }), fc.string({ maxLength: 3000 }), (body, title, summary) => {
        const [m] = renderReply({
          kind: 'card',
          visibility: 'private',
          markdown: body,
          card: card({ body, title: { ko: title || 'x', en: title || 'x' }, summary: { ko: summary, en: summary } }),
        });
        return limitProblems(m!).length === 0;
      }),
      { numRuns: 200 },
    );
  });

  it('given a choice question with 30 options, shows at most 25 buttons in 5 rows with unique ids of 100 characters or fewer', () => {
    const q = quiz({ items: Array.from({ length: 30 }, (_, i) => ({ label: String(i), text: 'x'.repeat(200) })) });
    const [m] = renderReply({ kind: 'quiz', visibility: 'channel', markdown: '', quiz: q });
    expect(limitProblems(m!)).toEqual([]);
    expect(m!.components).toHaveLength(5);
  });

  it('given a 20-step drill, the private picker uses four rows of steps and one row of undo and submit', () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ label: String.fromCharCode(65 + i), text: `step ${i}` }));
    const q = quiz({ kind: 'order', items });
    const m = pickerMessage({ key: q.questionId, quiz: q }, [3, 1]);
    expect(limitProblems(m)).toEqual([]);
    expect(m.components).toHaveLength(5);
    expect(m.content).toMatch(/\*\*D\*\* → \*\*B\*\* → ＿/);
    const submit = m.components![4]!.components[1]!;
    expect(submit.disabled).toBe(true);
  });

  it('given a question with a deadline, shows it as a Discord relative timestamp', () => {
    const q = quiz({ kind: 'recall', deadline: 1_767_225_630_000, roundId: 'r1', number: 2, total: 5 });
    const [m] = renderReply({ kind: 'quiz', visibility: 'channel', markdown: '', quiz: q }, 't');
    expect(m!.embeds![0]!.description).toContain('<t:1767225630:R>');
    expect(m!.embeds![0]!.title).toContain('2/5');
  });

  it('given Markdown the core makes, keeps Discord Markdown and defuses pings', () => {
    expect(toDiscordMarkdown('#### 깊은 제목\n| a | b |\n|---|---|\n| 1 | 2 |\nhi @everyone <@123> <@&9> <!channel>')).toBe(
      '**깊은 제목**\n```\na | b\n1 | 2\n```\nhi @\u200beveryone <\u200b@123> <\u200b@&9> <\u200b!channel>',
    );
    expect(toDiscordMarkdown('```\n#### not a heading\n```')).toBe('```\n#### not a heading\n```');
  });

  it('given a reply of every kind, the rendered messages never break a limit (property)', () => {
    const kinds: Reply['kind'][] = ['notice', 'help', 'miss', 'grade', 'scoreboard', 'error'];
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.string({ maxLength: 12000 }), (kind, markdown) => {
        const reply: Reply = { kind, markdown, visibility: 'channel' };
        if (kind === 'grade') reply.grade = { user: 'u', correct: false, points: 0, expected: 'x', questionId: 'q' };
        if (kind === 'scoreboard')
          reply.scoreboard = {
            title: { ko: markdown.slice(0, 300), en: 'x' },
            entries: Array.from({ length: 40 }, (_, i) => ({ user: `${i}`, name: markdown.slice(0, 200), points: i, rank: i + 1 })),
          };
        return renderReply(reply).every((m) => limitProblems(m).length === 0);
      }),
      { numRuns: 150 },
    );
  });
});
