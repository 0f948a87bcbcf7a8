import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics for the whole process, in one registry. The HTTP server exposes them on /metrics.
 * Platform-neutral: labels carry the platform name as data.
 */
export const registry = new Registry();

export const metrics = {
  commands: new Counter({
    name: 'tutor_commands_total',
    help: 'Commands handled, by platform and kind',
    labelNames: ['platform', 'kind'],
    registers: [registry],
  }),
  searchSeconds: new Histogram({
    name: 'tutor_search_seconds',
    help: 'Concept search latency',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [registry],
  }),
  searchResults: new Counter({
    name: 'tutor_search_results_total',
    help: 'Searches by verdict: hit, didYouMean, miss, empty',
    labelNames: ['verdict'],
    registers: [registry],
  }),
  quizAnswers: new Counter({
    name: 'tutor_quiz_answers_total',
    help: 'Quiz answers graded, by kind and correctness',
    labelNames: ['kind', 'correct'],
    registers: [registry],
  }),
  roundsInProgress: new Gauge({ name: 'tutor_quiz_rounds_in_progress', help: 'Team rounds running now', registers: [registry] }),
  dailyPosts: new Counter({
    name: 'tutor_daily_posts_total',
    help: 'Concept-of-the-day posts, by result: sent, failed, paused',
    labelNames: ['result'],
    registers: [registry],
  }),
  rateLimitedEvents: new Counter({
    name: 'tutor_rate_limited_events_total',
    help: 'Inbound events over a fair limit (answered by the one notice or by silence), by platform and scope (user, channel)',
    labelNames: ['platform', 'scope'],
    registers: [registry],
  }),
  rateLimitedUsers: new Counter({
    name: 'tutor_rate_limited_users_total',
    help: 'People who met a fair limit (one per person per window: the notice they were sent), by platform and scope',
    labelNames: ['platform', 'scope'],
    registers: [registry],
  }),
  outboundDepth: new Gauge({
    name: 'tutor_outbound_queue_depth',
    help: 'Posts waiting in the per-channel outbound queues, by platform',
    labelNames: ['platform'],
    registers: [registry],
  }),
  outboundChannels: new Gauge({
    name: 'tutor_outbound_queue_channels',
    help: 'Channels with posts waiting or in flight, by platform',
    labelNames: ['platform'],
    registers: [registry],
  }),
  outboundDropped: new Counter({
    name: 'tutor_outbound_dropped_total',
    help: 'Posts refused because their channel queue was full, by platform',
    labelNames: ['platform'],
    registers: [registry],
  }),
  rateLimited429: new Counter({
    name: 'tutor_platform_429_total',
    help: 'HTTP 429 answers from a chat platform, by platform',
    labelNames: ['platform'],
    registers: [registry],
  }),
  retries: new Counter({
    name: 'tutor_platform_retries_total',
    help: 'Calls to a chat platform tried again (after a 429 or a failure), by platform and reason',
    labelNames: ['platform', 'reason'],
    registers: [registry],
  }),
  answerQueueDepth: new Gauge({
    name: 'tutor_answer_queue_depth',
    help: 'Acknowledged events waiting for their answer to start (Slack), by platform',
    labelNames: ['platform'],
    registers: [registry],
  }),
  deferSeconds: new Histogram({
    name: 'tutor_discord_defer_seconds',
    help: 'Time from an interaction arriving to its deferral (Discord drops an interaction not answered within 3 s)',
    buckets: [0.25, 0.5, 1, 1.5, 2, 2.5, 3, 5],
    registers: [registry],
  }),
  gatewayPing: new Gauge({
    name: 'tutor_discord_gateway_ping_seconds',
    help: 'Discord gateway heartbeat round trip (-1 until the first heartbeat)',
    registers: [registry],
    collect() {
      if (gatewayPingSource) this.set(gatewayPingSource());
    },
  }),
};

let gatewayPingSource: (() => number) | undefined;
/** The Discord adapter names where the gateway ping is read; it is read on each scrape. */
export function watchGatewayPing(read: () => number): void {
  gatewayPingSource = read;
}

let defaultsOn = false;
/** Process metrics (CPU, memory, event loop lag); only in the long-running bot, not in one-shot CLI runs. */
export function collectProcessMetrics(): void {
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics({ register: registry });
}
