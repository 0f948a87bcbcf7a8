import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../clock.js';
import { isPermanentPostError } from '../errors.js';
import { escapeMarkdown } from '../lang.js';
import type { Logger } from '../logger.js';
import type { IncomingMessage } from '../message.js';
import type { Reply } from '../reply.js';
import { DEFAULT_ZONE, localDay, looksLikeTime, parseTimeOfDay, resolveZone } from '../schedule/zone.js';
import { sanitize } from '../search/normalize.js';
import type { Store } from '../store/types.js';
import type { Reminder } from '../store/learning.js';
import type { Outbox } from '../tutor.js';
import { notice } from '../quiz/context.js';

/**
 * Opt-in review reminders: a direct message when at least `minDue` items are due, at most once a
 * learner's local day, at or after the time they chose, never in the quiet hours (22:00–08:00)
 * unless the chosen time is inside them. The day is claimed in `daily_claims` (the daily post's
 * claim: one winner across processes and restarts) under the channel `reminder:<user>`.
 */
export const DEFAULT_REMIND_TIME = '19:00';
export const QUIET_FROM = 22 * 60;
export const QUIET_UNTIL = 8 * 60;
const TICK_MS = 5 * 60_000;
const LEASE_MS = 30 * 60_000;

export interface ReminderDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  outbox?: Outbox | undefined;
  minDue: number;
  /** Platforms whose reminders this process sends; unset: all. */
  platforms?: string[] | undefined;
}

export const reminderChannel = (userId: string): string => `reminder:${userId}`;

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
export const inQuietHours = (min: number): boolean => min >= QUIET_FROM || min < QUIET_UNTIL;

const minuteFormats = new Map<string, Intl.DateTimeFormat>();
/** Minutes since local midnight in `zone`. */
export function localMinutes(at: number, zone: string): number {
  let f = minuteFormats.get(zone);
  if (!f) {
    if (minuteFormats.size > 500) minuteFormats.clear();
    f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    minuteFormats.set(zone, f);
  }
  const parts = f.formatToParts(new Date(at));
  return Number(parts.find((p) => p.type === 'hour')?.value ?? 0) * 60 + Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
}

/** Whether a reminder may go out at `at`: past its time today, and outside quiet hours unless asked. */
export function mayRemind(r: Pick<Reminder, 'timeOfDay' | 'zone' | 'quietOk'>, at: number): boolean {
  const now = localMinutes(at, r.zone);
  const want = minutesOf(r.timeOfDay);
  if (now < want) return false;
  if (r.quietOk) return true;
  return !inQuietHours(now);
}

const shown = (s: string) => escapeMarkdown(sanitize(s).slice(0, 40));

export const reminderTexts = {
  badTime: (input: string) =>
    notice(
      'review.remind.time',
      `“${shown(input)}” 은(는) 시각으로 읽을 수 없어요. 이렇게 적어 주세요: \`/review remind on\` (저녁 7시), \`/review remind on 08:30\`, \`/review remind on 21:00 Asia/Seoul\`, \`/review remind off\`.\n` +
        `I can't read “${shown(input)}” as a time. Accepted forms: \`/review remind on\` (7 pm), \`/review remind on 08:30\`, \`/review remind on 21:00 Asia/Seoul\`, \`/review remind off\`. Times are 24-hour HH:MM.`,
    ),
  badZone: (input: string) =>
    notice(
      'review.remind.zone',
      `“${shown(input)}” 은(는) 알 수 없는 시간대예요. IANA 이름으로 적어 주세요: \`Asia/Seoul\`, \`America/New_York\`, \`Europe/London\`, \`UTC\` (예: \`/review remind on 20:00 Europe/London\`).\n` +
        `“${shown(input)}” is not a time zone I know. Use an IANA name: \`Asia/Seoul\`, \`America/New_York\`, \`Europe/London\`, \`UTC\` (e.g. \`/review remind on 20:00 Europe/London\`).`,
    ),
  usage: () =>
    notice(
      'review.remind.usage',
      '복습 알림: `/review remind on [HH:MM] [시간대]` (예: `/review remind on 19:00 Asia/Seoul`), `/review remind off`, `/review remind status`.\n' +
        'Review reminders: `/review remind on [HH:MM] [zone]` (e.g. `/review remind on 19:00 Asia/Seoul`), `/review remind off`, `/review remind status`.',
    ),
};

