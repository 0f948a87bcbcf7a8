import { LruPerOwner } from '../../src/lru.js';
import type { Tutor } from '../../src/tutor.js';
import { choicesCallback } from './callback.js';
import { LIMITS, clip } from './limits.js';
import { titleLine } from '../../src/lang.js';

export interface Choice {
  name: string;
  value: string;
}

/**
 * Answers kept: every 1- and 2-letter start, half and whole name of a few hundred concepts in both
 * languages (~2,200 for the shipped notes), at ~2 KB each (choices and their callback body): ~8 MB at most.
 */
const AUTOCOMPLETE_KEPT = 4_096;

/**
 * Concept names as people type, from the same search as `/k8s` (typos, choseong, both
 * languages). Many people type the same first letters, so recent answers are kept (an LRU, with
 * the callback body ready to send) and the search runs once per prefix and notes version.
 */
export class Autocomplete {
  /** Kept with the index they came from (weakly: after a reload the old answers go with the old index). */
  private readonly kept: LruPerOwner<object, string, { choices: Choice[]; callback: Buffer }>;

  constructor(
    private readonly tutor: Tutor,
    size = AUTOCOMPLETE_KEPT,
  ) {
    this.kept = new LruPerOwner(size);
  }

  choices(typed: string): Choice[] {
    return this.answer(typed).choices;
  }

  /** The interaction callback that answers `typed`. */
  callback(typed: string): Buffer {
    return this.answer(typed).callback;
  }

  private answer(typed: string): { choices: Choice[]; callback: Buffer } {
    const cache = this.kept.of(this.tutor.index);
    const q = typed.trim().slice(0, 100);
    const hit = cache.get(q);
    if (hit) return hit;
    const choices = this.search(q);
    const made = { choices, callback: choicesCallback(choices) };
    cache.set(q, made);
    return made;
  }

  private search(q: string): Choice[] {
    const concepts = q ? this.tutor.index.search(q, LIMITS.autocompleteChoices).hits.map((h) => h.concept) : this.tutor.knowledge.concepts;
    const seen = new Set<string>();
    const out: Choice[] = [];
    for (const c of concepts) {
      if (seen.has(c.id) || c.id.length > LIMITS.choiceValue) continue;
      seen.add(c.id);
      out.push({ name: clip(titleLine(c.title).replace(/\s+/g, ' '), LIMITS.choiceName) || c.id, value: c.id });
      if (out.length >= LIMITS.autocompleteChoices) break;
    }
    return out;
  }
}
