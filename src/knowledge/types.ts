/** What the loader makes of the notes. Platform-neutral, plain data. */
export interface Bilingual {
  ko: string;
  en: string;
}

export interface SourceRef {
  /** Note file name as the learner knows it (basename), e.g. 000_d359af6a4ce1f427.txt or ch3-kubernetes/etcd.md. */
  file: string;
  heading: string;
  /** Line of the heading in that file, when the loader read it there. */
  line?: number;
  url?: string;
}

export interface Concept {
  id: string;
  /** When the notes give no English name, `en` repeats `ko` so every renderer still shows one title. */
  title: Bilingual;
  /** Set when the notes give no English name (`tutor ask --json` then says `"en": null`). */
  noEnglishName?: true;
  aliases: string[];
  category: string;
  summary: Bilingual;
  /** Markdown, Korean with English terms beside. */
  body: string;
  example?: { lang: string; code: string };
  related: string[];
  confusedWith: string[];
  prerequisites: string[];
  why?: Bilingual;
  source: SourceRef;
  /** Where the card itself was loaded from (for error messages and `concepts --json`). */
  origin: { file: string; line: number };
}

export interface SequenceStep {
  text: Bilingual;
  /** Why this step comes after the previous one. Absent in free notes. */
  reason?: Bilingual;
}

export interface Sequence {
  id: string;
  title: Bilingual;
  steps: SequenceStep[];
  source: SourceRef;
  /** The concept card that presents this sequence in search. */
  conceptId: string;
}

export interface ClassificationSet {
  id: string;
  title: Bilingual;
  classes: { label: Bilingual; members: string[] }[];
  source: SourceRef;
}

export interface LoadProblem {
  file: string;
  line: number;
  message: string;
}

export interface KnowledgeBase {
  concepts: Concept[];
  sequences: Sequence[];
  classifications: ClassificationSet[];
  problems: LoadProblem[];
  byId: Map<string, Concept>;
}
