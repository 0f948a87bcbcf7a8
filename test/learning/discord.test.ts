import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../discord/harness.js';
import { seedDueCards } from './seed.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const erin = { id: '500000000000000006', username: 'erin', global_name: 'Erin' };

describe('Discord: progress pictures and review reminders', () => {
  it('attaches the /progress chart to the interaction reply, alt text carrying the figures', async () => {
    h = await startHarness();
    await seedDueCards(h.app.store, 'discord', erin.id, ['concept:etcd', 'sequence:pod-creation'], h.clock.now());
    const { id } = h.fake.slash(erin, h.general, 'progress');
    await h.fake.waitFor(() => h!.fake.callbacksFor(id).some((c) => c.files?.length), 8000, 'an attachment');
    const call = h.fake.callbacksFor(id).find((c) => c.files?.length)!;
    expect(call.status).toBeLessThan(300);
    expect(call.files![0]!.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const data = call.body.data ?? call.body;
    expect(data.attachments[0].description).toContain('2 due now');
  });

  it('sends a reminder as a DM, and a refused DM switches the reminder off and tells the learner next time', async () => {
    h = await startHarness();
    const on = h.fake.slash(erin, h.general, 'review', { remind: 'on 00:00 UTC' });
    await h.fake.waitFor(() => h!.fake.callbacksFor(on.id).length === 1);
    await seedDueCards(h.app.store, 'discord', erin.id, ['concept:etcd', 'concept:kubelet', 'concept:pod'], h.clock.now());
    expect(await h.app.reminders.tick()).toEqual([{ userId: erin.id, result: 'sent' }]);
    const dm = h.fake.messages.get(`dm:${erin.id}`) ?? [];
    expect(dm).toHaveLength(1);
    expect(dm[0].content ?? JSON.stringify(dm[0].embeds)).toContain('3 items are due');

    h.fake.dmRefused.add(erin.id);
    h.clock.advance(86_400_000);
    for (let i = 0; i < 100 && (await h.app.store.learning.reminder('discord', erin.id))?.enabled; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect((await h.app.store.learning.reminder('discord', erin.id))?.enabled).toBe(false);
    const next = h.fake.slash(erin, h.general, 'review');
    await h.fake.waitFor(() => h!.fake.callbacksFor(next.id).length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    const said = JSON.stringify(h.fake.allMessages().filter((m) => m.interaction === next.id));
    expect(said).toContain('review reminder was switched off');
  });
});
