import type { Concept, KnowledgeBase } from '../knowledge/types.js';
import { escapeMarkdown } from '../lang.js';
import { cardOf } from '../lookup/cardView.js';
import type { Reply } from '../reply.js';
import { sanitize } from '../search/normalize.js';

/** The words of the concept of the day, Korean first and English beside, as the rest of the bot. */

export function notice(code: string, markdown: string, visibility: Reply['visibility'] = 'private'): Reply {
  return { kind: 'notice', code, markdown, visibility };
}

/** The command a post's quiz button runs for the presser (see ReplyAction in src/reply.ts). */
export function quizCommand(conceptId: string): string {
  return `/quiz ${conceptId}`;
}

/** The post itself: heading, the card, why it matters, and a button for a one-question quiz. */
export function dailyPost(concept: Concept, kb: KnowledgeBase, day: string): Reply {
  const { view: card, markdown: cardText } = cardOf(concept, kb);
  const command = quizCommand(concept.id);
  const lines = [`📅 **오늘의 개념 · Concept of the day** — ${day}`, '', cardText];
  if (concept.why) {
    const why = concept.why.ko === concept.why.en ? concept.why.ko : `${concept.why.ko}\n_${concept.why.en}_`;
    lines.push('', `💡 **왜 중요할까요? · Why it matters**`, why);
  }
  lines.push('', `🧩 \`${command}\` 로 한 문제 풀어 보세요. · Try one question with \`${command}\`.`);
  return {
    kind: 'daily',
    code: 'daily.post',
    visibility: 'channel',
    markdown: lines.join('\n'),
    card,
    daily: { day, ...(concept.why ? { why: concept.why } : {}) },
    actions: [{ kind: 'quiz-on-concept', conceptId: concept.id, command, label: { ko: '퀴즈 풀기', en: 'Quiz me' } }],
  };
}

/** Text from outside (a zone the user typed, a platform's error) made inert and short. */
export function shown(text: string, max = 60): string {
  return escapeMarkdown(sanitize(text).slice(0, max));
}

