import type { KnowledgeBase } from '../knowledge/types.js';
import type { ExplainView } from '../reply.js';
import { readPaste, type Finding, type PasteReading } from './read.js';
import { SIGNALS } from './signals.js';

/** The concept behind a finding: the signal's concept card when the notes have it, else its troubleshooting card. */
export function conceptOf(f: Finding, kb?: KnowledgeBase): string {
  const def = SIGNALS[f.signal];
  if (!kb || kb.byId.has(def.concept)) return def.concept;
  return kb.byId.has(def.card) ? def.card : def.concept;
}

/** The contract of `tutor explain --json` and of a reply's `explain` part (README, Scripts). */
export function explainView(reading: PasteReading, kb?: KnowledgeBase): ExplainView {
  return {
    findings: reading.findings.map((f) => ({ signal: f.signal, concept: conceptOf(f, kb), line: f.line, text: f.text })),
    unknown: reading.unknown.map((u) => u.text),
  };
}

export function explainText(text: string, kb?: KnowledgeBase): { reading: PasteReading; view: ExplainView } {
  const reading = readPaste(text);
  return { reading, view: explainView(reading, kb) };
}
