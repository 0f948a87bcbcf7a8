import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLASH_COMMANDS, toCommand } from '../../adapters/discord/commands.js';
import type { IncomingMessage } from '../../src/message.js';
import { silentLogger } from '../../src/logger.js';
import { Tutor, type Feature } from '../../src/tutor.js';
import { MANAGE_CHANNELS, MANAGE_GUILD } from '../fakes/discord/server.js';
import { startHarness, type Harness } from './harness.js';

describe('discord slash commands map onto the one command language', () => {
  it('given each slash command, gives the same Command as the terminal words', () => {
    expect(toCommand({ command: 'k8s', values: { query: '  etcd ' } })).toEqual({ name: 'lookup', query: 'etcd' });
    expect(toCommand({ command: 'k8s', values: {} })).toEqual({ name: 'help' });
    expect(toCommand({ command: 'quiz', sub: 'start', values: { questions: 5, kind: 'order', topic: 'pod creation' } })).toEqual({
      name: 'quiz',
      args: ['start', '5', 'order', 'pod', 'creation'],
    });
    expect(toCommand({ command: 'quiz', sub: 'solo', values: { kind: 'recall' } })).toEqual({ name: 'quiz', args: ['recall'] });
    expect(toCommand({ command: 'quiz', sub: 'stop', values: {} })).toEqual({ name: 'quiz', args: ['stop'] });
    expect(toCommand({ command: 'quiz', sub: 'hint', values: {} })).toEqual({ name: 'hint' });
    expect(toCommand({ command: 'review', values: {} })).toEqual({ name: 'review', args: [] });
    expect(toCommand({ command: 'review', values: { remind: 'on 21:00' } })).toEqual({ name: 'review', args: ['remind', 'on', '21:00'] });
    expect(toCommand({ command: 'progress', values: { scope: 'team' } })).toEqual({ name: 'progress', args: ['team'] });
    expect(toCommand({ command: 'leaderboard', values: { period: 'week' } })).toEqual({ name: 'leaderboard', args: ['week'] });
    expect(toCommand({ command: 'daily', sub: 'on', values: { time: '09:00', timezone: 'Asia/Seoul' } })).toEqual({
      name: 'daily',
      args: ['on', '09:00', 'Asia/Seoul'],
    });
    expect(toCommand({ command: 'daily', sub: 'off', values: {} })).toEqual({ name: 'daily', args: ['off'] });
  });

  it('every registered command and option has a Korean name and description within Discord limits', () => {
    const check = (o: {
      name: string;
      description: string;
      name_localizations?: { ko: string };
      description_localizations?: { ko: string };
      options?: unknown[];
    }) => {
      expect(o.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(o.name_localizations?.ko).toMatch(/^[-_\p{L}\p{N}]{1,32}$/u);
      expect(o.description.length).toBeLessThanOrEqual(100);
      expect(o.description_localizations?.ko.length).toBeGreaterThan(0);
      for (const child of (o.options ?? []) as (typeof o)[]) check(child);
    };
    for (const c of SLASH_COMMANDS) check(c);
  });
});

describe('discord: the message the core sees', () => {
  let h: Harness;
  const seen: IncomingMessage[] = [];
  const echo: Feature = {
    name: 'echo',
    commands: {
      daily: (cmd, msg) => {
        seen.push(msg);
        return [{ kind: 'notice', visibility: 'channel', markdown: `daily ${cmd.args.join(' ')} manage=${msg.canManage}` }];
      },
    },
  };
  beforeAll(async () => {
    h = await startHarness({
      tutor: (app) => new Tutor({ knowledge: app.knowledge, index: app.tutor.index, log: silentLogger, features: [echo] }),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('given /daily from a member with Manage Channels, the core gets the args, the server as workspace and canManage', async () => {
    const erin = { id: '500000000000000006', username: 'erin', global_name: 'Erin' };
    const { id } = h.fake.slash(erin, h.general, 'daily', { time: '09:00', timezone: 'Asia/Seoul' }, 'on', MANAGE_CHANNELS);
    await h.fake.waitFor(() => h.fake.callbacksFor(id).length === 1);
    expect(h.fake.callbacksFor(id)[0]!.body.data.content).toBe('daily on 09:00 Asia/Seoul manage=true');
    expect(seen[0]).toMatchObject({
      platform: 'discord',
      workspace: h.fake.guilds[0]!.id,
      channel: { id: h.general },
      user: { id: erin.id, name: 'Erin' },
      canManage: true,
    });
    const plain = h.fake.slash(erin, h.general, 'daily', {}, 'status');
    await h.fake.waitFor(() => h.fake.callbacksFor(plain.id).length === 1);
    expect(seen[1]!.canManage).toBe(false);
    const owner = h.fake.slash(erin, h.general, 'daily', {}, 'now', MANAGE_GUILD);
    await h.fake.waitFor(() => h.fake.callbacksFor(owner.id).length === 1);
    expect(seen[2]!.canManage).toBe(true);
  });
});
