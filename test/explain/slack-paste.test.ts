import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, eventCallback, sendToApp, USER } from '../fakes/slack/payloads.js';
import { allText, blocksOf, SECRET, startHarness, type Harness } from '../slack/harness.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'explain');
/** What Slack sends for typed text: `&`, `<` and `>` escaped (adapters/slack/incoming.ts undoes it). */
const slackEscaped = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('a paste on Slack (real Bolt app, fake Slack on 127.0.0.1)', () => {
  it('given a code block in a DM, posts the explanation with a quiz button per concept and pings no one', async () => {
    const dm = 'D0EXPLAIN1';
    const paste = readFileSync(join(FIXTURES, 'svc-no-endpoints.txt'), 'utf8');
    const text = `이거 봐 주세요 @everyone <!channel>\n\`\`\`${slackEscaped(paste)}\`\`\``;
    const res = await sendToApp(
      h.url,
      'event',
      eventCallback({ type: 'message', channel_type: 'im', user: USER, text, ts: '1767225600.900001', channel: dm }),
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    const posts = await h.api.waitFor(() => {
      const p = h.api.callsOf('chat.postMessage').filter((c) => c.status === 200 && c.args.channel === dm);
      return p.length ? p : undefined;
    });
    const shown = posts.map((p) => allText(p.args)).join('\n');
    expect(shown).toContain('What your paste shows');
    expect(shown).toContain('web-6f7c9d8b5-h2k4m');
    expect(shown.indexOf('ImagePullBackOff')).toBeLessThan(shown.indexOf('no endpoints'));
    const buttons = posts
      .flatMap((p) => blocksOf(p.args))
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? []);
    expect(buttons.map((b) => (typeof b.text === 'string' ? b.text : b.text.text))).toEqual(
      expect.arrayContaining([expect.stringContaining('Quiz')]),
    );
    for (const p of posts) {
      const raw = JSON.stringify(p.args);
      expect(raw).not.toContain('<!channel>');
      expect(raw).not.toContain('@everyone');
    }
  });

  it('given a paste in a mention in a channel, answers only the person who pasted', async () => {
    const paste = readFileSync(join(FIXTURES, 'kubectl-errors.txt'), 'utf8');
    const before = h.api.callsOf('chat.postEphemeral').length;
    const res = await sendToApp(
      h.url,
      'event',
      eventCallback({
        type: 'app_mention',
        user: USER,
        text: `<@UBOT> \`\`\`${slackEscaped(paste)}\`\`\``,
        ts: '1767225600.900002',
        channel: CHANNEL,
        team: 'T0001',
      }),
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    const [eph] = await h.api.waitFor(() => {
      const p = h.api
        .callsOf('chat.postEphemeral')
        .slice(before)
        .filter((c) => c.status === 200);
      return p.length ? p : undefined;
    });
    expect(eph!.args.user).toBe(USER);
    expect(allText(eph!.args)).toContain('connection refused');
  });
});
