import type { Bilingual, KnowledgeBase } from '../knowledge/types.js';
import { conceptOfItem } from '../schedule/order.js';
import { localDay } from '../schedule/zone.js';
import type { DailyCount, StoredCard } from '../store/learning.js';
import { classificationSets } from '../quiz/build.js';
import { parseItem } from './items.js';

/**
 * The figures `/progress` shows, computed once and rendered three ways (chart, alt text, terminal
 * text) so all three always say the same thing. Pure: the feature reads the store and the clock.
 */
export interface ChapterFigure {
  id: string;
  label: Bilingual;
  /** FSRS retrievability now, averaged over the chapter's items the learner has studied; 0..1. */
  memory: number;
  studied: number;
  total: number;
}

export interface DayFigure {
  day: string;
  right: number;
  wrong: number;
}

export interface ProgressFigures {
  chapters: ChapterFigure[];
  /** Days in a row, up to today (or yesterday, while today has no answer yet), with at least one answer. */
  streak: number;
  dueNow: number;
  dueWeek: number;
  cards: number;
  /** The last seven local days, oldest first. */
  week: DayFigure[];
}

const CHAPTER_NAMES: Record<string, Bilingual> = {
  infrastructure: { ko: '컨테이너 인프라', en: 'Container infrastructure' },
  'test-environment': { ko: '테스트 환경', en: 'Test environment' },
  kubectl: { ko: 'kubectl', en: 'kubectl' },
  kubernetes: { ko: '쿠버네티스', en: 'Kubernetes' },
  objects: { ko: '오브젝트', en: 'Objects' },
  docker: { ko: '도커', en: 'Docker' },
  jenkins: { ko: '젠킨스', en: 'Jenkins' },
  monitoring: { ko: '모니터링', en: 'Monitoring' },
  sequences: { ko: '순서 흐름', en: 'Sequences' },
  classifications: { ko: '분류', en: 'Classifications' },
};

/** `ch3-kubernetes` → 3장 쿠버네티스 / Ch 3 Kubernetes; other folders and categories by name. */
export function chapterLabel(id: string): Bilingual {
  const m = /^ch(\d+)-(.+)$/.exec(id);
  const rest = m ? m[2]! : id;
  const name = CHAPTER_NAMES[rest] ?? { ko: rest.replace(/-/g, ' '), en: rest.replace(/-/g, ' ') };
  return m ? { ko: `${m[1]}장 ${name.ko}`, en: `Ch ${m[1]} ${name.en}` } : name;
}

/** The chapter of a note file: its folder (`ch3-kubernetes/etcd.md`), or `fallback` for a flat file. */
function chapterOfFile(file: string, fallback: string): string {
  const at = file.indexOf('/');
  // A source that is a web page (sets made from categories cite one) has no folder.
  return at > 0 && !file.includes('://') ? file.slice(0, at) : fallback;
}

/** Every learning item of the notes with its chapter, in note order. */
export function chapterItems(kb: KnowledgeBase): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of kb.concepts) out.set(`concept:${c.id}`, chapterOfFile(c.origin.file, c.category));
  for (const s of kb.sequences) {
    const c = kb.byId.get(s.conceptId);
    out.set(`sequence:${s.id}`, c ? chapterOfFile(c.origin.file, c.category) : 'sequences');
  }
  for (const set of classificationSets(kb)) out.set(`set:${set.id}`, chapterOfFile(set.source.file, 'classifications'));
  return out;
}

