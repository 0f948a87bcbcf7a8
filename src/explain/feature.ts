import type { Clock } from '../clock.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import type { Logger } from '../logger.js';
import type { IncomingMessage } from '../message.js';
import type { Reply } from '../reply.js';
import type { Learning } from '../learning/engine.js';
import type { Feature } from '../tutor.js';
import { emptyReply, explainReply } from './reply.js';
import { queueConceptReview } from './review.js';
import { explainText, conceptOf } from './view.js';

export interface ExplainDeps {
  kb: KnowledgeBase;
  learning: Learning;
  clock: Clock;
  log: Logger;
}

/** Review entries one paste may add, so a long paste cannot flood a learner's queue. */
const MAX_QUEUED = 3;

/** `/k8s explain <paste>` and a bare pasted output (src/explain/detect.ts decides which messages are pastes). */
export function createExplainFeature(deps: ExplainDeps): Feature & { explain(text: string, msg: IncomingMessage): Promise<Reply[]> } {
  const explain = async (text: string, msg: IncomingMessage): Promise<Reply[]> => {
    if (text.trim() === '') return [emptyReply()];
    const { reading, view } = explainText(text, deps.kb);
    // The paste itself never reaches a log line: only its size and what was found.
    deps.log.debug(
      {
        lines: reading.lines,
        chars: reading.chars,
        truncated: reading.truncated,
        signals: view.findings.map((f) => f.signal),
        unknown: view.unknown.length,
      },
      'paste explained',
    );
    const queued: string[] = [];
    const now = deps.clock.now();
    for (const f of reading.findings) {
      const id = conceptOf(f, deps.kb);
      if (queued.includes(id) || !deps.kb.byId.has(id) || queued.length >= MAX_QUEUED) continue;
      if (await queueConceptReview(deps.learning, msg.platform, msg.user.id, id, now)) queued.push(id);
    }
    return [explainReply(reading, view, deps.kb, queued)];
  };
  return {
    name: 'explain',
    explain,
    commands: {
      explain: (cmd, msg) => explain(cmd.text, msg),
    },
  };
}
