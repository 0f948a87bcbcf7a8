/**
 * The one command language (COMMANDS.md). Every platform maps its input onto these;
 * Korean aliases stand beside the English words.
 */
export type Command =
  | { name: 'lookup'; query: string }
  | { name: 'help' }
  | { name: 'quiz'; args: string[] }
  | { name: 'hint' }
  | { name: 'review'; args: string[] }
  | { name: 'progress'; args: string[] }
  | { name: 'leaderboard'; args: string[] }
  | { name: 'daily'; args: string[] }
  /** Pasted kubectl or Docker output to read and teach from; `text` keeps its lines. */
  | { name: 'explain'; text: string }
  /** A bare line: an answer when a question is open, a lookup otherwise. */
  | { name: 'text'; text: string }
  | { name: 'unknown'; word: string };

export type CommandName = Command['name'];

const WORDS: Record<string, 'help' | 'quiz' | 'hint' | 'review' | 'progress' | 'leaderboard' | 'daily'> = {
  help: 'help',
  도움말: 'help',
  도움: 'help',
  명령어: 'help',
  quiz: 'quiz',
  퀴즈: 'quiz',
  hint: 'hint',
  힌트: 'hint',
  review: 'review',
  복습: 'review',
  progress: 'progress',
  진도: 'progress',
  leaderboard: 'leaderboard',
  rank: 'leaderboard',
  순위: 'leaderboard',
  랭킹: 'leaderboard',
  daily: 'daily',
  오늘의개념: 'daily',
  오늘의: 'daily',
};

/** `/explain …`, `/k8s explain …`, `/설명 …`: everything after the word, line breaks kept. */
const EXPLAIN = /^[/!]\s*(?:(?:k8s|ask|lookup|search|검색|찾기|개념)\s+)?(?:explain|설명)(?=\s|$|`)([\s\S]*)$/i;

const LOOKUP_WORDS = new Set(['k8s', 'ask', 'lookup', 'search', '검색', '찾기', '개념']);

function fromWord(word: string, rest: string[]): Command | undefined {
  const name = WORDS[word.toLowerCase()];
  if (!name) return undefined;
  switch (name) {
    case 'help':
      return { name: 'help' };
    case 'hint':
      return { name: 'hint' };
    case 'review':
    case 'progress':
    case 'quiz':
    case 'leaderboard':
    case 'daily':
      // `/오늘의 개념 on` reads the same as `/오늘의개념 on`.
      return { name, args: name === 'daily' && word === '오늘의' && rest[0] === '개념' ? rest.slice(1) : rest };
  }
}

/** `/k8s etcd`, `/quiz start 5 order`, `/k8s quiz start`, `/도움말`, or a bare line. */
export function parseCommand(input: string): Command {
  const text = input.trim();
  if (!text.startsWith('/') && !text.startsWith('!')) return { name: 'text', text };
  const explain = EXPLAIN.exec(text);
  if (explain) return { name: 'explain', text: explain[1]!.replace(/^[ \t]*(?:\r?\n)?/, '') };
  const [head = '', ...rest] = text.slice(1).trim().split(/\s+/);
  const word = head.toLowerCase();
  if (LOOKUP_WORDS.has(word)) {
    if (rest.length === 0) return { name: 'help' };
    const sub = fromWord(rest[0]!, rest.slice(1));
    if (sub) return sub;
    return { name: 'lookup', query: rest.join(' ') };
  }
  const cmd = fromWord(word, rest);
  if (cmd) return cmd;
  if (!word) return { name: 'help' };
  return { name: 'unknown', word: head.slice(0, 40) };
}