export class Reminders {
  private timer: TimerHandle | undefined;
  private readonly owner = randomUUID();
  private closed = false;
  /**
   * Learners owed the "your reminder was switched off" notice: every message checks this set, so
   * only theirs reach the store. Filled from the store at start and on each refusal; an entry
   * leaves when told. Capped: past the cap the store decides (correct, a read per message more).
   */
  private readonly owed = new Set<string>();
  private owedOverflow = false;
  private static readonly OWED_CAP = 10_000;

  constructor(private readonly deps: ReminderDeps) {}

  /** Reads who is owed a notice (at start). */
  async load(): Promise<void> {
    for (const r of await this.deps.store.learning.untoldRefusals()) this.owe(r.platform, r.userId);
  }

  private owe(platform: string, userId: string): void {
    if (this.owed.size >= Reminders.OWED_CAP) this.owedOverflow = true;
    else this.owed.add(`${platform}\u0000${userId}`);
  }

  /** `/review remind on [HH:MM] [zone] | off | status`. */
  async command(args: string[], msg: IncomingMessage): Promise<Reply[]> {
    const [sub = 'status', ...rest] = args;
    const { store, clock } = this.deps;
    const now = clock.now();
    const existing = await store.learning.reminder(msg.platform, msg.user.id);
    switch (sub.toLowerCase()) {
      case 'on':
      case '켜기': {
        if (rest.length > 2) return [reminderTexts.usage()];
        let time = rest.length === 0 && existing ? existing.timeOfDay : DEFAULT_REMIND_TIME;
        let zone = existing?.zone ?? DEFAULT_ZONE;
        for (const arg of rest) {
          if (looksLikeTime(arg)) {
            const t = parseTimeOfDay(arg);
            if (!t.ok) return [reminderTexts.badTime(arg)];
            time = t.value;
          } else {
            const z = resolveZone(arg);
            if (!z.ok) return [/\d/.test(arg) && !arg.includes('/') ? reminderTexts.badTime(arg) : reminderTexts.badZone(arg)];
            zone = z.value;
          }
        }
        const quietOk = inQuietHours(minutesOf(time));
        await store.learning.setReminder({
          platform: msg.platform,
          userId: msg.user.id,
          workspace: msg.workspace,
          timeOfDay: time,
          zone,
          quietOk,
          enabled: true,
          offTold: true,
          updatedAt: now,
        });
        const quiet = quietOk
          ? `\n조용한 시간(22:00–08:00)이지만 직접 고른 시각이라 그때 보낼게요. / That is inside the quiet hours (22:00–08:00), but you chose it, so it goes out then.`
          : '';
        return [
          notice(
            'review.remind.on',
            `🔔 복습 알림을 켰어요: 매일 ${time} (${zone}) 이후, 복습할 문제가 ${this.deps.minDue}개 이상이면 DM으로 한 번 알려 드려요.\n🔔 Review reminders on: once a day after ${time} (${zone}), a direct message when at least ${this.deps.minDue} items are due.${quiet}`,
          ),
        ];
      }
      case 'off':
      case '끄기': {
        if (existing)
          await store.learning.setReminder({ ...existing, enabled: false, offReason: undefined, offTold: true, updatedAt: now });
        return [notice('review.remind.off', '🔕 복습 알림을 껐어요. / Review reminders are off.')];
      }
      case 'status':
      case '상태': {
        if (!existing?.enabled)
          return [
            notice(
              'review.remind.status',
              `복습 알림이 꺼져 있어요. \`/review remind on\` 으로 켜요.\nReview reminders are off; \`/review remind on\` switches them on.`,
            ),
          ];
        return [
          notice(
            'review.remind.status',
            `🔔 매일 ${existing.timeOfDay} (${existing.zone}) 이후 / daily after ${existing.timeOfDay} (${existing.zone}), when ≥ ${this.deps.minDue} due.`,
          ),
        ];
      }
      default:
        return [reminderTexts.usage()];
    }
  }

