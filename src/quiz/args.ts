import type { QuestionKind } from './question.js';

/** `/quiz …` in words: solo, start, stop. Korean words beside the English ones. */
export type QuizArgs =
  | { action: 'solo'; kind?: QuestionKind | undefined; topic?: string | undefined }
  | { action: 'start'; count: number; kind?: QuestionKind | undefined; topic?: string | undefined; seconds?: number | undefined }
  | { action: 'stop' }
  | { action: 'help' }
  | { action: 'invalid'; code: 'quiz.args.count' | 'quiz.args.seconds'; markdown: string };

const KIND_WORDS: Record<string, QuestionKind> = {
  order: 'order',
  ordering: 'order',
  drill: 'order',
  순서: 'order',
  순서맞히기: 'order',
  next: 'next',
  다음: 'next',
  swap: 'swap',
  swapped: 'swap',
  바뀐: 'swap',
  missing: 'missing',
  blank: 'missing',
  빈칸: 'missing',
  recall: 'recall',
  단답: 'recall',
  주관식: 'recall',
  choice: 'choice',
  mc: 'choice',
  객관식: 'choice',
  class: 'class',
  classify: 'class',
  classification: 'class',
  분류: 'class',
};

const ANY_WORDS = new Set(['mix', 'any', 'all', 'random', '섞어', '아무거나', '전체']);
const START_WORDS = new Set(['start', 'round', 'team', '시작', '팀']);
const STOP_WORDS = new Set(['stop', 'end', 'cancel', '중지', '그만', '끝', '멈춤']);
const HELP_WORDS = new Set(['help', '도움말', '도움', '?']);

export const MAX_QUESTIONS = 20;
export const DEFAULT_QUESTIONS = 5;
export const MIN_SECONDS = 5;
export const MAX_SECONDS = 600;

export function kindFromWord(word: string): QuestionKind | undefined {
  return KIND_WORDS[word.toLowerCase()];
}

export function parseQuizArgs(args: string[]): QuizArgs {
  const words = args.map((a) => a.trim()).filter(Boolean);
  const head = words[0]?.toLowerCase();
  if (head && STOP_WORDS.has(head)) return { action: 'stop' };
  if (head && HELP_WORDS.has(head)) return { action: 'help' };
  if (head && START_WORDS.has(head)) {
    let count: number | undefined;
    let seconds: number | undefined;
    let kind: QuestionKind | undefined;
    const topic: string[] = [];
    for (const w of words.slice(1)) {
      const lower = w.toLowerCase();
      const secs = /^(\d{1,4})(?:s|sec|secs|seconds|초)$/.exec(lower);
      if (secs) {
        seconds = Number(secs[1]);
        if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
          return {
            action: 'invalid',
            code: 'quiz.args.seconds',
            markdown: `문제당 시간은 ${MIN_SECONDS}초에서 ${MAX_SECONDS}초 사이로 정해 주세요 (예: \`30s\`).\nThe time per question must be ${MIN_SECONDS} to ${MAX_SECONDS} seconds (e.g. \`30s\`).`,
          };
        }
      } else if (/^\d{1,4}$/.test(lower) && count === undefined && topic.length === 0) {
        count = Number(lower);
        if (count < 1 || count > MAX_QUESTIONS) {
          return {
            action: 'invalid',
            code: 'quiz.args.count',
            markdown: `문제 수는 1에서 ${MAX_QUESTIONS} 사이로 정해 주세요.\nA round has 1 to ${MAX_QUESTIONS} questions.`,
          };
        }
      } else if (!kind && topic.length === 0 && kindFromWord(lower)) kind = kindFromWord(lower);
      else if (topic.length === 0 && ANY_WORDS.has(lower)) continue;
      else topic.push(w);
    }
    return { action: 'start', count: count ?? DEFAULT_QUESTIONS, kind, topic: topic.length ? topic.join(' ') : undefined, seconds };
  }
  if (!head) return { action: 'solo' };
  const kind = kindFromWord(head);
  const rest = kind || ANY_WORDS.has(head) ? words.slice(1) : words;
  return { action: 'solo', kind, topic: rest.length ? rest.join(' ') : undefined };
}
