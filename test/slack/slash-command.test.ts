import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActions, sendToApp } from '../fakes/slack/payloads.js';
import { blocksOf, responses, SECRET, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('given a signed /k8s command over HTTP', () => {
  it('acknowledges with an empty 200, then answers the asker privately with the concept card in Block Kit', async () => {
    const { status, responseUrl } = await h.command('etcd');
    expect(status).toBe(200);
    const [post] = await h.api.waitFor(() => (responses(h.api, responseUrl).length ? responses(h.api, responseUrl) : undefined));
    const args = post!.args;
    expect(args.response_type).toBe('ephemeral');
    expect(args.replace_original).toBe(false);
    const blocks = blocksOf(args);
    expect(blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'etcd' } });
    // Summary: Korean in bold, English in italics, both present.
    const summary = blocks[1]!.text!.text;
    expect(summary).toMatch(/\*[^*]+\*/);
    expect(summary).toMatch(/_[^_]+_/);
    // Related concepts as buttons that open their cards.
    const related = blocks.filter((b) => b.type === 'actions' && b.block_id?.startsWith('related'));
    expect(related.length).toBeGreaterThan(0);
    expect(related[0]!.elements!.every((e) => /^card\.open\.\d+$/.test(e.action_id!))).toBe(true);
    // Source in a context line, and the share button last.
    expect(blocks.some((b) => b.type === 'context' && JSON.stringify(b).includes('출처 / Source'))).toBe(true);
    const last = blocks[blocks.length - 1]!;
    expect(last).toMatchObject({ type: 'actions', elements: [{ action_id: 'card.share', value: 'etcd' }] });
    expect(typeof args.text).toBe('string');
  });

  it('shows a command example as a code block when the concept has one', async () => {
    const withExample = h.tutor.knowledge.concepts.find((c) => c.example);
    expect(withExample).toBeDefined();
    const { responseUrl } = await h.command(withExample!.id);
    const [post] = await h.api.waitFor(() => (responses(h.api, responseUrl).length ? responses(h.api, responseUrl) : undefined));
    const example = blocksOf(post!.args).find((b) => b.type === 'section' && b.text!.text.startsWith('*예시 / Example*'));
    expect(example?.text?.text).toContain('```');
  });

  it('answers /k8s alone and /k8s help with the help, written with /k8s command words', async () => {
    for (const text of ['', 'help']) {
      const { responseUrl } = await h.command(text);
      const [post] = await h.api.waitFor(() => (responses(h.api, responseUrl).length ? responses(h.api, responseUrl) : undefined));
      const shown = blocksOf(post!.args)
        .map((b) => b.text?.text ?? '')
        .join('\n');
      expect(shown).toContain('`/k8s quiz');
      expect(shown).not.toMatch(/`\/quiz/);
    }
  });

  it('offers the top three as buttons when it is not sure what was meant', async () => {
    const { responseUrl } = await h.command('쿠버네티스 컨트롤');
    const [post] = await h.api.waitFor(() => (responses(h.api, responseUrl).length ? responses(h.api, responseUrl) : undefined));
    const blocks = blocksOf(post!.args);
    const buttons = blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
    if (blocks[0]?.type === 'header') {
      // The search was sure after all: a card. The did-you-mean path is covered below with a typo.
      expect(buttons.some((b) => b.action_id === 'card.share')).toBe(true);
    }
    const typo = await h.command('zzqx-nothing-like-this');
    const [miss] = await h.api.waitFor(() => (responses(h.api, typo.responseUrl).length ? responses(h.api, typo.responseUrl) : undefined));
    const offered = blocksOf(miss!.args)
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? []);
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.length).toBeLessThanOrEqual(3);
    expect(offered.every((b) => /^card\.open\.\d$/.test(b.action_id!))).toBe(true);
  });

  it("opens a related concept's card when its button is pressed", async () => {
    const { responseUrl } = await h.command('etcd');
    const [post] = await h.api.waitFor(() => (responses(h.api, responseUrl).length ? responses(h.api, responseUrl) : undefined));
    const button = blocksOf(post!.args).find((b) => b.block_id?.startsWith('related'))!.elements![0]!;
    const pressUrl = h.api.responseUrl();
    const res = await sendToApp(
      h.url,
      'interaction',
      blockActions({ actionId: button.action_id!, value: button.value!, responseUrl: pressUrl, ephemeral: true }),
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    const [opened] = await h.api.waitFor(() => (responses(h.api, pressUrl).length ? responses(h.api, pressUrl) : undefined));
    const header = blocksOf(opened!.args)[0]!;
    const concept = h.tutor.knowledge.byId.get(button.value!)!;
    expect(header.type).toBe('header');
    expect(header.text!.text).toContain(concept.title.ko);
    expect(opened!.args.response_type).toBe('ephemeral');
  });

  it('posts the card to the channel for everyone when "share to channel" is pressed, naming the sharer without a ping', async () => {
    const before = h.api.callsOf('chat.postMessage').length;
    const pressUrl = h.api.responseUrl();
    await sendToApp(h.url, 'interaction', blockActions({ actionId: 'card.share', value: 'etcd', responseUrl: pressUrl, ephemeral: true }), {
      secret: SECRET,
    });
    const posted = await h.api.waitFor(() => h.api.callsOf('chat.postMessage')[before]);
    expect(posted.args.channel).toBe('C0001');
    const blocks = blocksOf(posted.args);
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'etcd' } });
    expect(blocks.some((b) => b.elements?.some((e) => e.action_id === 'card.share'))).toBe(false);
    expect(JSON.stringify(blocks)).toContain('minji');
    expect(JSON.stringify(blocks)).not.toContain('<@U0001>');
  });
});

describe('given requests Slack would never send', () => {
  it('answers a bad signature with 401 and runs no handler', async () => {
    const before = h.api.calls.length;
    const responseUrl = h.api.responseUrl();
    const { sendToApp: send, slashCommand } = await import('../fakes/slack/payloads.js');
    const res = await send(h.url, 'command', slashCommand('etcd', responseUrl), { secret: SECRET, signWith: 'not-the-secret' });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.api.calls.slice(before).filter((c) => c.method === 'response_url')).toHaveLength(0);
  });

  it('answers a correctly signed request older than five minutes with 401 and runs no handler', async () => {
    const before = h.api.calls.length;
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const { status } = await h.command('etcd', {}, { timestamp: stale });
    expect(status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.api.calls.slice(before).filter((c) => c.method === 'response_url')).toHaveLength(0);
  });
});
