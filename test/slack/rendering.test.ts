import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../src/lang.js';
import { actions, button, header, limitProblems, sections, splitMrkdwn, toMessages, LIMITS } from '../../adapters/slack/blocks.js';
import { plainFromSlack, stripBotMention } from '../../adapters/slack/incoming.js';
import { markdownToMrkdwn } from '../../adapters/slack/mrkdwn.js';
import { renderReply } from '../../adapters/slack/render.js';
import type { CardView } from '../../src/reply.js';

const PINGS = /<!(channel|here|everyone)\b|<!subteam\^|<@[UW]|<#C/;

describe('Markdown becomes Slack mrkdwn', () => {
  it('turns bold, italics, code, code blocks, lists and links into their mrkdwn forms', () => {
    const out = markdownToMrkdwn(
      '**굵게** _기울임_ `kubectl get pods`\n\n- 하나\n- 둘\n\n1. first\n2. second\n\n[문서](https://kubernetes.io/docs/)\n\n```sh\nkubectl get pods\n```',
    );
    expect(out).toContain('*굵게*');
    expect(out).toContain('_기울임_');
    expect(out).toContain('`kubectl get pods`');
    expect(out).toContain('• 하나\n• 둘');
    expect(out).toContain('1. first\n2. second');
    expect(out).toContain('<https://kubernetes.io/docs/|문서>');
    expect(out).toContain('```\nkubectl get pods\n```');
  });

  it('escapes &, < and > everywhere, code included', () => {
    expect(markdownToMrkdwn('a & b <c> `x<y>` ')).toBe('a &amp; b &lt;c&gt; `x&lt;y&gt;`');
  });

  it('keeps links only to web and mail addresses', () => {
    expect(markdownToMrkdwn('[x](javascript:alert(1)) [y](https://a.b/?q=1&r=2)')).toBe('x <https://a.b/?q=1&amp;r=2|y>');
  });

  it('given any text a user could type, escaped by the core or not, no ping comes out', () => {
    const slackish = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '<!channel>',
        '<!here>',
        '<!everyone>',
        '<@U123>',
        '<#C123|x>',
        '<!subteam^S1>',
        '*b*',
        '`c`',
        '<',
        '>',
        '&',
        '!',
        '@',
        '#',
        'U',
        'C',
        '|',
        ' ',
      ),
    );
    const text = fc.array(slackish, { maxLength: 12 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, (s) => {
        expect(markdownToMrkdwn(s)).not.toMatch(PINGS);
        expect(markdownToMrkdwn(escapeMarkdown(s))).not.toMatch(PINGS);
        expect(markdownToMrkdwn(escapeMarkdown(plainFromSlack(s)))).not.toMatch(PINGS);
      }),
      { numRuns: 400 },
    );
  });

  it('makes formatting characters a user escaped inert, so *bold* typed stays unbolded', () => {
    const out = markdownToMrkdwn(escapeMarkdown('*bold* _it_ ~s~ `c`'));
    expect(out).not.toMatch(/[*_~`]/);
  });
});

describe('Slack text from users becomes plain text for the core', () => {
  it('turns mentions, channels and links into readable words and unescapes what was typed', () => {
    expect(plainFromSlack('<!channel> <@U123|minji> <#C1|general> <https://a.b|a.b> &lt;pod&gt; &amp;')).toBe(
      '@channel @minji #general a.b <pod> &',
    );
  });

  it("strips only the bot's own mention", () => {
    expect(stripBotMention('<@UBOT> etcd가 뭐야?', 'UBOT')).toBe('etcd가 뭐야?');
    expect(stripBotMention('hey <@UBOT|tutor>, <@U2> 파드', 'UBOT')).toBe('hey <@U2> 파드');
  });
});

describe('Block Kit limits are enforced where blocks are made', () => {
  const words = fc.array(fc.oneof(fc.stringMatching(/^[a-z가-힣]{1,12}$/), fc.constant('\n'), fc.constant('\n\n'), fc.constant('```')), {
    maxLength: 2500,
  });

  it('splitMrkdwn: no piece over the limit, no word under the limit cut, nothing lost', () => {
    fc.assert(
      fc.property(words, fc.integer({ min: 60, max: 3000 }), (ws, limit) => {
        const text = ws.join(' ');
        const pieces = splitMrkdwn(text, limit);
        for (const p of pieces) expect(p.length).toBeLessThanOrEqual(limit);
        const strip = (s: string) => s.split(/\s+/).filter((w) => w && w !== '```');
        expect(strip(pieces.join(' '))).toEqual(strip(text));
      }),
      { numRuns: 150 },
    );
  });

  it('a word longer than a whole section is the only thing ever cut', () => {
    const pieces = splitMrkdwn(`short ${'x'.repeat(7000)} end`, 3000);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(3000);
    expect(pieces.join('').replace(/\s/g, '')).toBe(`short${'x'.repeat(7000)}end`);
  });

  it('header at most 150 characters, cut at a space with an ellipsis', () => {
    const h = header('쿠버네티스 '.repeat(40));
    expect(Array.from(h.text.text).length).toBeLessThanOrEqual(LIMITS.headerText);
    expect(h.text.text.endsWith('…')).toBe(true);
    expect(h.text.text).not.toMatch(/쿠버네티…$/);
  });

  it('actions rows hold at most 25 buttons; messages at most 50 blocks', () => {
    const rows = actions(
      'x',
      Array.from({ length: 60 }, (_, i) => button(`b${i}`, `a.${i}`, String(i))),
    );
    expect(rows.map((r) => r.elements.length)).toEqual([25, 25, 10]);
    const msgs = toMessages('fallback', [...sections('p\n\n'.repeat(10)), ...Array.from({ length: 120 }, () => sections('para')[0]!)]);
    expect(msgs.length).toBe(3);
    for (const m of msgs) expect(limitProblems(m)).toEqual([]);
  });

  it('button labels are cut to 75 characters and a value over 2000 is refused', () => {
    expect(Array.from(button('가'.repeat(200), 'a', 'v').text.text).length).toBeLessThanOrEqual(75);
    expect(() => button('x', 'a', 'v'.repeat(2001))).toThrow(RangeError);
  });
});

