import type { KnowledgeBase } from '../knowledge/types.js';
import type { ExplainView } from '../reply.js';
import { readPaste, type Finding, type PasteReading } from './read.js';
import { SIGNALS, type SignalDef } from './signals.js';

/**
 * The concept behind a finding: the closest card its cause names (the signal's `because`), else the
 * signal's concept card, else (notes without that card) its troubleshooting card.
 */
export function conceptOf(f: Finding, kb?: KnowledgeBase): string {
  const def: SignalDef = SIGNALS[f.signal];
  const said = `${f.detail ?? ''}\n${f.text}`;
  const has = (id: string) => !kb || kb.byId.has(id);
  const closer = def.because?.find((b) => b.when.test(said) && has(b.concept))?.concept;
  if (closer) return closer;
  if (has(def.concept)) return def.concept;
  return kb!.byId.has(def.card) ? def.card : def.concept;
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