export function progressFigures(input: {
  kb: KnowledgeBase;
  cards: StoredCard[];
  answers: DailyCount[];
  recall: (c: StoredCard) => number;
  now: number;
  zone: string;
}): ProgressFigures {
  const { kb, cards, answers, recall, now, zone } = input;
  const items = chapterItems(kb);
  const chapters = new Map<string, ChapterFigure & { sum: number }>();
  for (const chapter of items.values()) {
    if (!chapters.has(chapter))
      chapters.set(chapter, { id: chapter, label: chapterLabel(chapter), memory: 0, studied: 0, total: 0, sum: 0 });
    chapters.get(chapter)!.total += 1;
  }
  let dueNow = 0;
  let dueWeek = 0;
  for (const c of cards) {
    if (!parseItem(c.item) || !items.has(c.item)) continue;
    const ch = chapters.get(items.get(c.item)!)!;
    ch.studied += 1;
    ch.sum += recall(c);
    if (c.due <= now) dueNow += 1;
    if (c.due <= now + 7 * 86_400_000) dueWeek += 1;
  }
  const week: DayFigure[] = [];
  for (let i = 6; i >= 0; i--) week.push({ day: localDay(now - i * 86_400_000, zone), right: 0, wrong: 0 });
  const byDay = new Map(week.map((d) => [d.day, d]));
  const active = new Set<string>();
  for (const a of answers) {
    const day = localDay(a.at, zone);
    active.add(day);
    const d = byDay.get(day);
    if (d) {
      if (a.correct) d.right += 1;
      else d.wrong += 1;
    }
  }
  let streak = 0;
  // Today without an answer yet does not break the streak: count from yesterday then.
  let at = active.has(localDay(now, zone)) ? now : now - 86_400_000;
  while (active.has(localDay(at, zone))) {
    streak += 1;
    at -= 86_400_000;
  }
  return {
    chapters: [...chapters.values()].map(({ sum, ...c }) => ({ ...c, memory: c.studied ? sum / c.studied : 0 })),
    streak,
    dueNow,
    dueWeek,
    cards: cards.length,
    week,
  };
}

/** The channel's weakest concepts: the misses the daily post counts, beside all answers. */
export interface WeakConcept {
  conceptId: string;
  title: Bilingual;
  misses: number;
  answers: number;
}

export function weakestConcepts(
  kb: KnowledgeBase,
  misses: { itemKey: string }[],
  answered: { itemKey: string; answers: number }[],
  limit = 5,
): WeakConcept[] {
  const count = new Map<string, { misses: number; answers: number }>();
  const entry = (id: string) => count.get(id) ?? count.set(id, { misses: 0, answers: 0 }).get(id)!;
  for (const m of misses) {
    const id = conceptOfItem(m.itemKey, kb);
    if (id) entry(id).misses += 1;
  }
  for (const a of answered) {
    const id = conceptOfItem(a.itemKey, kb);
    if (id && count.has(id)) entry(id).answers += a.answers;
  }
  return [...count.entries()]
    .filter(([, v]) => v.misses > 0)
    .sort(
      (a, b) =>
        b[1].misses - a[1].misses ||
        b[1].misses / Math.max(1, b[1].answers) - a[1].misses / Math.max(1, a[1].answers) ||
        a[0].localeCompare(b[0]),
    )
    .slice(0, limit)
    .map(([id, v]) => ({ conceptId: id, title: kb.byId.get(id)!.title, misses: v.misses, answers: Math.max(v.answers, v.misses) }));
}

export const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** The figures as text: the terminal's version and every image's alt text (same numbers). */
export function progressText(f: ProgressFigures): string {
  const studied = f.chapters.filter((c) => c.studied > 0);
  const lines = [
    `연속 학습 ${f.streak}일 · 지금 복습 ${f.dueNow}개 · 7일 안에 ${f.dueWeek}개 / Streak ${f.streak} day${f.streak === 1 ? '' : 's'} · ${f.dueNow} due now · ${f.dueWeek} due within 7 days`,
    `장별 기억 (FSRS 회상 확률 평균) / Memory per chapter (mean FSRS recall probability):`,
    ...studied.map((c) => `- ${c.label.ko} / ${c.label.en}: ${pct(c.memory)} (${c.studied}/${c.total})`),
    // A blank line ends the chapter list, so Markdown renderers do not fold this line into its last item.
    '',
    `이번 주 답 (맞음/틀림) / This week's answers (right/wrong): ${f.week.map((d) => `${d.day.slice(5)} ${d.right}/${d.wrong}`).join(', ')}`,
  ];
  const untouched = f.chapters.length - studied.length;
  if (untouched > 0)
    lines.splice(
      2 + studied.length,
      0,
      `- 아직 시작하지 않은 장 ${untouched}개 / ${untouched} chapter${untouched === 1 ? '' : 's'} not started yet`,
    );
  return lines.join('\n');
}

export function teamText(weak: WeakConcept[], days: number): string {
  return [
    `이 채널의 가장 약한 개념 (최근 ${days}일 틀린 횟수) / This channel's weakest concepts (misses in the last ${days} days):`,
    ...weak.map(
      (w, i) =>
        `${i + 1}. ${w.title.ko} / ${w.title.en}: ${w.misses}/${w.answers} 틀림 (${pct(w.misses / w.answers)}) / ${w.misses} of ${w.answers} missed`,
    ),
  ].join('\n');
}
