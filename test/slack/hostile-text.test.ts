import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, eventCallback, sendToApp, USER } from '../fakes/slack/payloads.js';
import { allText, responses, SECRET, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Every Slack control sequence that would notify people or link a channel. */
const PINGS = /<!(channel|here|everyone)\b|<!subteam\^|<@[UW][A-Z0-9]*|<#C[A-Z0-9]*/;

// What Slack itself sends when a user types these: mentions arrive encoded, typed brackets escaped.
const HOSTILE = [
  '<!channel> 파드',
  '<!here|here> <!everyone> etcd',
  '<@U123> <@U999|boss> 누구야',
  '<#C0999|random> 채널',
  '&lt;!channel&gt; typed by hand',
  '*bold* _italic_ ~strike~ `code` 주입',
  '<https://evil.example/x|click me> 링크',
  '<!subteam^S123|@ops> 팀',
];

describe('given hostile text from a user', () => {
  it.each(HOSTILE)('a /k8s command echoing %j never pings, links or formats anything', async (text) => {
    const { responseUrl } = await h.command(text);
    const posts = await h.api.waitFor(() => (responses(h.api, responseUrl).length ? responses(h.api, responseUrl) : undefined));
    for (const p of posts) {
      const shown = allText(p.args);
      expect(shown).not.toMatch(PINGS);
      expect(shown).not.toContain('*bold*');
      expect(shown).not.toContain('<https://evil');
    }
  });

  it('a mention full of pings is answered without any of them', async () => {
    const before = h.api.callsOf('chat.postMessage').length;
    await sendToApp(
      h.url,
      'event',
      eventCallback({
        type: 'app_mention',
        user: USER,
        text: '<@UBOT> <!channel> <@U123> *bold* 쿠버네티스의미',
        ts: '1767225600.400001',
        channel: CHANNEL,
      }),
      { secret: SECRET },
    );
    const post = await h.api.waitFor(() =>
      h.api
        .callsOf('chat.postMessage')
        .slice(before)
        .find((c) => c.status === 200),
    );
    const shown = allText(post.args);
    expect(shown).not.toMatch(PINGS);
    expect(shown).not.toContain('*bold*');
  });

  it("a miss quotes the user's words escaped, so they read as typed", async () => {
    // Slack sends what the user typed as `<b>*zzqx*` with the brackets escaped.
    const { responseUrl } = await h.command('&lt;b&gt;*zzqx*');
    const [post] = await h.api.waitFor(() => (responses(h.api, responseUrl).length ? responses(h.api, responseUrl) : undefined));
    const section = allText({ blocks: post!.args.blocks });
    // Slack shows `&lt;b&gt;` as "<b>", and the look-alike asterisks cannot open bold.
    expect(section).toContain('“&lt;b&gt;\u2217zzqx\u2217”');
  });
});
