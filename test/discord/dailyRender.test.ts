import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAction, encodeAction } from '../../adapters/discord/customId.js';
import { LIMITS, limitProblems } from '../../adapters/discord/limits.js';
import { renderReply } from '../../adapters/discord/render.js';
import { createApp } from '../../src/app.js';
import { silentLogger } from '../../src/logger.js';
import type { CardView, Reply } from '../../src/reply.js';
import { card as baseCard } from './fixtures.js';
import { dailyPost } from '../../src/schedule/replies.js';

const card = (over: Partial<CardView> = {}): CardView =>
  baseCard({ related: [{ id: 'api-server', title: { ko: 'API 서버', en: 'API server' } }], ...over });

const daily = (over: Partial<Reply> = {}): Reply => ({
  kind: 'daily',
  code: 'daily.post',
  visibility: 'channel',
  markdown: '📅 **오늘의 개념 · Concept of the day** — 2026-03-08\n\netcd',
  card: card(),
  daily: { day: '2026-03-08', why: { ko: '클러스터의 모든 상태가 여기 있어요.', en: 'Every bit of cluster state lives here.' } },
  actions: [{ kind: 'quiz-on-concept', conceptId: 'etcd', command: '/quiz etcd', label: { ko: '퀴즈 풀기', en: 'Quiz me' } }],
  ...over,
});

const buttons = (m: { components?: { components: { custom_id?: string; label?: string }[] }[] }) =>
  (m.components ?? []).flatMap((r) => r.components);

describe('discord: a daily post renders as a heading, the card embed, the why line and a quiz button', () => {
  it('given the core’s daily reply, one public message: heading with the day above the card, why as the last field, the quiz button first', () => {
    const [m, ...more] = renderReply(daily());
    expect(more).toEqual([]);
    expect(m!.ephemeral).toBe(false);
    expect(m!.content).toBe('📅 **오늘의 개념 · Concept of the day** — 2026-03-08');
    expect(m!.embeds![0]!.title).toBe('etcd');
    expect(m!.embeds![0]!.fields!.at(-1)).toEqual({
      name: '💡 왜 중요할까요? · Why it matters',
      value: '클러스터의 모든 상태가 여기 있어요.\n_Every bit of cluster state lives here._',
    });
    expect(m!.components![0]!.components).toEqual([{ type: 2, style: 3, label: '🧩 퀴즈 풀기 · Quiz me', custom_id: 'cmd:/quiz etcd' }]);
    expect(buttons(m!).map((b) => b.custom_id)).toContain('card:api-server');
    expect(limitProblems(m!)).toEqual([]);
  });

  it('given a concept without a why line, no empty field is made', () => {
    const [m] = renderReply(daily({ daily: { day: '2026-03-08' } }));
    expect(m!.embeds![0]!.fields!.some((f) => /Why it matters/.test(f.name))).toBe(false);
    expect(limitProblems(m!)).toEqual([]);
  });

  it('given every concept in the notes as a daily post, each message is within every Discord limit', async () => {
    const app = await createApp({ log: silentLogger, notesPaths: ['knowledge'] });
    try {
      for (const c of app.knowledge.concepts) {
        const [m, ...rest] = renderReply(dailyPost(c, app.knowledge, '2026-03-08'));
        expect(rest).toEqual([]);
        expect(limitProblems(m!), c.id).toEqual([]);
        expect(buttons(m!)[0]!.custom_id).toBe(`cmd:/quiz ${c.id}`);
      }
    } finally {
      await app.close();
    }
  });

  it('given hostile or oversize card text, the post stays within limits, keeps its quiz button and pings nobody (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 9000 }), fc.string({ maxLength: 3000 }), fc.string({ maxLength: 400 }), (body, why, title) => {
        const refs = Array.from({ length: 30 }, (_, i) => ({ id: `c${i}`, title: { ko: `${title}${i}`, en: `x${i}` } }));
        const reply = daily({
          card: card({
            body: `@everyone <@123> ${body}`,
            title: { ko: title || 'x', en: title || 'x' },
            related: refs,
            confusedWith: refs,
            aliases: Array(200).fill(title),
            example: { lang: 'yaml', code: body },
          }),
          daily: { day: '2026-03-08', why: { ko: `@here ${why}`, en: why } },
        });
        const [m] = renderReply(reply);
        const text = JSON.stringify(m);
        return (
          limitProblems(m!).length === 0 &&
          buttons(m!).some((b) => b.custom_id === 'cmd:/quiz etcd') &&
          !/(?<!\\u200b|\u200b)@(everyone|here)|<@\d/.test(text)
        );
      }),
      { numRuns: 100 },
    );
  });

  it('given a daily reply without a card, the Markdown is shown with the quiz button under it', () => {
    const [m] = renderReply(daily({ card: undefined }));
    expect(m!.content).toMatch(/Concept of the day/);
    expect(buttons(m!)[0]!.custom_id).toBe('cmd:/quiz etcd');
  });

  it('given an action whose command would not fit a custom id, leaves that button out rather than cut the command', () => {
    const command = `/quiz ${'x'.repeat(LIMITS.customId)}`;
    expect(encodeAction({ type: 'command', command })).toBeUndefined();
    const [m] = renderReply(daily({ actions: [{ kind: 'quiz-on-concept', conceptId: 'x', command, label: { ko: '퀴즈', en: 'Quiz' } }] }));
    expect(buttons(m!).some((b) => b.custom_id?.startsWith('cmd:'))).toBe(false);
    expect(limitProblems(m!)).toEqual([]);
  });

  it('a command button’s id reads back as the same command', () => {
    expect(decodeAction(encodeAction({ type: 'command', command: '/quiz worker-node' })!)).toEqual({
      type: 'command',
      command: '/quiz worker-node',
    });
    expect(decodeAction('cmd:')).toBeUndefined();
  });
});
