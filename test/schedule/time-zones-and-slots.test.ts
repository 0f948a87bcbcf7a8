import { describe, expect, it } from 'vitest';
import { lastSlot, nextSlot, owedSlot } from '../../src/schedule/slots.js';
import { localDay, localWhen, parseTimeOfDay, resolveZone } from '../../src/schedule/zone.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('times of day as people type them', () => {
  it.each([
    ['09:00', '09:00'],
    ['9:00', '09:00'],
    ['0730', '07:30'],
    ['23:59', '23:59'],
    ['00:00', '00:00'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseTimeOfDay(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['24:00', '12:60', '9', 'nine', '9am', '', '12:3'])('refuses %j with a time code', (input) => {
    expect(parseTimeOfDay(input)).toMatchObject({ ok: false, code: 'daily.time.invalid' });
  });
});

describe('time zones', () => {
  it('accepts IANA names in any case and gives their canonical spelling', () => {
    expect(resolveZone('asia/seoul')).toEqual({ ok: true, value: 'Asia/Seoul' });
    expect(resolveZone('America/New_York')).toEqual({ ok: true, value: 'America/New_York' });
    expect(resolveZone('utc')).toEqual({ ok: true, value: 'UTC' });
  });

  it.each(['Mars/Olympus_Mons', 'KST', '+09:00', 'GMT+9', '<@U123>', '@everyone', 'a'.repeat(200)])('refuses %j', (input) => {
    expect(resolveZone(input)).toMatchObject({ ok: false, code: 'daily.zone.invalid' });
  });

  it('counts days in the channel’s zone, not the server’s', () => {
    const at = Date.UTC(2026, 0, 1, 16, 0); // 01:00 on 2 January in Seoul, 11:00 on 1 January in New York
    expect(localDay(at, 'Asia/Seoul')).toBe('2026-01-02');
    expect(localDay(at, 'America/New_York')).toBe('2026-01-01');
    expect(localWhen(at, 'Asia/Seoul')).toBe('2026-01-02 01:00 (Asia/Seoul)');
  });
});

describe('slots computed by croner, without its timers', () => {
  const seoul = { timeOfDay: '09:00', zone: 'Asia/Seoul' };

  it('gives the next 09:00 in Seoul strictly after a moment', () => {
    expect(iso(nextSlot(seoul, Date.UTC(2026, 0, 1, 0, 0)))).toBe('2026-01-02T00:00:00.000Z');
    expect(iso(nextSlot(seoul, Date.UTC(2025, 11, 31, 23, 59)))).toBe('2026-01-01T00:00:00.000Z');
  });

  it('counts the slot itself as come at the exact moment', () => {
    expect(iso(lastSlot(seoul, Date.UTC(2026, 0, 1, 0, 0)))).toBe('2026-01-01T00:00:00.000Z');
  });

  it('keeps 09:00 local across the New York spring-forward change (13:00 UTC → 13:00 UTC less one hour)', () => {
    const ny = { timeOfDay: '09:00', zone: 'America/New_York' };
    let at = Date.UTC(2026, 2, 6, 12, 0);
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      at = nextSlot(ny, at);
      seen.push(iso(at)!);
    }
    expect(seen).toEqual(['2026-03-06T14:00:00.000Z', '2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z', '2026-03-09T13:00:00.000Z']);
  });

  it('runs a time skipped by spring-forward once, an hour later, and a repeated fall-back time once', () => {
    const skipped = { timeOfDay: '02:30', zone: 'America/New_York' };
    expect(iso(nextSlot(skipped, Date.UTC(2026, 2, 7, 12, 0)))).toBe('2026-03-08T07:00:00.000Z');
    const doubled = { timeOfDay: '01:30', zone: 'America/New_York' };
    const first = nextSlot(doubled, Date.UTC(2026, 9, 31, 12, 0));
    const second = nextSlot(doubled, first);
    expect(iso(first)).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(second)).toBe('2026-11-02T06:30:00.000Z');
  });

  it('owes today’s slot once it has come, and never yesterday’s', () => {
    expect(owedSlot(seoul, Date.UTC(2026, 0, 1, 3, 0))).toEqual({ slot: Date.UTC(2026, 0, 1, 0, 0), day: '2026-01-01' });
    // 08:00 in Seoul on 2 January: yesterday's 09:00 is past but not owed any more.
    expect(owedSlot(seoul, Date.UTC(2026, 0, 1, 23, 0))).toBeUndefined();
  });
});
