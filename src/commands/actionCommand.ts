import { parseQuizArgs } from '../quiz/args.js';
import { parseCommand } from './parse.js';

/**
 * The commands a reply's action button may run for whoever presses it (docs/daily.md). Today only a
 * solo quiz. Button values travel through the platform and come back as input, so a forged one must
 * not start a round, stop one, or change a channel's daily posts in the presser's name.
 */
export function isRunnableActionCommand(text: string): boolean {
  if (text.length > 200) return false;
  const cmd = parseCommand(text);
  return cmd.name === 'quiz' && parseQuizArgs(cmd.args).action === 'solo';
}
