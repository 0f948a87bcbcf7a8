import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActions, CHANNEL, eventCallback, slashCommand, USER } from '../fakes/slack/payloads.js';
import { blocksOf, responses, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ mode: 'socket' });
});
afterAll(async () => {
  await h?.close();
});

describe('given Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('connects with apps.connections.open using the app token and is ready after hello', () => {
    const open = h.api.callsOf('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.token).toBe(h.api.opts.appToken);
    expect(h.adapter.ready()).toBe(true);
    expect(h.socket!.connected).toBe(true);
  });

  it('acknowledges a /k8s envelope and answers through the response_url', async () => {
    const responseUrl = h.api.responseUrl();
    const ack = await h.socket!.send('slash_commands', slashCommand('etcd', responseUrl));
    expect(ack.envelope_id).toBeTruthy();
    const [post] = await h.api.waitFor(() => (responses(h.api, responseUrl).length ? responses(h.api, responseUrl) : undefined));
    expect(blocksOf(post!.args)[0]).toMatchObject({ type: 'header', text: { text: 'etcd' } });
  });

  it('acknowledges a button press and opens the card', async () => {
    const responseUrl = h.api.responseUrl();
    await h.socket!.send('interactive', blockActions({ actionId: 'card.open.0', value: 'pod', responseUrl, ephemeral: true }));
    const [post] = await h.api.waitFor(() => (responses(h.api, responseUrl).length ? responses(h.api, responseUrl) : undefined));
    expect(blocksOf(post!.args)[0]!.text!.text).toContain('파드');
  });

  it('acknowledges a mention and answers in its thread; a retried envelope is answered once', async () => {
    const body = eventCallback(
      { type: 'app_mention', user: USER, text: '<@UBOT> etcd', ts: '1767225600.500001', channel: CHANNEL },
      'EvSOCKET0001',
    );
    await h.socket!.send('events_api', body);
    await h.socket!.send('events_api', body, { retry_attempt: 1, retry_reason: 'timeout' });
    const inThread = () => h.api.callsOf('chat.postMessage').filter((c) => c.args.thread_ts === '1767225600.500001');
    await h.api.waitFor(() => inThread().length > 0);
    await h.socket!.send(
      'events_api',
      eventCallback({ type: 'app_mention', user: USER, text: '<@UBOT> pod', ts: '1767225600.500002', channel: CHANNEL }),
    );
    await h.api.waitFor(() => h.api.callsOf('chat.postMessage').some((c) => c.args.thread_ts === '1767225600.500002'));
    expect(inThread()).toHaveLength(1);
  });
});