describe('replies render within the limits', () => {
  it('a help reply names the Slack commands', () => {
    const [m] = renderReply({
      kind: 'help',
      visibility: 'private',
      markdown: '- `/quiz start` — 팀 퀴즈\n- `/hint` — 힌트\n- `/k8s <질문>`',
    });
    const text = m!.blocks.map((b) => ('text' in b && b.text ? b.text.text : '')).join('\n');
    expect(text).toContain('`/k8s quiz start`');
    expect(text).toContain('`/k8s hint`');
    expect(text).toContain('`/k8s &lt;질문&gt;`');
  });

  it('draws a card again after its note was edited, even when the text kept its length', () => {
    const view = (body: string): CardView => ({
      id: 'pod',
      title: { ko: '파드', en: 'Pod' },
      category: 'object',
      summary: { ko: '가장 작은 배포 단위', en: 'The smallest deployable unit' },
      body,
      related: [],
      confusedWith: [],
      aliases: [],
      source: { file: 'notes.md', heading: '파드' },
    });
    const text = (card: CardView) =>
      renderReply({ kind: 'card', visibility: 'private', markdown: '', card })
        .flatMap((m) => m.blocks)
        .map((b) => ('text' in b && b.text ? b.text.text : ''))
        .join('\n');
    const before = view('컨테이너를 묶는 단위다.');
    expect(text(before)).toContain('묶는');
    expect(text(before)).toBe(text(before));
    const after = view('컨테이너를 담는 단위다.');
    expect(after.body.length).toBe(before.body.length);
    expect(text(after)).toContain('담는');
  });
});
