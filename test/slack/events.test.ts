import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, eventCallback, sendToApp, USER } from '../fakes/slack/payloads.js';
import { blocksOf, responses, SECRET, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const postsTo = (channel: string, after: number) =>
  h.api
    .callsOf('chat.postMessage')
    .filter((c) => c.status === 200 && c.args.channel === channel)
    .slice(after);

describe('given a mention or a direct message', () => {
  it('answers "@tutor etcd가 뭐야?" with the etcd card in the mention\'s thread, the bot mention stripped', async () => {
    const before = postsTo(CHANNEL, 0).length;
    const ts = '1767225600.100001';
    const res = await sendToApp(
      h.url,
      'event',
      eventCallback({ type: 'app_mention', user: USER, text: '<@UBOT> etcd가 뭐야?', ts, channel: CHANNEL, team: 'T0001' }),
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    const [post] = await h.api.waitFor(() => (postsTo(CHANNEL, before).length ? postsTo(CHANNEL, before) : undefined));
    expect(post!.args.thread_ts).toBe(ts);
    expect(blocksOf(post!.args)[0]).toMatchObject({ type: 'header', text: { text: 'etcd' } });
  });

  it('answers a direct message in the DM with the card', async () => {
    const dm = 'D0001';
    const res = await sendToApp(
      h.url,
      'event',
      eventCallback({ type: 'message', channel_type: 'im', user: USER, text: '파드', ts: '1767225600.100002', channel: dm }),
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    const [post] = await h.api.waitFor(() => (postsTo(dm, 0).length ? postsTo(dm, 0) : undefined));
    expect(blocksOf(post!.args)[0]!.type).toBe('header');
    expect(blocksOf(post!.args)[0]!.text!.text).toContain('파드');
  });

  it('ignores ordinary channel chatter that is neither a mention nor in a round thread', async () => {
    const res = await sendToApp(
      h.url,
      'event',
      eventCallback({
        type: 'message',
        channel_type: 'channel',
        user: USER,
        text: 'etcd 얘기 중',
        ts: '1767225600.100003',
        channel: 'C0777',
      }),
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    // A DM sent afterwards is answered; by then the chatter would have been answered too, had it been.
    await sendToApp(
      h.url,
      'event',
      eventCallback({ type: 'message', channel_type: 'im', user: USER, text: 'etcd', ts: '1767225600.100004', channel: 'D0002' }),
      { secret: SECRET },
    );
    await h.api.waitFor(() => postsTo('D0002', 0).length > 0);
    expect(postsTo('C0777', 0)).toHaveLength(0);
  });

  it('never answers its own messages', async () => {
    await sendToApp(
      h.url,
      'event',
      eventCallback({
        type: 'message',
        channel_type: 'im',
        user: 'UBOT',
        bot_id: 'B0001',
        text: 'etcd',
        ts: '1767225600.100005',
        channel: 'D0003',
      }),
      { secret: SECRET },
    );
    await sendToApp(
      h.url,
      'event',
      eventCallback({ type: 'message', channel_type: 'im', user: USER, text: 'etcd', ts: '1767225600.100006', channel: 'D0004' }),
      { secret: SECRET },
    );
    await h.api.waitFor(() => postsTo('D0004', 0).length > 0);
    expect(postsTo('D0003', 0)).toHaveLength(0);
  });
});

describe('given Slack retries and rate limits', () => {
  it('answers an event once when Slack retries it with X-Slack-Retry-Num', async () => {
    const dm = 'D0100';
    const body = eventCallback(
      { type: 'message', channel_type: 'im', user: USER, text: 'etcd', ts: '1767225600.200001', channel: dm },
      'EvRETRY00001',
    );
    const first = await sendToApp(h.url, 'event', body, { secret: SECRET });
    const retry = await sendToApp(h.url, 'event', body, { secret: SECRET, retryNum: 1, retryReason: 'http_timeout' });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    await h.api.waitFor(() => postsTo(dm, 0).length > 0);
    // A later, different message proves the handler queue has drained past the retry.
    await sendToApp(
      h.url,
      'event',
      eventCallback({ type: 'message', channel_type: 'im', user: USER, text: 'pod', ts: '1767225600.200002', channel: dm }),
      { secret: SECRET },
    );
    await h.api.waitFor(() => postsTo(dm, 0).length >= 2);
    expect(postsTo(dm, 0)).toHaveLength(2);
  });

  it('answers a retried slash command once, acknowledging both', async () => {
    const responseUrl = h.api.responseUrl();
    const { slashCommand } = await import('../fakes/slack/payloads.js');
    const cmd = slashCommand('etcd', responseUrl);
    const a = await sendToApp(h.url, 'command', cmd, { secret: SECRET });
    const b = await sendToApp(h.url, 'command', cmd, { secret: SECRET, retryNum: 1 });
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.api.waitFor(() => responses(h.api, responseUrl).length > 0);
    const next = await h.command('pod');
    await h.api.waitFor(() => responses(h.api, next.responseUrl).length > 0);
    expect(responses(h.api, responseUrl)).toHaveLength(1);
  });

  it('waits out a 429 for its Retry-After and then delivers, instead of dropping the answer', async () => {
    const dm = 'D0200';
    h.api.rateLimit('chat.postMessage', 1);
    await sendToApp(
      h.url,
      'event',
      eventCallback({ type: 'message', channel_type: 'im', user: USER, text: 'etcd', ts: '1767225600.300001', channel: dm }),
      { secret: SECRET },
    );
    const delivered = await h.api.waitFor(() => postsTo(dm, 0)[0], 15_000);
    const limited = h.api.callsOf('chat.postMessage').find((c) => c.status === 429 && c.args.channel === dm)!;
    expect(limited).toBeDefined();
    // Retry-After: 1 means one second; the client must not come back sooner.
    expect(delivered.at - limited.at).toBeGreaterThanOrEqual(950);
    expect(blocksOf(delivered.args)[0]!.text!.text).toBe('etcd');
  });
});
