import { escapeMarkdown } from '../lang.js';
import type { IncomingMessage } from '../message.js';
import type { Reply } from '../reply.js';
import { sanitize } from '../search/normalize.js';
import type { Feature } from '../tutor.js';
import { parseQuizArgs } from './args.js';
import { notice, QuizContext, type QuizDeps } from './context.js';
import { looksLikeLabels } from './labels.js';
import { leaderboardReply } from './leaderboard.js';
import { resolveTopic, type Topic } from './pick.js';
import { Rounds } from './rounds.js';
import { SoloPlay } from './solo.js';

export interface QuizFeature extends Feature {
  /** Rounds left running by a previous process: resumed or closed, each channel told which. */
  recover(): Promise<{ resumed: string[]; closed: string[] }>;
  readonly rounds: Rounds;
  readonly solo: SoloPlay;
}

const roundHere = (): Reply =>
  notice(
    'quiz.round.here',
    '이 채널에서는 팀 라운드가 진행 중이에요. 라운드에 참여하거나, 혼자 풀려면 DM에서 `/quiz` 를 써 주세요.\nA team round is running in this channel: play along, or use `/quiz` in a direct message to practise alone.',
  );

const QUIZ_HELP = [
  '**퀴즈 사용법 / How the quiz works**',
  '- `/quiz [order|next|swap|missing|recall|choice|class] [주제]` — 혼자 풀기 / a solo question',
  '- `/quiz start [문항수] [종류] [주제] [20s]` · `/quiz stop` — 채널 팀 라운드 / a team round in this channel',
  '- `/hint` — 힌트 (−25%) / a hint (−25%) · `/review` — 복습 / review · `/leaderboard [week|all]` — 순위 / leaderboard',
  '',
  '순서 문제는 라벨을 순서대로 적어요: `C A B D`, `c,a,b,d`, `3 1 2 4`. 정확한 순서는 만점, 아니면 올바른 상대 순서로 이어진 가장 긴 줄만큼 부분 점수.',
  'Ordering drills take the labels in order: `C A B D`, `c,a,b,d`, `3 1 2 4`. The exact order scores full points; otherwise the longest run of steps in the right relative order earns partial credit.',
].join('\n');

/** The quiz as a Tutor feature: `/quiz`, `/hint`, `/review`, `/leaderboard`, and bare lines as answers. */
export function createQuizFeature(deps: QuizDeps): QuizFeature {
  const ctx = new QuizContext(deps);
  const solo = new SoloPlay(ctx);
  const rounds = new Rounds(ctx);

  const topicOf = (text: string | undefined): Topic | Reply | undefined => {
    if (!text) return undefined;
    const topic = resolveTopic(deps.kb, deps.index, text);
    if (topic) return topic;
    const shown = escapeMarkdown(sanitize(text).slice(0, 60));
    return notice(
      'quiz.topic.unknown',
      `“${shown}” 주제를 찾지 못했어요. 개념 이름으로 해 보세요 (예: \`/quiz order 파드\`).\nI found no topic “${shown}”. Try a concept name (e.g. \`/quiz order pod\`).`,
    );
  };

  const isReply = (v: Topic | Reply | undefined): v is Reply => v !== undefined && 'kind' in v;

  return {
    name: 'quiz',
    rounds,
    recover: () => rounds.recover(),
    commands: {
      quiz: async (cmd, msg) => {
        const args = parseQuizArgs(cmd.args);
        switch (args.action) {
          case 'invalid':
            return [notice(args.code, args.markdown)];
          case 'stop':
            return rounds.stop(msg);
          case 'help':
            return [notice('quiz.help', QUIZ_HELP)];
          case 'start': {
            const topic = topicOf(args.topic);
            if (isReply(topic)) return [topic];
            return rounds.start(msg, { count: args.count, kind: args.kind, topic, topicText: args.topic, seconds: args.seconds });
          }
          case 'solo': {
            if (rounds.running(msg.platform, msg.channel.id)) return [roundHere()];
            const topic = topicOf(args.topic);
            if (isReply(topic)) return [topic];
            return solo.ask(msg, args.kind, topic);
          }
        }
      },
      hint: async (_cmd, msg) => {
        if (rounds.running(msg.platform, msg.channel.id)) return (await rounds.hint(msg)) ?? [];
        return (
          (await solo.hint(msg)) ?? [
            notice(
              'quiz.hint.noQuestion',
              '지금 풀고 있는 문제가 없어요. `/quiz` 로 시작해요. / You have no open question; `/quiz` gives you one.',
            ),
          ]
        );
      },
      review: async (_cmd, msg) => {
        if (rounds.running(msg.platform, msg.channel.id)) return [roundHere()];
        return solo.review(msg);
      },
      leaderboard: async (cmd, msg) => [await leaderboardReply(deps.store, msg, cmd.args, ctx.now())],
    },
    solo,
    async onText(msg: IncomingMessage) {
      const inRound = await rounds.answer(msg);
      if (inRound) return inRound;
      // The player's own question before a round that has ended: its late notice must not eat a solo answer.
      const alone = await solo.answer(msg);
      if (alone) return alone;
      const late = rounds.late(msg);
      if (late) return late;
      if (!looksLikeLabels(msg.text)) return undefined;
      const other = rounds.elsewhere(msg);
      if (other) {
        const where = escapeMarkdown(sanitize(other.channelName ?? other.channel).slice(0, 60));
        return [
          notice(
            'quiz.round.elsewhere',
            `이 채널에는 진행 중인 라운드가 없어요. 라운드는 \`${where}\` 채널에서 진행 중이니 거기서 답해 주세요.\nThere is no round in this channel; the round is running in \`${where}\`, answer there.`,
          ),
        ];
      }
      return [
        notice(
          'quiz.noQuestion',
          '답할 문제가 없어요. `/quiz` 로 문제를 받거나 `/quiz start` 로 팀 라운드를 시작해요.\nThere is no open question. `/quiz` gives you one; `/quiz start` begins a team round.',
        ),
      ];
    },
    close() {
      return rounds.close();
    },
  };
}
