import type { Clock } from '../clock.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import type { IncomingMessage } from '../message.js';
import type { Reply } from '../reply.js';
import type { Store } from '../store/types.js';
import { passState } from './order.js';
import { notice, shown } from './replies.js';
import type { DailyScheduler } from './scheduler.js';
import { DEFAULT_ZONE, localDay, localWhen } from './zone.js';
import { titleLine } from '../lang.js';

const RECENT = 5;

interface StatusDeps {
  store: Store;
  kb: KnowledgeBase;
  clock: Clock;
  scheduler: DailyScheduler;
}

/** `/daily status`: the schedule, the next post, today's state, what was posted lately, the last failure. */
export async function statusReply(deps: StatusDeps, msg: IncomingMessage): Promise<Reply> {
  const { store, kb, clock, scheduler } = deps;
  const now = clock.now();
  const sub = await store.daily.subscription(msg.platform, msg.channel.id);
  const zone = sub?.zone ?? DEFAULT_ZONE;
  const today = localDay(now, zone);
  const [claim, posts, failure] = await Promise.all([
    store.daily.claimFor(msg.platform, msg.channel.id, today),
    store.daily.posts(msg.platform, msg.channel.id),
    store.daily.lastFailure(msg.platform, msg.channel.id),
  ]);
  const title = (id: string | undefined) => {
    const c = id ? kb.byId.get(id) : undefined;
    if (!c) return id ? shown(id) : '?';
    return titleLine(c.title);
  };

  const lines = ['📅 **오늘의 개념 상태 · Concept of the day: status**', ''];
  if (!sub || !sub.enabled) {
    lines.push('- 꺼짐 · off — `/daily on [HH:MM] [시간대]` 로 켜요 · turn it on with `/daily on [HH:MM] [time zone]`');
  } else if (sub.pausedReason) {
    lines.push(
      `- ⏸️ 일시 중지 · paused (${sub.timeOfDay} ${sub.zone}): 이 채널에 글을 올릴 수 없었어요 · the platform refused posts here — ${shown(sub.pausedReason, 160)}`,
      '- 봇을 초대하고 권한을 확인한 뒤 `/daily on` · invite the bot, check its permissions, then `/daily on`',
    );
  } else {
    lines.push(
      `- 켜짐 · on: 매일 ${sub.timeOfDay} (${sub.zone}) · every day at ${sub.timeOfDay} (${sub.zone})`,
      `- 다음 게시 · next post: ${localWhen(scheduler.nextPost(sub), sub.zone)}`,
    );
  }
  lines.push(`- 오늘 · today (${today}): ${todayLine(claim?.state, claim?.attempts ?? 0, title(claim?.conceptId))}`);
  if (posts.length > 0) {
    const recent = posts
      .slice(-RECENT)
      .reverse()
      .map((p) => `${p.day} ${title(p.conceptId)}`);
    lines.push(`- 최근 게시 · recent: ${recent.join(' / ')}`);
    const pass = passState(
      kb.concepts.map((c) => c.id),
      posts.map((p) => ({ conceptId: p.conceptId, at: p.postedAt })),
    );
    const done = pass.inPass.size;
    lines.push(
      pass.completedOnce
        ? `- 진행 · progress: 모든 개념을 한 번씩 올렸어요; 이제 자주 틀린 개념을 먼저 올려요 (이번 바퀴 ${done}/${kb.concepts.length}) · every concept was posted once; missed ones now come first (this pass ${done}/${kb.concepts.length})`
        : `- 진행 · progress: ${done}/${kb.concepts.length} 개념 · concepts (첫 바퀴 · first pass)`,
    );
  }
  if (failure) {
    lines.push(`- 마지막 오류 · last failure: ${failure.day}, 시도 · attempt ${failure.attempt} — ${shown(failure.error, 160)}`);
  }
  return notice('daily.status', lines.join('\n'));
}

function todayLine(state: string | undefined, attempts: number, title: string): string {
  switch (state) {
    case 'sent':
      return `게시됨 · posted — ${title}`;
    case 'failed':
      return `실패 · failed after ${attempts} attempts (\`/daily now\` 로 다시 · to retry)`;
    case 'claimed':
      return '보내는 중 · sending';
    default:
      return '아직 · not yet';
  }
}
