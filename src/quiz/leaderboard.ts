import type { IncomingMessage } from '../message.js';
import type { Reply, ScoreEntry } from '../reply.js';
import type { LeaderboardRow, Store } from '../store/types.js';
import { escapeMarkdown } from '../lang.js';
import { plainName } from './context.js';
import { DAY_MS } from './review.js';

export type Period = 'week' | 'all';

const WEEK_WORDS = new Set(['week', 'weekly', '주간', '이번주', '7d']);
const ALL_WORDS = new Set(['all', 'alltime', 'ever', '전체', '누적', '모두']);

export function parsePeriod(args: string[]): Period | undefined {
  const w = (args[0] ?? 'week').toLowerCase();
  if (WEEK_WORDS.has(w)) return 'week';
  if (ALL_WORDS.has(w)) return 'all';
  return undefined;
}

function entries(rows: LeaderboardRow[]): ScoreEntry[] {
  return rows.map((r, i) => ({ user: r.userId, name: plainName(r.name, r.userId), points: r.points, rank: i + 1 }));
}

function lines(list: ScoreEntry[]): string {
  if (list.length === 0) return '_아직 점수가 없어요. / No points yet._';
  return list.map((e) => `${e.rank}. ${escapeMarkdown(e.name ?? e.user)} — ${e.points}점 / ${e.points} pts`).join('\n');
}

/**
 * Points from every graded answer (solo, review and rounds), for this channel and for the whole
 * workspace or server; `week` is the last seven days, `all` everything.
 */
export async function leaderboardReply(store: Store, msg: IncomingMessage, args: string[], now: number): Promise<Reply> {
  const period = parsePeriod(args);
  if (!period) {
    return {
      kind: 'notice',
      code: 'leaderboard.period',
      visibility: 'private',
      markdown: '`/leaderboard week` 또는 `/leaderboard all` 로 물어봐 주세요.\nUse `/leaderboard week` or `/leaderboard all`.',
    };
  }
  const since = period === 'week' ? now - 7 * DAY_MS : 0;
  const channel = entries(await store.quiz.leaderboard({ platform: msg.platform, channel: msg.channel.id, since, limit: 10 }));
  const workspace =
    msg.workspace !== undefined
      ? entries(await store.quiz.leaderboard({ platform: msg.platform, workspace: msg.workspace, since, limit: 10 }))
      : undefined;
  const label = period === 'week' ? { ko: '최근 7일', en: 'last 7 days' } : { ko: '전체 기간', en: 'all time' };
  const md = [`🏆 **순위표 (${label.ko}) / Leaderboard (${label.en})**`, '', '**이 채널 / This channel**', lines(channel)];
  if (workspace) md.push('', '**워크스페이스·서버 전체 / Whole workspace or server**', lines(workspace));
  md.push('', `_${period === 'week' ? '전체 기간: `/leaderboard all`' : '최근 7일: `/leaderboard week`'}_`);
  return {
    kind: 'leaderboard',
    code: `leaderboard.${period}`,
    visibility: msg.channel.direct ? 'private' : 'channel',
    markdown: md.join('\n'),
    scoreboard: { title: { ko: `이 채널 순위 (${label.ko})`, en: `This channel (${label.en})` }, entries: channel },
  };
}
