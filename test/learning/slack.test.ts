import { afterEach, describe, expect, it } from 'vitest';
import { USER } from '../fakes/slack/payloads.js';
import { startHarness, type Harness } from '../slack/harness.js';
import { seedDueCards } from './seed.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Slack: progress pictures and review reminders', () => {
  it('uploads the /progress chart with files.uploadV2 to the asker’s DM, alt text carrying the figures', async () => {
    h = await startHarness();
    await seedDueCards(h.tutor.store, 'slack', USER, ['concept:etcd', 'sequence:pod-creation'], h.clock.now());
    const sent = await h.command('progress');
    expect(sent.status).toBe(200);
    const file = await h.api.waitFor(() => h!.api.files[0]);
    expect(file.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(file.channel).toBe(`D${USER}`);
    expect(file.alt).toContain('2 due now');
    const order = h.api.calls.map((c) => c.method).filter((m) => m.startsWith('files.') || m === 'upload');
    expect(order).toEqual(['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    // The text version still answers the command privately.
    const text = await h.api.waitFor(() => h!.api.callsOf('response_url').find((c) => JSON.stringify(c.args).includes('2 due now')));
    expect(text).toBeTruthy();
  });

  it('sends a due reminder as a DM, and a refused DM switches the reminder off', async () => {
    h = await startHarness();
    expect((await h.command('review remind on 00:00 UTC')).status).toBe(200);
    await h.api.waitFor(() => h!.api.callsOf('response_url').find((c) => JSON.stringify(c.args).includes('Review reminders on')));
    await seedDueCards(h.tutor.store, 'slack', USER, ['concept:etcd', 'concept:kubelet', 'concept:pod'], h.clock.now());
    expect(await h.tutor.reminders.tick()).toEqual([{ userId: USER, result: 'sent' }]);
    const dm = h.api.messages.find((m) => m.channel === `D${USER}`);
    expect(dm?.text ?? JSON.stringify(dm?.blocks)).toContain('3 items are due');

    // The next day the user has closed DMs with the app: the reminder timer finds Slack refusing.
    h.api.refuse(`D${USER}`, 'cannot_dm_bot');
    h.clock.advance(86_400_000);
    for (let i = 0; i < 100 && (await h.tutor.store.learning.reminder('slack', USER))?.enabled; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await h.tutor.store.learning.reminder('slack', USER)).toMatchObject({ enabled: false, offTold: false });
    expect(h.api.messages.filter((m) => m.channel === `D${USER}`)).toHaveLength(1);
  });
});
