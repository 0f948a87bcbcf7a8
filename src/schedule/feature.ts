import type { IncomingMessage } from '../message.js';
import type { Reply } from '../reply.js';
import type { Feature } from '../tutor.js';
import type { Subscription } from '../store/daily.js';
import { statusReply } from './status.js';
import { texts } from './replies.js';
import { DailyScheduler, type Delivery, type SchedulerDeps, type Slot } from './scheduler.js';
import { DEFAULT_TIME, DEFAULT_ZONE, localDay, localWhen, looksLikeTime, parseTimeOfDay, resolveZone } from './zone.js';
import { titleLine } from '../lang.js';

export interface DailyFeature extends Feature {
  readonly scheduler: DailyScheduler;
  /** Reads the schedules from the store, sends a post missed while down (today's only), arms the timer. */
  start(): Promise<void>;
}

const SUBCOMMANDS: Record<string, 'on' | 'off' | 'status' | 'now'> = {
  on: 'on',
  start: 'on',
  subscribe: 'on',
  켜기: 'on',
  구독: 'on',
  off: 'off',
  stop: 'off',
  unsubscribe: 'off',
  끄기: 'off',
  해지: 'off',
  status: 'status',
  상태: 'status',
  now: 'now',
  지금: 'now',
};

/** `/daily on [HH:MM] [zone] | off | status | now`: the concept of the day for this channel. */
export function createDailyFeature(deps: SchedulerDeps): DailyFeature {
  const scheduler = new DailyScheduler(deps);
  // deps.kb is read at each use: the notes may be reloaded while the bot runs.
  const { store, clock } = deps;

  const slotOf = (msg: IncomingMessage, zone: string): Slot => ({
    target: { platform: msg.platform, channel: msg.channel.id, ...(msg.workspace ? { workspace: msg.workspace } : {}) },
    day: localDay(clock.now(), zone),
  });

  const on = async (msg: IncomingMessage, args: string[]): Promise<Reply[]> => {
    if (args.length > 2) return [texts.tooManyArgs()];
    const existing = await store.daily.subscription(msg.platform, msg.channel.id);
    let time = args.length === 0 && existing ? existing.timeOfDay : DEFAULT_TIME;
    let zone = args.length === 0 && existing ? existing.zone : DEFAULT_ZONE;
    for (const arg of args) {
      if (looksLikeTime(arg)) {
        const t = parseTimeOfDay(arg);
        if (!t.ok) return [texts.badTime(arg)];
        time = t.value;
      } else {
        const z = resolveZone(arg);
        if (!z.ok) return [/\d/.test(arg) && !arg.includes('/') ? texts.badTime(arg) : texts.badZone(arg)];
        zone = z.value;
      }
    }
    const now = clock.now();
    const sub: Subscription = {
      platform: msg.platform,
      workspace: msg.workspace,
      channel: msg.channel.id,
      timeOfDay: time,
      zone,
      enabled: true,
      createdBy: msg.user.id,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await store.daily.subscribe(sub);
    await scheduler.refresh();
    return [texts.subscribed(time, zone, localWhen(scheduler.nextPost(sub), zone))];
  };

  const off = async (msg: IncomingMessage): Promise<Reply[]> => {
    const was = await store.daily.unsubscribe(msg.platform, msg.channel.id, clock.now());
    await scheduler.refresh();
    return [was ? texts.unsubscribed() : texts.notSubscribed()];
  };

  const now = async (msg: IncomingMessage): Promise<Reply[]> => {
    const sub = await store.daily.subscription(msg.platform, msg.channel.id);
    const slot = slotOf(msg, sub?.zone ?? DEFAULT_ZONE);
    const outcome = await scheduler.serial(slot, () => scheduler.deliver(slot, clock.now(), true));
    return [nowReply(outcome)];
  };

  const nowReply = (d: Delivery): Reply => {
    const title = (id: string | undefined) => {
      const c = id ? deps.kb.byId.get(id) : undefined;
      return c ? titleLine(c.title) : undefined;
    };
    switch (d.result) {
      case 'sent':
        return texts.nowSent(title(d.conceptId) ?? d.conceptId);
      case 'taken':
        return d.claim.state === 'sent' ? texts.nowAlready(title(d.claim.conceptId)) : texts.nowInProgress();
      case 'retrying':
        return texts.nowRetrying();
      case 'failed':
        return texts.nowFailed();
      case 'paused':
        return texts.nowPaused();
      case 'empty':
        return texts.noConcepts();
      case 'unavailable':
        return texts.noOutbox();
    }
  };

  return {
    name: 'daily',
    scheduler,
    start: () => scheduler.start(),
    close: () => scheduler.stop(),
    commands: {
      daily: async (cmd, msg) => {
        await scheduler.idle();
        const [head, ...rest] = cmd.args;
        const sub = head === undefined ? 'status' : SUBCOMMANDS[head.toLowerCase()];
        if (!sub) return [texts.usage(head)];
        if (sub === 'status') return [await statusReply({ store, kb: deps.kb, clock, scheduler }, msg)];
        if (msg.canManage !== true) return [texts.notAllowed()];
        if (sub === 'on') return on(msg, rest);
        if (rest.length > 0) return [texts.usage(`${head} ${rest.join(' ')}`)];
        if (sub === 'off') return off(msg);
        return now(msg);
      },
    },
  };
}
