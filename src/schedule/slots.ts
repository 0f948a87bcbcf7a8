import { Cron } from 'croner';
import { localDay } from './zone.js';

/**
 * When a channel's post falls due. croner does the calendar work (time zones, daylight saving:
 * a 02:30 that does not exist on the spring-forward day runs at 03:00; a 01:30 that happens twice
 * on the fall-back day runs once). Its own timers are never started: the scheduler sets timers on
 * the injected clock, so tests move time by hand.
 */
export interface Schedule {
  timeOfDay: string;
  zone: string;
}

const crons = new Map<string, Cron>();

function cronOf(s: Schedule): Cron {
  const key = `${s.timeOfDay} ${s.zone}`;
  let c = crons.get(key);
  if (!c) {
    const [h, m] = s.timeOfDay.split(':');
    c = new Cron(`${Number(m)} ${Number(h)} * * *`, { timezone: s.zone, paused: true });
    if (crons.size > 1000) crons.clear();
    crons.set(key, c);
  }
  return c;
}

/** The first slot strictly after `at`. */
export function nextSlot(s: Schedule, at: number): number {
  const next = cronOf(s).nextRun(new Date(at));
  if (!next) throw new Error(`no next run for ${s.timeOfDay} ${s.zone}`);
  return next.getTime();
}

/** The latest slot at or before `at` (croner's previousRuns excludes the reference moment itself). */
export function lastSlot(s: Schedule, at: number): number | undefined {
  return cronOf(s)
    .previousRuns(1, new Date(at + 1))[0]
    ?.getTime();
}

/**
 * Today's slot in the channel's zone, if it has come: the one post that may be owed now.
 * Yesterday's missed slot is never returned: after downtime only the current day is sent, late.
 */
export function owedSlot(s: Schedule, at: number): { slot: number; day: string } | undefined {
  const slot = lastSlot(s, at);
  if (slot === undefined) return undefined;
  const day = localDay(slot, s.zone);
  return day === localDay(at, s.zone) ? { slot, day } : undefined;
}
