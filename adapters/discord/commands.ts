import type { Command } from '../../src/commands/parse.js';

/**
 * The slash commands, as Discord registers them (register.ts) and as the adapter maps them onto
 * the one command language (COMMANDS.md). Korean names and descriptions sit beside the English.
 */
const STRING = 3;
const INTEGER = 4;
const SUB = 1;

interface Option {
  type: number;
  name: string;
  description: string;
  name_localizations?: { ko: string };
  description_localizations?: { ko: string };
  required?: boolean;
  autocomplete?: boolean;
  choices?: { name: string; value: string; name_localizations?: { ko: string } }[];
  min_value?: number;
  max_value?: number;
  max_length?: number;
  options?: Option[];
}

export interface SlashCommand {
  name: string;
  description: string;
  name_localizations: { ko: string };
  description_localizations: { ko: string };
  type: 1;
  options?: Option[];
  /** Where the command is offered: 0 servers, 1 the bot's DM, 2 other DMs and group DMs. */
  contexts?: number[];
  /** Who sees the command by default (a permission bit set); server admins can change it per server. */
  default_member_permissions?: number | null;
}

/** Interaction contexts (Discord): a server, the bot's DM, other DMs. */
const GUILD = 0;
const BOT_DM = 1;
/** Manage Channels (1 << 4): the /daily setting is a channel's. Discord's OpenAPI description types it as an integer. */
const MANAGE_CHANNELS = 1 << 4;

const ko = (name: string, description: string) => ({ name_localizations: { ko: name }, description_localizations: { ko: description } });

const kindOption: Option = {
  type: STRING,
  name: 'kind',
  description: 'Question kind',
  ...ko('종류', '문제 종류'),
  choices: [
    { name: 'order (ordering drill)', value: 'order', name_localizations: { ko: '순서 맞추기' } },
    { name: 'recall', value: 'recall', name_localizations: { ko: '떠올리기' } },
    { name: 'choice', value: 'choice', name_localizations: { ko: '객관식' } },
    { name: 'class (which side)', value: 'class', name_localizations: { ko: '분류' } },
    { name: 'next step', value: 'next', name_localizations: { ko: '다음 단계' } },
    { name: 'swapped pair', value: 'swap', name_localizations: { ko: '바뀐 두 단계' } },
    { name: 'missing step', value: 'missing', name_localizations: { ko: '빠진 단계' } },
  ],
};
const topicOption: Option = {
  type: STRING,
  name: 'topic',
  description: 'Topic, e.g. pod or docker',
  ...ko('주제', '주제 (예: 파드, 도커)'),
  max_length: 80,
};

