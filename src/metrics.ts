import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics for the whole process, in one registry. The HTTP server exposes them on /metrics.
 * Platform-neutral: labels carry the platform name as data.
 */
export const registry = new Registry();

export const metrics = {
  commands: new Counter({ name: 'tutor_commands_total', help: 'Commands handled, by platform and kind', labelNames: ['platform', 'kind'], registers: [registry] }),
  searchSeconds: new Histogram({
    name: 'tutor_search_seconds',
    help: 'Concept search latency',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [registry],
  }),
  searchResults: new Counter({ name: 'tutor_search_results_total', help: 'Searches by verdict: hit, didYouMean, miss, empty', labelNames: ['verdict'], registers: [registry] }),
  quizAnswers: new Counter({ name: 'tutor_quiz_answers_total', help: 'Quiz answers graded, by kind and correctness', labelNames: ['kind', 'correct'], registers: [registry] }),
  roundsInProgress: new Gauge({ name: 'tutor_quiz_rounds_in_progress', help: 'Team rounds running now', registers: [registry] }),
  dailyPosts: new Counter({ name: 'tutor_daily_posts_total', help: 'Concept-of-the-day posts, by result: sent, failed, paused', labelNames: ['result'], registers: [registry] }),
};

let defaultsOn = false;
/** Process metrics (CPU, memory, event loop lag); only in the long-running bot, not in one-shot CLI runs. */
export function collectProcessMetrics(): void {
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics({ register: registry });
}
