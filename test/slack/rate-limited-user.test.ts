import { afterEach, describe, expect, it } from 'vitest';
import { responses, startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const textOf = (call: { args: Record<string, unknown> }) => String(call.args.text ?? '');

describe('a Slack user over the fair limit', () => {
  it('is acked every time, gets one bilingual notice, then silence, while others are still answered', async () => {
    h = await startHarness({ limits: { userEvents: 2, userWindowSeconds: 60, channelEvents: 0, channelWindowSeconds: 60 } });
    const urls: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { status, responseUrl } = await h.command('etcd', { user_id: 'UNOISY' });
      expect(status).toBe(200);
      urls.push(responseUrl);
    }
    const other = await h.command('etcd', { user_id: 'UQUIET' });
    await h.api.waitFor(() => responses(h!.api, other.responseUrl).length > 0);
    await h.api.waitFor(() => responses(h!.api, urls[2]!).length > 0);
    // Give a wrongly sent answer to the fourth command time to arrive before saying there is none.
    await new Promise((r) => setTimeout(r, 300));
    expect(responses(h.api, urls[0]!)).toHaveLength(1);
    expect(responses(h.api, urls[1]!)).toHaveLength(1);
    const notice = responses(h.api, urls[2]!);
    expect(notice).toHaveLength(1);
    expect(textOf(notice[0]!)).toMatch(/잠깐만요[\s\S]*초 뒤에[\s\S]*Please try again in \d+ s/);
    expect(notice[0]!.args.response_type).toBe('ephemeral');
    expect(responses(h.api, urls[3]!)).toHaveLength(0);
    expect(responses(h.api, other.responseUrl)).toHaveLength(1);
    expect(textOf(responses(h.api, other.responseUrl)[0]!)).not.toMatch(/잠깐만요/);
  });
});
