/**
 * `npm run bench:learning`: FSRS against the old Leitner ladder on simulated learners.
 *
 * The learners are not FSRS: their memory follows its own model, so FSRS gets no home advantage.
 * - Recall after t days: R = 0.9^(t / S), S the item's stability for that learner (days to 90%).
 * - First study: S = 1 / difficulty, difficulty ∈ [0.6, 1.6] per item (the same items for all).
 * - A review is answered right with probability R. Right: S grows, more the more it was forgotten
 *   (the spacing effect): S ← S · (1 + 3 · (1 − R)^0.8 / difficulty + 0.2). Wrong: S ← max(0.4, S · 0.35).
 * Every learner studies every item on day 0 and then does every review due each day for 90 days.
 * Leitner: boxes of 1, 3, 7, 14, 30 days as src/quiz/review.ts had them; a miss goes back to box 1,
 * a right answer in box 5 leaves the queue (learned). FSRS: ts-fsrs defaults at day granularity,
 * right → Good, wrong → Again. Figures: reviews done, recall at day 90 (mean R over every
 * learner × item), and mean recall over the 90 days. FSRS runs at several desired retentions;
 * the comparison takes the cheapest retention whose day-90 recall is at least Leitner's.
 */
import { createEmptyCard, fsrs, Rating, type Card } from 'ts-fsrs';

const LEARNERS = Number(process.env.LEARNERS ?? 200);
const ITEMS = 60;
const DAYS = 90;
const DAY = 86_400_000;
const BOXES = [1, 3, 7, 14, 30];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const difficulty = Array.from({ length: ITEMS }, (_, i) => 0.6 + (rng(1000 + i)() * 1.0));

interface Memory {
  s: number;
  last: number;
}
const recallAt = (m: Memory, day: number) => Math.pow(0.9, (day - m.last) / m.s);

function answer(m: Memory, d: number, day: number, rand: () => number): boolean {
  const r = recallAt(m, day);
  const right = rand() < r;
  m.s = right ? m.s * (1 + (3 * Math.pow(1 - r, 0.8)) / d + 0.2) : Math.max(0.4, m.s * 0.35);
  m.last = day;
  return right;
}

interface Outcome {
  reviews: number;
  endRecall: number;
  meanRecall: number;
}

type Scheduler = { first(right: boolean, day: number): unknown; review(state: unknown, right: boolean, day: number): { next?: number; state: unknown }; due(state: unknown): number | undefined };

function simulate(makeScheduler: () => Scheduler, seed: number): Outcome {
  const rand = rng(seed);
  let reviews = 0;
  let recallSum = 0;
  let endSum = 0;
  for (let l = 0; l < LEARNERS; l++) {
    const sched = makeScheduler();
    const mem: Memory[] = [];
    const state: unknown[] = [];
    for (let i = 0; i < ITEMS; i++) {
      mem.push({ s: 1 / difficulty[i]!, last: 0 });
      state.push(sched.first(true, 0));
    }
    for (let day = 1; day <= DAYS; day++) {
      for (let i = 0; i < ITEMS; i++) {
        const due = sched.due(state[i]);
        if (due !== undefined && due <= day) {
          reviews += 1;
          const right = answer(mem[i]!, difficulty[i]!, day, rand);
          state[i] = sched.review(state[i], right, day).state;
        }
        recallSum += recallAt(mem[i]!, day);
      }
    }
    for (let i = 0; i < ITEMS; i++) endSum += recallAt(mem[i]!, DAYS);
  }
  const n = LEARNERS * ITEMS;
  return { reviews, endRecall: endSum / n, meanRecall: recallSum / (n * DAYS) };
}

const leitner = (): Scheduler => ({
  first: () => ({ box: 1, due: 1 }),
  due: (s) => (s as { due?: number }).due,
  review: (s, right, day) => {
    const { box } = s as { box: number };
    if (!right) return { state: { box: 1, due: day + BOXES[0]! } };
    if (box >= BOXES.length) return { state: { box, due: undefined } };
    return { state: { box: box + 1, due: day + BOXES[box]! } };
  },
});

const fsrsScheduler = (retention: number) => {
  const f = fsrs({ request_retention: retention, enable_fuzz: false, enable_short_term: false });
  const start = Date.UTC(2026, 0, 1);
  return (): Scheduler => ({
    first: () => f.next(createEmptyCard(new Date(start)), new Date(start), Rating.Good).card,
    due: (c) => Math.round(((c as Card).due.getTime() - start) / DAY),
    review: (c, right, day) => ({ state: f.next(c as Card, new Date(start + day * DAY), right ? Rating.Good : Rating.Again).card }),
  });
};

const fmt = (o: Outcome) => `${String(o.reviews).padStart(8)} reviews · recall at day ${DAYS} ${(o.endRecall * 100).toFixed(1)}% · mean recall ${(o.meanRecall * 100).toFixed(1)}%`;

const t0 = performance.now();
const base = simulate(leitner, 7);
console.log(`${LEARNERS} simulated learners × ${ITEMS} items × ${DAYS} days (the same items and the same memory model for both)`);
console.log(`Leitner 1/3/7/14/30      ${fmt(base)}`);
const runs: { retention: number; o: Outcome }[] = [];
for (const retention of [0.8, 0.85, 0.9, 0.93, 0.95]) {
  const o = simulate(fsrsScheduler(retention), 7);
  runs.push({ retention, o });
  console.log(`FSRS retention ${retention.toFixed(2)}      ${fmt(o)}`);
}
const match = runs.find((r) => r.o.endRecall >= base.endRecall);
if (match) {
  const saved = 1 - match.o.reviews / base.reviews;
  console.log(
    `\nSame recall at day ${DAYS} (FSRS ${(match.o.endRecall * 100).toFixed(1)}% ≥ Leitner ${(base.endRecall * 100).toFixed(1)}%) at retention ${match.retention}: ` +
      `${match.o.reviews} vs ${base.reviews} reviews, ${(saved * 100).toFixed(1)}% fewer (goal: ≥ 20%) ${saved >= 0.2 ? 'MET' : 'NOT MET'}`,
  );
} else console.log(`\nNo FSRS retention tried reached Leitner's day-${DAYS} recall (${(base.endRecall * 100).toFixed(1)}%).`);
console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
