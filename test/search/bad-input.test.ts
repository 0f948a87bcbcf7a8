import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { silentLogger } from '../../src/logger.js';
import type { IncomingMessage } from '../../src/message.js';

const app = await createApp({ log: silentLogger });
const say = (text: string): Promise<import('../../src/reply.js').Reply[]> => {
  const msg: IncomingMessage = { platform: 'test', user: { id: 'u1' }, channel: { id: 'c1' }, text };
  return app.tutor.handle(msg);
};

describe('bad input gets a clear reply and nothing throws', () => {
  it('given an empty lookup, asks what to look up, in both languages', async () => {
    const [reply] = await say('/k8s    ');
    expect(reply!.kind).toBe('help');
    const [empty] = await say('/k8s ?!');
    expect(empty!.code).toBe('query.empty');
    expect(empty!.markdown).toMatch(/찾을 개념을 적어 주세요/);
    expect(empty!.markdown).toMatch(/Tell me which concept/);
  });

  it('given a 10,000-character query, answers with a miss or a card and says only the start was searched', async () => {
    const [reply] = await say(`/k8s ${'가나다라마바사 '.repeat(1250)}`);
    expect(['miss', 'didYouMean', 'card']).toContain(reply!.kind);
    if (reply!.kind === 'miss') expect(reply!.markdown).toMatch(/앞부분만/);
    expect(reply!.markdown.length).toBeLessThan(2000);
  });

  it.each(['!!!???', '🙂🙃🤔', '\u0000\u0007\u001b[31m', '<<<>>>', '**`_~', '[broken](link'])(
    'given %j, replies without throwing',
    async (text) => {
      const replies = await say(`/k8s ${text}`);
      expect(replies).toHaveLength(1);
      expect(['miss', 'didYouMean', 'card']).toContain(replies[0]!.kind);
    },
  );

  it('given hostile markup, never echoes a ping or markup back', async () => {
    const [reply] = await say('/k8s <!channel> @everyone <@U123> xyzzy **bold** [x](http://evil)');
    expect(reply!.markdown).not.toMatch(/<!channel>|@everyone|<@U123>/);
    expect(reply!.markdown).not.toContain('**bold**');
    expect(reply!.markdown).not.toContain('](http://evil)');
  });

  it('given mixed scripts, still finds the concept', async () => {
    const [reply] = await say('/k8s kube-프록시');
    expect(reply!.card?.id).toBe('kube-proxy');
  });

  it('given an English miss, answers in English first', async () => {
    const [reply] = await say('/k8s qwxzv plorb');
    expect(reply!.kind).toBe('miss');
    expect(reply!.markdown.split('\n')[0]).toMatch(/^I found no concept/);
    expect(reply!.suggestions!.length).toBeGreaterThan(0);
  });

  it('given an unknown command, points to /help in Korean and English', async () => {
    const [reply] = await say('/frobnicate now');
    expect(reply!.code).toBe('command.unknown');
    expect(reply!.markdown).toMatch(/\/help/);
  });

  it('given a failing feature, answers politely and keeps serving', async () => {
    const broken = await createApp({
      log: silentLogger,
      features: [
        {
          name: 'broken',
          commands: {
            review: () => {
              throw new Error('boom');
            },
          },
        },
      ],
    });
    const msg = (text: string): IncomingMessage => ({ platform: 'test', user: { id: 'u' }, channel: { id: 'c' }, text });
    const [err] = await broken.tutor.handle(msg('/review'));
    expect(err!.kind).toBe('error');
    expect(err!.markdown).not.toMatch(/boom/);
    const [next] = await broken.tutor.handle(msg('/k8s etcd'));
    expect(next!.card?.id).toBe('etcd');
  });
});
