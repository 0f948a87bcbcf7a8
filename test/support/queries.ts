import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './shared.js';

export interface LabelledQuery {
  category: string;
  query: string;
  expected: string;
}

export const QUERIES_FILE = join(ROOT, 'test', 'fixtures', 'queries.tsv');

/** The labelled query set: `category<TAB>query<TAB>expected_id`, a header line first. */
export function loadQueries(file = QUERIES_FILE): LabelledQuery[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((line) => {
      const [category = '', query = '', expected = ''] = line.split('\t');
      return { category: category.trim(), query, expected: expected.trim() };
    });
}

export interface Accuracy {
  category: string;
  n: number;
  top1: number;
  top3: number;
}

/** Top-1 and top-3 accuracy per category and overall (category "all"). */
export function accuracy(
  queries: LabelledQuery[],
  rank: (q: string) => string[],
): { rows: Accuracy[]; misses: { q: LabelledQuery; got: string[] }[] } {
  const per = new Map<string, { n: number; t1: number; t3: number }>();
  const misses: { q: LabelledQuery; got: string[] }[] = [];
  for (const q of queries) {
    const got = rank(q.query);
    for (const key of [q.category, 'all']) {
      const s = per.get(key) ?? { n: 0, t1: 0, t3: 0 };
      s.n++;
      if (got[0] === q.expected) s.t1++;
      if (got.slice(0, 3).includes(q.expected)) s.t3++;
      per.set(key, s);
    }
    if (got[0] !== q.expected) misses.push({ q, got: got.slice(0, 3) });
  }
  const rows = [...per.entries()]
    .map(([category, s]) => ({ category, n: s.n, top1: s.t1 / s.n, top3: s.t3 / s.n }))
    .sort((a, b) => (a.category === 'all' ? 1 : b.category === 'all' ? -1 : a.category.localeCompare(b.category)));
  return { rows, misses };
}

export function formatAccuracy(rows: Accuracy[]): string {
  return rows
    .map(
      (r) =>
        `${r.category.padEnd(12)} n=${String(r.n).padStart(4)}  top1=${(r.top1 * 100).toFixed(1).padStart(5)}%  top3=${(r.top3 * 100).toFixed(1).padStart(5)}%`,
    )
    .join('\n');
}