export const SLASH_COMMANDS: SlashCommand[] = [
  {
    type: 1,
    name: 'k8s',
    description: 'Look up a container or Kubernetes concept',
    ...ko('개념', '컨테이너·쿠버네티스 개념 찾기'),
    options: [
      {
        type: STRING,
        name: 'query',
        description: 'A concept name or question (Korean or English)',
        ...ko('질문', '개념 이름이나 질문 (한국어·영어)'),
        autocomplete: true,
        max_length: 200,
      },
    ],
  },
  { type: 1, name: 'help', description: 'How to use the tutor', ...ko('도움말', '튜터 사용법') },
  {
    type: 1,
    name: 'quiz',
    description: 'Quizzes: team rounds, solo questions, hints',
    ...ko('퀴즈', '퀴즈: 팀 라운드, 혼자 풀기, 힌트'),
    // Solo questions work in the bot's DM too; a round there is refused by the core (rounds need a server channel and its threads).
    contexts: [GUILD, BOT_DM],
    options: [
      {
        type: SUB,
        name: 'start',
        description: 'Start a team round in this channel',
        ...ko('시작', '이 채널에서 팀 라운드 시작'),
        options: [
          { type: INTEGER, name: 'questions', description: 'How many questions', ...ko('문항수', '문제 수'), min_value: 1, max_value: 20 },
          kindOption,
          topicOption,
        ],
      },
      { type: SUB, name: 'stop', description: 'Stop the round in this channel', ...ko('끝내기', '이 채널의 라운드 끝내기') },
      {
        type: SUB,
        name: 'solo',
        description: 'A question just for you',
        ...ko('혼자', '나만 보는 문제'),
        options: [kindOption, topicOption],
      },
      {
        type: SUB,
        name: 'hint',
        description: 'A hint for the open question (costs points)',
        ...ko('힌트', '지금 문제의 힌트 (점수가 줄어요)'),
      },
    ],
  },
  {
    type: 1,
    name: 'review',
    description: 'Answer what is due for review',
    ...ko('복습', '복습할 문제 풀기'),
    options: [
      {
        type: STRING,
        name: 'remind',
        description: 'Reminder: on [HH:MM] [zone] or off',
        ...ko('알림', '복습 알림: on [HH:MM] [시간대] 또는 off'),
        max_length: 80,
      },
    ],
  },
  {
    type: 1,
    name: 'progress',
    description: 'Your progress as a chart (team: the channel’s weakest concepts)',
    ...ko('진도', '내 학습 진도 그래프 (team: 채널의 약한 개념)'),
    options: [{ type: STRING, name: 'scope', description: 'team for the channel', ...ko('범위', 'team 이면 채널 전체'), max_length: 10 }],
  },
  {
    type: 1,
    name: 'leaderboard',
    description: 'The leaderboard of this server',
    ...ko('순위', '이 서버의 순위표'),
    options: [
      {
        type: STRING,
        name: 'period',
        description: 'This week or all time',
        ...ko('기간', '이번 주 또는 전체'),
        choices: [
          { name: 'this week', value: 'week', name_localizations: { ko: '이번 주' } },
          { name: 'all time', value: 'all', name_localizations: { ko: '전체' } },
        ],
      },
    ],
  },
  {
    type: 1,
    name: 'daily',
    description: 'Concept of the day for this channel',
    ...ko('오늘의개념', '이 채널의 오늘의 개념'),
    // A channel's setting: offered in servers only, to members who manage channels (the core checks Manage Guild or Manage Channels again).
    contexts: [GUILD],
    default_member_permissions: MANAGE_CHANNELS,
    options: [
      {
        type: SUB,
        name: 'on',
        description: 'Post a concept every day',
        ...ko('켜기', '매일 개념 하나 올리기'),
        options: [
          { type: STRING, name: 'time', description: 'HH:MM, e.g. 09:00', ...ko('시각', '시각 HH:MM (예: 09:00)'), max_length: 5 },
          {
            type: STRING,
            name: 'timezone',
            description: 'Time zone, e.g. Asia/Seoul',
            ...ko('시간대', '시간대 (예: Asia/Seoul)'),
            max_length: 64,
          },
        ],
      },
      { type: SUB, name: 'off', description: 'Stop the daily post', ...ko('끄기', '오늘의 개념 끄기') },
      { type: SUB, name: 'status', description: 'Show the schedule', ...ko('상태', '일정 보기') },
      { type: SUB, name: 'now', description: 'Post today’s concept now', ...ko('지금', '지금 올리기') },
    ],
  },
];

/** The options Discord sent, flattened: the subcommand (if any) and the values by name. */
export interface SlashInput {
  command: string;
  sub?: string | undefined;
  values: Record<string, string | number | boolean | undefined>;
}

const words = (v: unknown): string[] =>
  typeof v === 'string' ? v.trim().split(/\s+/).filter(Boolean) : typeof v === 'number' ? [String(v)] : [];

/** A slash command as the core's Command, the same as the terminal's `/quiz start 5 order`. */
export function toCommand(input: SlashInput): Command {
  const v = input.values;
  switch (input.command) {
    case 'k8s': {
      const query = typeof v.query === 'string' ? v.query.trim() : '';
      return query ? { name: 'lookup', query } : { name: 'help' };
    }
    case 'help':
      return { name: 'help' };
    case 'quiz':
      if (input.sub === 'hint') return { name: 'hint' };
      if (input.sub === 'stop') return { name: 'quiz', args: ['stop'] };
      if (input.sub === 'start') return { name: 'quiz', args: ['start', ...words(v.questions), ...words(v.kind), ...words(v.topic)] };
      return { name: 'quiz', args: [...words(v.kind), ...words(v.topic)] };
    case 'review':
      return { name: 'review', args: typeof v.remind === 'string' && v.remind.trim() ? ['remind', ...words(v.remind)] : [] };
    case 'progress':
      return { name: 'progress', args: words(v.scope) };
    case 'leaderboard':
      return { name: 'leaderboard', args: words(v.period) };
    case 'daily':
      return { name: 'daily', args: [input.sub ?? 'status', ...words(v.time), ...words(v.timezone)] };
    default:
      return { name: 'unknown', word: input.command.slice(0, 40) };
  }
}

/** The command as a typed line, for language detection and logs. */
export function commandText(cmd: Command): string {
  switch (cmd.name) {
    case 'lookup':
      return `/k8s ${cmd.query}`;
    case 'quiz':
    case 'review':
    case 'progress':
    case 'leaderboard':
    case 'daily':
      return `/${cmd.name} ${cmd.args.join(' ')}`.trim();
    case 'text':
      return cmd.text;
    case 'unknown':
      return `/${cmd.word}`;
    default:
      return `/${cmd.name}`;
  }
}

/** Commands whose first answer is usually for the asker only; a deferred reply must pick early. */
export function expectsPrivate(cmd: Command): boolean {
  if (cmd.name === 'quiz') return !(cmd.args[0] === 'start' || cmd.args[0] === 'stop');
  return cmd.name !== 'leaderboard' && cmd.name !== 'daily';
}
