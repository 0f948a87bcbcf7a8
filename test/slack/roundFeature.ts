import type { Clock } from '../../src/clock.js';
import type { IncomingMessage } from '../../src/message.js';
import type { PostTarget, QuizView, Reply, ScoreEntry } from '../../src/reply.js';
import type { Feature, Outbox } from '../../src/tutor.js';

/**
 * A small quiz feature written against the public Feature and Reply interfaces, shaped like the quiz
 * engine's replies (a round keeps the `msg.thread` it was started with and carries it on every reply
 * and outbox target; grades are private; solo questions are private). It lets the Slack adapter's
 * round handling be tested end to end whether or not the engine is wired into createApp yet.
 */
interface Fixture {
  quiz: Omit<QuizView, 'questionId' | 'roundId' | 'number' | 'total' | 'deadline'>;
  answer: string;
}

export const FIXTURES: Fixture[] = [
  {
    quiz: {
      kind: 'order',
      prompt: '**순서 맞히기** 파드가 만들어지는 순서 / **Ordering drill** Creating a pod',
      items: [
        { label: 'A', text: 'API 서버가 etcd에 기록 — API server stores it in etcd' },
        { label: 'B', text: 'kubelet이 컨테이너 실행 — kubelet starts the containers' },
        { label: 'C', text: 'kubectl이 요청 전송 — kubectl sends the request' },
        { label: 'D', text: '파드 Running — the pod is Running' },
        { label: 'E', text: '스케줄러가 노드 배정 — the scheduler picks a node' },
      ],
    },
    answer: 'C A E B D',
  },
  {
    quiz: {
      kind: 'choice',
      prompt: '**알맞은 개념 고르기** 클러스터의 모든 상태를 저장하는 구성 요소는? / Which component stores all cluster state?',
      items: [
        { label: 'A', text: 'kubelet' },
        { label: 'B', text: 'etcd' },
        { label: 'C', text: 'kube-proxy' },
      ],
    },
    answer: 'B',
  },
  {
    quiz: { kind: 'recall', prompt: '**이 개념은?** 노드마다 돌며 파드를 실행하는 에이전트 / The agent on every node that runs pods', items: [] },
    answer: 'KUBELET',
  },
];

interface Round {
  id: string;
  target: PostTarget;
  thread?: string;
  index: number;
  deadline: number;
  answered: Set<string>;
  scores: Map<string, { name: string; points: number }>;
  timer?: { cancel(): void };
}

