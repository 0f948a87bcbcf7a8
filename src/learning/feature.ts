import type { Clock } from '../clock.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import type { IncomingMessage } from '../message.js';
import type { Reply } from '../reply.js';
import { notice } from '../quiz/context.js';
import { newConcept } from '../quiz/review.js';
import { DEFAULT_ZONE } from '../schedule/zone.js';
import type { Store } from '../store/types.js';
import type { Feature, Handler } from '../tutor.js';
import { progressSvg, renderPng, teamSvg } from './chart.js';
import type { Learning } from './engine.js';
import { progressFigures, progressText, teamText, weakestConcepts } from './progress.js';
import type { Reminders } from './reminders.js';
import { safeName } from '../quiz/context.js';

export interface LearningFeatureDeps {
  learning: Learning;
  reminders: Reminders;
  store: Store;
  kb: KnowledgeBase;
  clock: Clock;
  /** The quiz's `/review` (asks the next due item); this feature adds `remind` in front of it. */
  quizReview: Handler<{ name: 'review'; args: string[] }>;
}

/** The same window of misses the concept of the day weighs (src/schedule/scheduler.ts). */
export const TEAM_WINDOW_DAYS = 90;
const REMIND_WORDS = new Set(['remind', 'reminder', '알림']);
const TEAM_WORDS = new Set(['team', 'channel', '팀', '채널']);

/** `/review [remind …]` and `/progress [team]`. */
export function createLearningFeature(deps: LearningFeatureDeps): Feature {
  const { learning, reminders, store, clock } = deps;

  const mine = async (msg: IncomingMessage): Promise<Reply> => {
    const now = clock.now();
    const cards = await store.learning.cards(msg.platform, msg.user.id);
    const answers = await store.learning.answersSince(msg.platform, msg.user.id, now - 400 * 86_400_000, 20_000);
    if (cards.length === 0 && answers.length === 0) {
      const id = newConcept(learning, cards);
      const c = id ? deps.kb.byId.get(id) : undefined;
      const first = c
        ? `\n첫걸음: \`/k8s ${c.id}\` 로 **${c.title.ko}** 를 읽고 \`/quiz recall ${c.id}\` 로 풀어 보세요.\nA first step: read **${c.title.en}** with \`/k8s ${c.id}\`, then try \`/quiz recall ${c.id}\`.`
        : '';
      return notice(
        'progress.empty',
        `아직 기록이 없어서 그릴 진도가 없어요. 문제를 하나 풀면 여기에 기억 그래프가 생겨요.\nNo answers yet, so there is no progress to draw: answer one question and your memory chart starts here.${first}`,
      );
    }
    const zone = (await store.learning.reminder(msg.platform, msg.user.id))?.zone ?? DEFAULT_ZONE;
    const figures = progressFigures({ kb: deps.kb, cards, answers, recall: (c) => learning.recall(c, now), now, zone });
    const text = progressText(figures);
    const name = safeName(msg.user.name, msg.user.id);
    return {
      kind: 'progress',
      code: 'progress.mine',
      visibility: 'private',
      markdown: `📈 **${name} 학습 진도 / Progress**\n${text}`,
      image: { mime: 'image/png', alt: text, name: 'progress.png', data: renderPng(progressSvg(figures, name)) },
    };
  };

  const team = async (msg: IncomingMessage): Promise<Reply> => {
    const since = clock.now() - TEAM_WINDOW_DAYS * 86_400_000;
    const misses = await store.daily.missedItems(msg.platform, msg.channel.id, since, 5000);
    const answered = await store.learning.channelItems(msg.platform, msg.channel.id, since);
    const weak = weakestConcepts(deps.kb, misses, answered);
    if (weak.length === 0) {
      return notice(
        'progress.team.empty',
        `최근 ${TEAM_WINDOW_DAYS}일 동안 이 채널에서 틀린 문제가 없어요. \`/quiz start\` 로 팀 라운드를 열어 보세요.\nNo misses in this channel in the last ${TEAM_WINDOW_DAYS} days. Start a team round with \`/quiz start\`.`,
      );
    }
    const text = teamText(weak, TEAM_WINDOW_DAYS);
    return {
      kind: 'progress',
      code: 'progress.team',
      visibility: 'channel',
      markdown: `📉 **${text.split('\n')[0]}**\n${text.split('\n').slice(1).join('\n')}`,
      image: { mime: 'image/png', alt: text, name: 'weakest-concepts.png', data: renderPng(teamSvg(weak, TEAM_WINDOW_DAYS)) },
    };
  };

  return {
    name: 'learning',
    commands: {
      review: async (cmd, msg) => {
        const [first, ...rest] = cmd.args;
        if (first && REMIND_WORDS.has(first.toLowerCase())) return reminders.command(rest, msg);
        return deps.quizReview(cmd, msg);
      },
      progress: async (cmd, msg) => {
        const [first] = cmd.args;
        if (first && TEAM_WORDS.has(first.toLowerCase())) return [await team(msg)];
        if (first)
          return [
            notice(
              'progress.usage',
              '`/progress` 는 내 진도, `/progress team` 은 이 채널의 약한 개념이에요.\n`/progress` shows your progress; `/progress team` shows this channel’s weakest concepts.',
            ),
          ];
        return [await mine(msg)];
      },
    },
    // Told on whatever the learner does next, once: their reminder DM was refused and switched off.
    aside: (msg) => reminders.offNotice(msg),
    close() {
      reminders.close();
    },
  };
}
