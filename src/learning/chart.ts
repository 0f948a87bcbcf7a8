import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { pct, type ProgressFigures, type WeakConcept } from './progress.js';

/**
 * Progress as a picture: an SVG drawn from the same figures as the text, turned into a PNG by
 * resvg (Rust, shipped as a prebuilt binary through npm). Hangul needs a font with Korean glyphs:
 * NanumGothic (SIL Open Font License 1.1) comes with the npm package @expo-google-fonts/nanum-gothic,
 * so a fresh `npm ci` (and the Docker image) has it; system fonts are never consulted, so the
 * picture is the same on every machine.
 */
const require = createRequire(import.meta.url);
export const FONT_FILES = [
  require.resolve('@expo-google-fonts/nanum-gothic/400Regular/NanumGothic_400Regular.ttf'),
  require.resolve('@expo-google-fonts/nanum-gothic/700Bold/NanumGothic_700Bold.ttf'),
];
const FONT = 'NanumGothic';

const esc = (s: string): string =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
/** Names come from notes: bounded so a long title cannot run off the picture. */
const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const W = 760;
const COLORS = { ink: '#1f2933', soft: '#7b8794', bar: '#3b82f6', track: '#e4e7eb', right: '#22c55e', wrong: '#ef4444', bg: '#ffffff' };

function text(x: number, y: number, s: string, size = 14, opts: { bold?: boolean; fill?: string; anchor?: string } = {}): string {
  return `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${size}"${opts.bold ? ' font-weight="bold"' : ''} fill="${opts.fill ?? COLORS.ink}"${opts.anchor ? ` text-anchor="${opts.anchor}"` : ''}>${esc(s)}</text>`;
}

export function progressSvg(f: ProgressFigures, who: string): string {
  const rows = f.chapters;
  const top = 96;
  const rowH = 26;
  const weekTop = top + rows.length * rowH + 40;
  const H = weekTop + 205;
  const parts: string[] = [`<rect width="${W}" height="${H}" fill="${COLORS.bg}"/>`];
  parts.push(text(24, 36, clip(`${who} 학습 진도 / Progress`, 60), 22, { bold: true }));
  parts.push(
    text(
      24,
      64,
      `연속 ${f.streak}일 · 지금 복습 ${f.dueNow}개 · 7일 안에 ${f.dueWeek}개  /  streak ${f.streak} d · ${f.dueNow} due now · ${f.dueWeek} in 7 days`,
      14,
      { fill: COLORS.soft },
    ),
  );
  parts.push(text(24, top - 8, '장별 기억 (FSRS 회상 확률) / Memory per chapter', 13, { bold: true }));
  const barX = 270;
  const barW = 380;
  rows.forEach((c, i) => {
    const y = top + i * rowH;
    parts.push(text(24, y + 15, clip(`${c.label.ko} · ${c.label.en}`, 34), 12));
    parts.push(`<rect x="${barX}" y="${y + 3}" width="${barW}" height="16" rx="3" fill="${COLORS.track}"/>`);
    if (c.studied > 0)
      parts.push(
        `<rect x="${barX}" y="${y + 3}" width="${Math.max(2, Math.round(barW * c.memory))}" height="16" rx="3" fill="${COLORS.bar}"/>`,
      );
    parts.push(
      text(barX + barW + 8, y + 16, c.studied > 0 ? `${pct(c.memory)} (${c.studied}/${c.total})` : `— (0/${c.total})`, 12, {
        fill: c.studied ? COLORS.ink : COLORS.soft,
      }),
    );
  });
  parts.push(text(24, weekTop, '이번 주 답 / This week’s answers', 13, { bold: true }));
  const maxDay = Math.max(1, ...f.week.map((d) => d.right + d.wrong));
  const colW = 80;
  const baseY = weekTop + 150;
  f.week.forEach((d, i) => {
    const x = 40 + i * (colW + 10);
    const hr = Math.round((d.right / maxDay) * 110);
    const hw = Math.round((d.wrong / maxDay) * 110);
    parts.push(`<rect x="${x}" y="${baseY - hr}" width="${colW}" height="${hr}" fill="${COLORS.right}"/>`);
    parts.push(`<rect x="${x}" y="${baseY - hr - hw}" width="${colW}" height="${hw}" fill="${COLORS.wrong}"/>`);
    parts.push(text(x + colW / 2, baseY - hr - hw - 6, `${d.right}/${d.wrong}`, 12, { anchor: 'middle' }));
    parts.push(text(x + colW / 2, baseY + 18, d.day.slice(5), 12, { anchor: 'middle', fill: COLORS.soft }));
  });
  parts.push(text(W - 24, H - 10, '초록 맞음 · 빨강 틀림 / green right · red wrong', 11, { anchor: 'end', fill: COLORS.soft }));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${parts.join('')}</svg>`;
}

export function teamSvg(weak: WeakConcept[], days: number): string {
  const top = 80;
  const rowH = 30;
  const H = top + Math.max(1, weak.length) * rowH + 30;
  const parts: string[] = [`<rect width="${W}" height="${H}" fill="${COLORS.bg}"/>`];
  parts.push(text(24, 36, '이 채널의 약한 개념 / Weakest concepts here', 22, { bold: true }));
  parts.push(text(24, 62, `최근 ${days}일 틀린 횟수 / misses in the last ${days} days`, 13, { fill: COLORS.soft }));
  const max = Math.max(1, ...weak.map((w) => w.misses));
  weak.forEach((w, i) => {
    const y = top + i * rowH;
    parts.push(text(24, y + 17, clip(`${i + 1}. ${w.title.ko} · ${w.title.en}`, 34), 13));
    parts.push(
      `<rect x="300" y="${y + 4}" width="${Math.max(2, Math.round((w.misses / max) * 330))}" height="18" rx="3" fill="${COLORS.wrong}"/>`,
    );
    parts.push(text(640, y + 18, `${w.misses}/${w.answers} (${pct(w.misses / w.answers)})`, 12));
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${parts.join('')}</svg>`;
}

/** SVG → PNG at 1.5× for sharp text in chat clients. */
export function renderPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 1.5 },
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT, sansSerifFamily: FONT },
    background: COLORS.bg,
  });
  return resvg.render().asPng();
}