const normal = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim();
const escape = (s: string) => s.replace(/[\\`*_~[\]()<>#|]/g, (c) => `\\${c}`);

export function quizFeature(deps: { outbox: Outbox; clock: Clock; seconds?: number }): Feature {
  const rounds = new Map<string, Round>();
  const solo = new Map<string, { fixture: Fixture; questionId: string }>();
  const seconds = deps.seconds ?? 30;
  let seq = 0;

  const question = (r: Round, intro?: string): Reply => {
    const f = FIXTURES[r.index]!;
    const quiz: QuizView = { ...f.quiz, questionId: `${r.id}-q${r.index + 1}`, roundId: r.id, number: r.index + 1, total: FIXTURES.length, deadline: r.deadline };
    const items = f.quiz.items.map((i) => `- **${i.label}** ${i.text}`);
    return { kind: 'quiz', visibility: 'channel', markdown: [...(intro ? [intro, ''] : []), f.quiz.prompt, '', ...items].join('\n'), quiz, ...(r.thread ? { thread: r.thread } : {}) };
  };

  const board = (r: Round, final: boolean): Reply => {
    const entries: ScoreEntry[] = [...r.scores.entries()].sort((a, b) => b[1].points - a[1].points).map(([user, s], i) => ({ user, name: s.name, points: s.points, rank: i + 1 }));
    return {
      kind: 'scoreboard',
      visibility: 'channel',
      markdown: entries.map((e) => `${e.rank}. ${escape(e.name ?? e.user)} ${e.points}`).join('\n') || 'no scores',
      scoreboard: { title: final ? { ko: '최종 점수', en: 'Final scores' } : { ko: '점수판', en: 'Scoreboard' }, entries, final },
      ...(r.thread ? { thread: r.thread } : {}),
    };
  };

  const schedule = (r: Round) => {
    r.deadline = deps.clock.now() + seconds * 1000;
    r.timer = deps.clock.setTimer(seconds * 1000, () => void advance(r));
  };

  async function advance(r: Round): Promise<void> {
    r.index++;
    r.answered.clear();
    if (r.index >= FIXTURES.length) {
      rounds.delete(r.target.channel);
      await deps.outbox(r.target, board(r, true));
      return;
    }
    await deps.outbox(r.target, board(r, false));
    schedule(r);
    await deps.outbox(r.target, question(r));
  }

  const grade = (msg: IncomingMessage, f: Fixture, questionId: string, thread?: string): Reply => {
    const correct = normal(msg.text) === normal(f.answer);
    return {
      kind: 'grade',
      code: correct ? 'quiz.correct' : 'quiz.wrong',
      visibility: 'private',
      markdown: `${correct ? '✅ 정답 / Correct' : '❌ 아쉬워요 / Not quite'} — “${escape(msg.text.slice(0, 60))}”`,
      grade: { user: msg.user.id, correct, points: correct ? 10 : 0, expected: f.answer.split(' '), questionId },
      ...(thread ? { thread } : {}),
    };
  };

  return {
    name: 'test-quiz',
    commands: {
      quiz: (cmd, msg) => {
        const [sub] = cmd.args;
        const running = rounds.get(msg.channel.id);
        if (sub === 'start') {
          if (running) return [{ kind: 'notice', code: 'quiz.round.running', visibility: 'private', markdown: '이미 라운드가 진행 중이에요. / A round is already running.' }];
          const r: Round = {
            id: `r${++seq}`,
            target: { platform: msg.platform, channel: msg.channel.id, ...(msg.thread ? { thread: msg.thread } : {}), ...(msg.workspace ? { workspace: msg.workspace } : {}) },
            ...(msg.thread ? { thread: msg.thread } : {}),
            index: 0,
            deadline: 0,
            answered: new Set(),
            scores: new Map(),
          };
          rounds.set(msg.channel.id, r);
          schedule(r);
          return [question(r, `🎯 **팀 퀴즈 시작! / Team round!** ${FIXTURES.length}문제`)];
        }
        const kind = sub ?? 'order';
        const fixture = FIXTURES.find((f) => f.quiz.kind === kind) ?? FIXTURES[0]!;
        const questionId = `solo-${++seq}`;
        solo.set(`${msg.user.id}:${msg.channel.id}`, { fixture, questionId });
        return [{ kind: 'quiz', visibility: 'private', markdown: fixture.quiz.prompt, quiz: { ...fixture.quiz, questionId } }];
      },
    },
    onText(msg: IncomingMessage) {
      const own = solo.get(`${msg.user.id}:${msg.channel.id}`);
      if (own) {
        solo.delete(`${msg.user.id}:${msg.channel.id}`);
        return [grade(msg, own.fixture, own.questionId)];
      }
      const r = rounds.get(msg.channel.id);
      if (!r) return undefined;
      if (r.answered.has(msg.user.id)) return [{ kind: 'notice', code: 'quiz.answered', visibility: 'private', markdown: '이미 답했어요. / You already answered.', ...(r.thread ? { thread: r.thread } : {}) }];
      r.answered.add(msg.user.id);
      const f = FIXTURES[r.index]!;
      const reply = grade(msg, f, `${r.id}-q${r.index + 1}`, r.thread);
      const s = r.scores.get(msg.user.id) ?? { name: msg.user.name ?? msg.user.id, points: 0 };
      s.points += reply.grade!.points;
      r.scores.set(msg.user.id, s);
      return [reply];
    },
    close() {
      for (const r of rounds.values()) r.timer?.cancel();
    },
  };
}
