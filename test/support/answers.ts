import type { App } from '../../src/app.js';
import { expectedOf } from '../../src/quiz/grade.js';
import { isQuestion } from '../../src/quiz/question.js';

/** The right answer to the open question of the round running in `channel`, read from the store, as a typed line. */
export async function roundAnswer(app: App, channel: string): Promise<string> {
  const r = (await app.store.quiz.runningRounds()).find((x) => x.round.channel === channel);
  if (!r) throw new Error(`no running round in ${channel}`);
  const q = r.questions.find((x) => x.number === r.round.current)!.question;
  if (!isQuestion(q)) throw new Error('stored question unreadable');
  const e = expectedOf(q);
  return Array.isArray(e) ? e.join(' ') : e;
}
