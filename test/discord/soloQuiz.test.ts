import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const buttons = (body: any): any[] => (body.components ?? []).flatMap((r: any) => r.components);
const shown = (body: any) =>
  [body.content ?? '', ...(body.embeds ?? []).flatMap((e: any) => [e.title ?? '', e.description ?? ''])].join('\n');

describe('discord: solo questions are ephemeral and answered with buttons, pickers and a text box', () => {
  let h: Harness;
  const dana = { id: '500000000000000005', username: 'dana', global_name: 'Dana' };
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });
  const first = async (id: string) => {
    await h.fake.waitFor(() => h.fake.callbacksFor(id).length > 0);
    return h.fake.callbacksFor(id)[0]!;
  };

  it('given /quiz solo kind:choice, shows the question only to the asker with one button per option; a second click on it is stale', async () => {
    const cb = await first(h.fake.slash(dana, h.general, 'quiz', { kind: 'choice' }, 'solo').id);
    const q = cb.body.data;
    expect(q.flags & 64).toBe(64);
    const options = buttons(q);
    expect(options.length).toBeGreaterThanOrEqual(2);
    const press = h.fake.click(dana, { ...q, id: '1', channel_id: h.general }, options[0].custom_id);
    const grade = (await first(press.id)).body.data;
    expect(grade.flags & 64).toBe(64);
    expect(shown(grade)).toMatch(/정답|Not quite|Partly/);
    const again = (await first(h.fake.click(dana, { ...q, id: '1', channel_id: h.general }, options[1].custom_id).id)).body.data;
    expect(again.content).toMatch(/끝났어요|is over/);
  });

  it('given /quiz solo kind:recall, the answer button opens a text box and the typed answer is graded privately', async () => {
    const q = (await first(h.fake.slash(dana, h.general, 'quiz', { kind: 'recall' }, 'solo').id)).body.data;
    const answerButton = buttons(q).find((b) => /Answer/.test(b.label));
    const open = await first(h.fake.click(dana, { ...q, id: '1', channel_id: h.general }, answerButton.custom_id).id);
    expect(open.body.type).toBe(9);
    expect(open.body.data.custom_id).toMatch(/^recm:/);
    const submitted = await first(h.fake.submitModal(dana, h.general, open.body.data.custom_id, { answer: '@everyone <@123> etcd' }).id);
    expect(submitted.body.data.flags & 64).toBe(64);
    expect(JSON.stringify(submitted.body.data)).not.toMatch(/@everyone|<@\d/);
  });

  it('given /quiz solo kind:order, the picker is the question itself: steps, undo, then submit', async () => {
    const q = (await first(h.fake.slash(dana, h.general, 'quiz', { kind: 'order' }, 'solo').id)).body.data;
    expect(q.flags & 64).toBe(64);
    let current = q;
    const steps = buttons(q).filter((b) => /^[A-Z] ·/.test(b.label));
    expect(steps.length).toBeGreaterThanOrEqual(3);
    for (const step of steps) {
      const cb = await first(h.fake.click(dana, { ...current, id: '1', channel_id: h.general, flags: 64 }, step.custom_id).id);
      expect(cb.body.type).toBe(7);
      current = cb.body.data;
    }
    const submit = buttons(current).find((b) => /Submit/.test(b.label));
    expect(submit.disabled).toBeFalsy();
    const { id, token } = h.fake.click(dana, { ...current, id: '1', channel_id: h.general, flags: 64 }, submit.custom_id);
    await h.fake.waitFor(() =>
      h.fake.calls.some((c) => c.method === 'POST' && c.path.startsWith('/api/v10/webhooks/') && c.path.includes(token)),
    );
    expect((await first(id)).body.data.content).toMatch(/Submitted/);
    const grade = h.fake.calls.find((c) => c.method === 'POST' && c.path.startsWith('/api/v10/webhooks/') && c.path.includes(token))!.body;
    expect(grade.flags & 64).toBe(64);
    expect(h.fake.calls.filter((c) => c.status >= 400)).toEqual([]);
  });
});
