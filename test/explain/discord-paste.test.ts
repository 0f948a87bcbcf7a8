import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../discord/harness.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'explain');

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

interface Body {
  content?: string;
  embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
  components?: { components?: { label?: string }[] }[];
  allowed_mentions?: unknown;
}
const textOf = (body: Body): string =>
  [
    body.content ?? '',
    ...(body.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])]),
  ].join('\n');

describe('a paste on Discord (real discord.js client, fake Discord on 127.0.0.1)', () => {
  it('given kubectl output pasted in a DM, answers in the DM with what it shows, quiz buttons, and no pings', async () => {
    const ana = h.fake.user('500000000000000031', 'ana');
    const paste = readFileSync(join(FIXTURES, 'svc-no-endpoints.txt'), 'utf8');
    const { channel } = h.fake.dmSay(ana, `이거 왜 이래요? @everyone\n\`\`\`\n${paste}\n\`\`\``);
    await h.fake.waitFor(() => h.fake.postsTo(channel).length > 0, 8000, 'an answer in the DM');
    const bodies = h.fake.postsTo(channel).map((c) => c.body as Body);
    const shown = bodies.map(textOf).join('\n');
    expect(shown).toContain('What your paste shows');
    expect(shown).toContain('web-6f7c9d8b5-h2k4m');
    expect(shown.indexOf('ImagePullBackOff')).toBeLessThan(shown.indexOf('no endpoints'));
    const buttons = bodies.flatMap((b) => (b.components ?? []).flatMap((row) => row.components ?? []));
    expect(buttons.some((b) => /Quiz/.test(String(b.label)))).toBe(true);
    for (const b of bodies) {
      expect(JSON.stringify(b)).not.toContain('@everyone');
      expect(b.allowed_mentions).toMatchObject({ parse: [] });
    }
  });

  it('given a plain question in a DM, answers it with the concept card', async () => {
    const bo = h.fake.user('500000000000000032', 'bo');
    const { channel } = h.fake.dmSay(bo, '파드가 뭐야?');
    await h.fake.waitFor(() => h.fake.postsTo(channel).length > 0, 8000, 'an answer in the DM');
    expect(textOf(h.fake.postsTo(channel)[0]!.body as Body)).toMatch(/파드|Pod/);
  });
});
