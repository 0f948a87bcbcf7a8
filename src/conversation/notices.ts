import type { Reply } from '../reply.js';

/** The core's answers about buttons and threads, Korean first, English beside; private to the presser. */
export function staleNotice(): Reply {
  return {
    kind: 'notice',
    code: 'quiz.closed',
    visibility: 'private',
    markdown:
      '이 문제는 이미 끝났어요 (답했거나, 라운드가 넘어갔거나, 끝났어요). `/quiz` 로 새 문제를 받아 보세요.\nThis question is closed (answered, moved on, or over). Use `/quiz` for a new one.',
  };
}

export function notYoursNotice(): Reply {
  return {
    kind: 'notice',
    code: 'quiz.notYours',
    visibility: 'private',
    markdown:
      '다른 사람의 문제예요. `/quiz` 로 내 문제를 받아 보세요.\nThat question belongs to someone else. `/quiz` gives you one of your own.',
  };
}

/** A button value our buttons never send (edited or forged): nothing runs. */
export function forgedNotice(): Reply {
  return {
    kind: 'notice',
    code: 'action.invalid',
    visibility: 'private',
    markdown:
      '이 버튼 값은 이 문제의 답이 아니에요. 아무것도 실행하지 않았어요.\nThat button value is not an answer to this question; nothing was run.',
  };
}