export const texts = {
  notAllowed: () =>
    notice(
      'daily.forbidden',
      '죄송해요, 오늘의 개념 설정은 이 채널을 관리할 수 있는 분만 바꿀 수 있어요 (Slack: 워크스페이스 관리자·소유자 또는 허용 목록, Discord: 서버 관리·채널 관리 권한). `/daily status` 는 누구나 볼 수 있어요.\n' +
        'Sorry, only people who can manage this channel can change the concept of the day (Slack: workspace admins and owners, or the allowlist; Discord: Manage Server or Manage Channels). Anyone can see `/daily status`.',
    ),
  badTime: (input: string) =>
    notice(
      'daily.time.invalid',
      `“${shown(input)}” 은(는) 시각으로 읽을 수 없어요. 24시간제 \`HH:MM\` 으로 적어 주세요 (예: \`/daily on 09:00 Asia/Seoul\`).\n` +
        `I can't read “${shown(input)}” as a time. Use 24-hour \`HH:MM\` (e.g. \`/daily on 09:00 Asia/Seoul\`).`,
    ),
  badZone: (input: string) =>
    notice(
      'daily.zone.invalid',
      `“${shown(input)}” 은(는) 알 수 없는 시간대예요. IANA 이름으로 적어 주세요 (예: \`Asia/Seoul\`, \`America/New_York\`, \`Europe/London\`, \`UTC\`). \`KST\` 나 \`+09:00\` 같은 약어·오프셋은 서머타임 규칙이 없어 받지 않아요.\n` +
        `“${shown(input)}” is not a time zone I know. Use an IANA name (e.g. \`Asia/Seoul\`, \`America/New_York\`, \`Europe/London\`, \`UTC\`); abbreviations and offsets such as \`KST\` or \`+09:00\` carry no daylight-saving rules.`,
    ),
  usage: (word?: string) =>
    notice(
      'daily.usage',
      `${word ? `\`${shown(word, 20)}\` 은(는) 알 수 없는 하위 명령이에요. ` : ''}사용법: \`/daily on [HH:MM] [시간대]\` · \`/daily off\` · \`/daily status\` · \`/daily now\` (기본값 09:00 Asia/Seoul)\n` +
        `${word ? `\`${shown(word, 20)}\` is not a daily subcommand. ` : ''}Usage: \`/daily on [HH:MM] [time zone]\` · \`/daily off\` · \`/daily status\` · \`/daily now\` (default 09:00 Asia/Seoul)`,
    ),
  tooManyArgs: () =>
    notice(
      'daily.usage',
      '`/daily on` 뒤에는 시각과 시간대만 적어 주세요 (예: `/daily on 08:30 Europe/London`).\nAfter `/daily on`, give only a time and a time zone (e.g. `/daily on 08:30 Europe/London`).',
    ),
  subscribed: (time: string, zone: string, next: string) =>
    notice(
      'daily.on',
      `✅ 이 채널에 매일 ${time} (${zone}) 오늘의 개념을 올릴게요. 다음 게시: ${next}\n✅ This channel gets a concept every day at ${time} (${zone}). Next post: ${next}`,
      'channel',
    ),
  unsubscribed: () =>
    notice(
      'daily.off',
      '🛑 이 채널의 오늘의 개념을 껐어요. `/daily on` 으로 다시 켤 수 있어요.\n🛑 The concept of the day is off for this channel. `/daily on` turns it back on.',
      'channel',
    ),
  notSubscribed: () =>
    notice('daily.off.none', '이 채널은 오늘의 개념을 구독하고 있지 않아요.\nThis channel has no concept of the day to switch off.'),
  noOutbox: () =>
    notice(
      'daily.unavailable',
      '지금은 채널에 글을 올릴 수 없어요 (연결된 플랫폼 없음).\nPosting is not available right now (no platform is connected).',
    ),
  nowSent: (title: string) => notice('daily.now.sent', `📮 오늘의 개념을 올렸어요: ${title}\n📮 Posted today's concept: ${title}`),
  nowAlready: (title: string | undefined) =>
    notice(
      'daily.now.already',
      `오늘의 개념은 이 채널에 이미 올라왔어요${title ? `: ${title}` : ''}. 하루에 한 번만 올려요. 내일 다시 만나요!\nToday's concept was already posted here${title ? `: ${title}` : ''}. It is posted once a day; see you tomorrow!`,
    ),
  nowInProgress: () => notice('daily.now.inProgress', "오늘의 개념을 지금 올리는 중이에요.\nToday's concept is being posted right now."),
  nowRetrying: () =>
    notice(
      'daily.now.retrying',
      '지금은 올리지 못했어요. 잠시 뒤 자동으로 다시 시도할게요. `/daily status` 에서 상황을 볼 수 있어요.\nI could not post just now; I will retry shortly by myself. `/daily status` shows how it goes.',
    ),
  nowFailed: () =>
    notice(
      'daily.now.failed',
      '여러 번 시도했지만 올리지 못했어요. `/daily status` 에서 오류를 확인해 주세요.\nI tried several times and could not post. `/daily status` shows the error.',
    ),
  nowPaused: () =>
    notice(
      'daily.now.paused',
      '이 채널에 글을 올릴 수 없어요 (봇이 채널에 없거나 권한이 없어요). 봇을 채널에 초대하고 권한을 확인한 뒤 `/daily on` 으로 다시 켜 주세요.\nI cannot post in this channel (the bot is not in it or lacks permission). Invite the bot, check its permissions, then `/daily on` to resume.',
    ),
  noConcepts: () => notice('daily.empty', '올릴 개념이 없어요. 노트를 확인해 주세요.\nThere are no concepts to post; check the notes.'),
};
