import type { Reply } from '../reply.js';

const LINES: [string, string, string][] = [
  [
    '/k8s <질문>',
    '개념 카드 보기 (오타, 초성, 한/영 자판 실수도 괜찮아요)',
    'show a concept card (typos, initials and wrong keyboard mode are fine)',
  ],
  ['/quiz [order|recall|choice|class] [주제]', '혼자 푸는 문제', 'a solo question'],
  [
    '/quiz start [문항수] [종류] [주제]',
    '채널 팀 퀴즈 시작 (/quiz stop 으로 끝내기)',
    'start a team round in the channel (/quiz stop ends it)',
  ],
  ['/hint', '힌트 (점수가 조금 줄어요)', 'a hint (costs points)'],
  ['/review', '복습할 문제 풀기', 'answer what is due for review'],
  ['/leaderboard [week|all]', '순위표', 'the leaderboard'],
  ['/daily on [HH:MM] [시간대] | off | status | now', '오늘의 개념 구독', 'concept of the day for this channel'],
  [
    '/k8s explain <붙여넣기>',
    'kubectl·docker 출력이나 오류를 읽고 원인과 개념을 설명 (코드 블록을 그냥 붙여도 돼요)',
    'read kubectl or docker output and teach what it means (or just paste a code block)',
  ],
  ['/help', '이 도움말', 'this help'],
];

export function helpReply(): Reply {
  const rows = LINES.map(([cmd, ko, en]) => `- \`${cmd}\` — ${ko} / ${en}`);
  return {
    kind: 'help',
    code: 'help',
    visibility: 'private',
    markdown: [
      '**쿠버네티스 튜터 사용법 / How to use the k8s tutor**',
      '',
      ...rows,
      '',
      '한국어 명령도 돼요: `/퀴즈`, `/힌트`, `/복습`, `/순위`, `/오늘의개념`, `/설명`, `/도움말`. 명령 없이 개념 이름만 적어도 찾아 드려요.',
      'Korean command words work too. A line without a command is looked up as a concept.',
    ].join('\n'),
  };
}