  /** Once, the next time the learner uses the bot: their reminder was switched off because the DM was refused. */
  async offNotice(msg: IncomingMessage): Promise<Reply | undefined> {
    const key = `${msg.platform}\u0000${msg.user.id}`;
    if (!this.owed.has(key) && !this.owedOverflow) return undefined;
    this.owed.delete(key);
    const r = await this.deps.store.learning.reminder(msg.platform, msg.user.id);
    if (!r || r.enabled || r.offTold || !r.offReason) return undefined;
    if (!(await this.deps.store.learning.markOffTold(msg.platform, msg.user.id))) return undefined;
    return notice(
      'review.remind.refused',
      '🔕 복습 알림 DM이 거부되어 알림을 껐어요 (DM을 막아 두었거나 봇을 차단했을 수 있어요). DM을 허용한 뒤 `/review remind on` 으로 다시 켜요.\n🔕 Your review reminder was switched off: the direct message was refused (DMs closed, or the bot blocked). Allow DMs, then `/review remind on`.',
    );
  }

  start(): void {
    if (!this.deps.outbox || this.closed) return;
    const loop = () => {
      this.timer = this.deps.clock.setTimer(TICK_MS, () => {
        this.tick()
          .catch((err: unknown) => this.deps.log.error({ err }, 'reminders: tick failed'))
          .finally(() => {
            if (!this.closed) loop();
          });
      });
    };
    loop();
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
  }

  /** Sends what is owed now; returns what happened per learner (tests, logs). */
  async tick(): Promise<{ userId: string; result: 'sent' | 'few' | 'taken' | 'refused' | 'failed' }[]> {
    const { store, clock, log, outbox, platforms, minDue } = this.deps;
    const out: { userId: string; result: 'sent' | 'few' | 'taken' | 'refused' | 'failed' }[] = [];
    if (!outbox) return out;
    for (const r of await store.learning.activeReminders()) {
      if (platforms && !platforms.includes(r.platform)) continue;
      const at = clock.now();
      if (!mayRemind(r, at)) continue;
      const day = localDay(at, r.zone);
      const channel = reminderChannel(r.userId);
      const claimed = await store.daily.claimFor(r.platform, channel, day);
      if (claimed && claimed.state !== 'claimed') continue;
      const s = await store.learning.dueSummary(r.platform, r.userId, at);
      if (s.due < minDue) {
        out.push({ userId: r.userId, result: 'few' });
        continue;
      }
      const claim = await store.daily.claim(r.platform, channel, day, this.owner, at, LEASE_MS);
      if (!claim.won) {
        out.push({ userId: r.userId, result: 'taken' });
        continue;
      }
      try {
        await outbox(
          { platform: r.platform, channel: r.userId, user: r.userId, ...(r.workspace ? { workspace: r.workspace } : {}) },
          reminderReply(s.due),
        );
        await store.learning.markReminderSent(r.platform, channel, day, this.owner, clock.now());
        out.push({ userId: r.userId, result: 'sent' });
        log.info({ platform: r.platform, user: r.userId, due: s.due, day }, 'reminders: sent');
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (isPermanentPostError(err)) {
          await store.daily.recordFailure({ platform: r.platform, channel, day, error: message, attempt: 1, at }, this.owner, true);
          await store.learning.refuseReminder(r.platform, r.userId, message, at);
          this.owe(r.platform, r.userId);
          out.push({ userId: r.userId, result: 'refused' });
          log.warn({ err, platform: r.platform, user: r.userId }, 'reminders: the platform refused the DM; reminder switched off');
        } else {
          // Let go of the day so the next tick tries again.
          await store.daily.release(r.platform, channel, day, this.owner);
          out.push({ userId: r.userId, result: 'failed' });
          log.warn({ err, platform: r.platform, user: r.userId }, 'reminders: sending failed, will retry');
        }
      }
    }
    return out;
  }
}

export function reminderReply(due: number): Reply {
  return {
    kind: 'notice',
    code: 'review.remind',
    visibility: 'private',
    markdown: `📚 복습할 문제가 ${due}개 있어요. \`/review\` 로 시작해요 (알림 끄기: \`/review remind off\`).\n📚 ${due} items are due for review. Type \`/review\` to start (stop these: \`/review remind off\`).`,
  };
}
