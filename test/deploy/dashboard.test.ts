import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectProcessMetrics, registry } from '../../src/metrics.js';
import { ROOT } from '../support/shared.js';

interface Panel {
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: { expr: string }[];
}

const dashboard = JSON.parse(readFileSync(join(ROOT, 'dashboards', 'grafana-k8s-tutor.json'), 'utf8')) as { uid: string; panels: Panel[] };

/** Every series name the process can expose, as Prometheus sees it (histograms add _bucket, _sum, _count). */
async function exposedNames(): Promise<Set<string>> {
  collectProcessMetrics();
  const names = new Set<string>(['up']);
  for (const m of await registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
  }
  return names;
}

describe('the Grafana dashboard', () => {
  it('given its queries, every metric they read is one the bot exposes on /metrics', async () => {
    const names = await exposedNames();
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    expect(exprs.length).toBeGreaterThan(10);
    const used = new Set(exprs.flatMap((e) => e.match(/\b(?:tutor|process|nodejs)_[a-z0-9_]+\b/g) ?? []));
    expect([...used].filter((n) => !names.has(n))).toEqual([]);
  });

  it('given the metrics the issue lists, each has a panel', () => {
    const text = JSON.stringify(dashboard.panels);
    for (const metric of [
      'tutor_commands_total',
      'tutor_search_seconds_bucket',
      'tutor_search_results_total',
      'tutor_quiz_answers_total',
      'tutor_quiz_rounds_in_progress',
      'tutor_daily_posts_total',
      'process_resident_memory_bytes',
      'process_cpu_seconds_total',
    ]) {
      expect(text).toContain(metric);
    }
  });

  it('given its layout, no two panels overlap on the 24-column grid', () => {
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++)
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          const cell = `${x},${y}`;
          expect(cells.has(cell), `${p.title} overlaps at ${cell}`).toBe(false);
          cells.add(cell);
        }
    }
  });
});
