/**
 * Times of day and IANA time zones as users type them. Expected misses come back as values
 * (`{ ok: false, code }`) the command turns into a bilingual notice.
 */
export const DEFAULT_TIME = '09:00';
export const DEFAULT_ZONE = 'Asia/Seoul';

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: 'daily.time.invalid' | 'daily.zone.invalid'; input: string };

/** `9:00`, `09:00`, `0900`, `21:30` → `HH:MM`; anything else is a miss. */
export function parseTimeOfDay(input: string): Parsed<string> {
  const m = /^(\d{1,2}):?(\d{2})$/.exec(input.trim());
  if (!m) return { ok: false, code: 'daily.time.invalid', input };
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return { ok: false, code: 'daily.time.invalid', input };
  return { ok: true, value: `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}` };
}

/** True when the argument reads as a time of day rather than a zone name. */
export function looksLikeTime(input: string): boolean {
  return /^\d{1,2}:?\d{2}$/.test(input.trim());
}

const zoneCache = new Map<string, string | undefined>();

/**
 * An IANA zone name in its canonical spelling (`asia/seoul` → `Asia/Seoul`), or a miss.
 * Intl is the authority: it knows exactly the zones the runtime (and croner, which uses Intl) can compute.
 * Plain offsets (`+09:00`) and abbreviations (`KST`) are refused: they carry no daylight-saving rules.
 */
export function resolveZone(input: string): Parsed<string> {
  const raw = input.trim();
  if (!zoneCache.has(raw)) {
    if (zoneCache.size > 1000) zoneCache.clear();
    zoneCache.set(raw, canonicalZone(raw));
  }
  const zone = zoneCache.get(raw);
  return zone ? { ok: true, value: zone } : { ok: false, code: 'daily.zone.invalid', input };
}

function canonicalZone(raw: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(raw)) return undefined;
  if (raw.toUpperCase() !== 'UTC' && !raw.includes('/')) return undefined;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone;
    const known = Intl.supportedValuesOf('timeZone');
    // Intl resolves case-insensitively; return the spelling it knows (and `UTC` as `UTC`).
    return known.find((z) => z.toLowerCase() === raw.toLowerCase()) ?? resolved;
  } catch {
    return undefined;
  }
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (`YYYY-MM-DD`) at `at` in `zone`: the unit "one post a day" counts in. */
export function localDay(at: number, zone: string): string {
  let f = dayFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(zone, f);
  }
  const parts = f.formatToParts(new Date(at));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const whenFormats = new Map<string, Intl.DateTimeFormat>();

/** `2026-03-08 09:00 (America/New_York)`: how `status` shows a moment to people in that zone. */
export function localWhen(at: number, zone: string): string {
  let f = whenFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    whenFormats.set(zone, f);
  }
  const parts = f.formatToParts(new Date(at));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} (${zone})`;
}
