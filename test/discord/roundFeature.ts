import type { Clock } from '../../src/clock.js';
import type { IncomingMessage } from '../../src/message.js';
import type { QuizView, Reply, ScoreEntry } from '../../src/reply.js';
import type { Feature, Outbox } from '../../src/tutor.js';

/**
 * A small team-round feature, written against the public Feature and Reply interfaces, so the
 * Discord adapter's round handling (threads, pickers, timers, scoreboards) is tested end to end
 * before the real quiz engine is wired into createApp. Rounds live per channel, as the engine's do.
 */
interface Fixture {
  quiz: Omit<QuizView, 'questionId' | 'roundId' | 'number' | 'total' | 'deadline'>;
  answer: string;
}

export const FIXTURES: Fixture[] = [
  {
    quiz: {
      kind: 'order',
      prompt: '**파드가 만들어지는 순서대로 놓으세요.**\nPut the steps of creating a pod in order.',
      items: [
        { label: 'A', text: 'API 서버가 etcd에 기록 / API server stores it in etcd' },
        { label: 'B', text: 'kubelet이 컨테이너 실행 / kubelet starts the containers' },
        { label: 'C', text: 'kubectl이 요청 전송 / kubectl sends the request' },
        { label: 'D', text: '파드 Running / the pod is Running' },
        { label: 'E', text: '스케줄러가 노드 배정 / the scheduler picks a node' },
      ],
    },
    answer: 'C A E B D',
  },
  {
    quiz: {
      kind: 'choice',
      prompt: '클러스터의 모든 상태를 저장하는 구성 요소는? / Which component stores all cluster state?',
      items: [
        { label: 'A', text: 'kubelet' },
        { label: 'B', text: 'etcd' },
        { label: 'C', text: 'kube-proxy' },
        { label: 'D', text: 'CoreDNS' },
      ],
    },
    answer: 'B',
  },
  {
    quiz: { kind: 'recall', prompt: '노드마다 돌며 파드를 실행하는 에이전트는? / The agent on every node that runs pods?', items: [] },
    answer: 'kubelet',
  },
];

interface Round {
  id: string;
  target: { platform: string; channel: string; workspace?: string };
  index: number;
  deadline: number;
  answered: Set<string>;
  scores: Map<string, { name: string; points: number }>;
  timer?: { cancel(): void };
}

export function teamRoundFeature(deps: { outbox: Outbox; clock: Clock; seconds?: number }): Feature & { rounds: Map<string, Round> } {
  const rounds = new Map<string, Round>();
  const seconds = deps.seconds ?? 30;
  let seq = 0;

  const question = (r: Round): Reply => {
    const f = FIXTURES[r.index]!;
    const quiz: QuizView = { ...f.quiz, questionId: `${r.id}-q${r.index + 1}`, roundId: r.id, number: r.index + 1, total: FIXTURES.length, deadline: r.deadline };
    return { kind: 'quiz', visibility: 'channel', markdown: f.quiz.prompt, quiz };
  };

  const board = (r: Round, final: boolean): Reply => {
    const entries: ScoreEntry[] = [...r.scores.entries()].sort((a, b) => b[1].points - a[1].points).map(([user, s], i) => ({ user, name: s.name, points: s.points, rank: i + 1 }));
    return {
      kind: 'scoreboard',
      visibility: 'channel',
      markdown: entries.map((e) => `${e.rank}. ${e.name} ${e.points}`).join('\n') || 'no scores',
      scoreboard: { title: final ? { ko: '최종 순위', en: 'Final scores' } : { ko: '중간 순위', en: 'Scores so far' }, entries, final },
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

  const normal = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim();

  return {
    name: 'test-team-rounds',
    rounds,
    commands: {
      quiz: (cmd, msg) => {
        const [sub] = cmd.args;
        const running = rounds.get(msg.channel.id);
        if (sub === 'stop') {
          if (!running) return [{ kind: 'notice', code: 'quiz.none', visibility: 'private', markdown: '진행 중인 라운드가 없어요. / No round is running.' }];
          running.timer?.cancel();
          rounds.delete(msg.channel.id);
          return [board(running, true)];
        }
        if (sub !== 'start') return [{ kind: 'notice', code: 'quiz.solo', visibility: 'private', markdown: 'solo questions are not part of this test feature' }];
        if (running) return [{ kind: 'notice', code: 'quiz.running', visibility: 'private', markdown: '이미 라운드가 진행 중이에요. / A round is already running.' }];
        const r: Round = { id: `r${++seq}`, target: { platform: msg.platform, channel: msg.channel.id, ...(msg.workspace ? { workspace: msg.workspace } : {}) }, index: 0, deadline: 0, answered: new Set(), scores: new Map() };
        rounds.set(msg.channel.id, r);
        schedule(r);
        return [{ kind: 'notice', code: 'quiz.started', visibility: 'channel', markdown: `**팀 퀴즈 시작!** ${FIXTURES.length}문제 / Team round: ${FIXTURES.length} questions` }, question(r)];
      },
    },
    onText(msg: IncomingMessage) {
      const r = rounds.get(msg.channel.id);
      if (!r) return undefined;
      const f = FIXTURES[r.index]!;
      const questionId = `${r.id}-q${r.index + 1}`;
      if (r.answered.has(msg.user.id)) return [{ kind: 'notice', code: 'quiz.answered', visibility: 'private', markdown: '이미 답했어요. / You already answered.' }];
      r.answered.add(msg.user.id);
      const correct = normal(msg.text) === normal(f.answer);
      const points = correct ? 10 : 0;
      const s = r.scores.get(msg.user.id) ?? { name: msg.user.name ?? msg.user.id, points: 0 };
      s.points += points;
      r.scores.set(msg.user.id, s);
      // The core's Markdown escapes what people typed; the adapter must still never let it ping.
      const said = msg.text.slice(0, 60).replace(/[\\`*_~[\]()<>#|]/g, (c) => `\\${c}`);
      return [
        {
          kind: 'grade',
          visibility: 'channel',
          markdown: `${correct ? '✅ 정답' : '❌ 오답'}: ${msg.user.name ?? ''} — “${said}”\n정답 / Answer: ${f.answer}`,
          grade: { user: msg.user.id, correct, points, expected: f.answer.split(' '), questionId },
        },
      ];
    },
    close() {
      for (const r of rounds.values()) r.timer?.cancel();
    },
  };
}
