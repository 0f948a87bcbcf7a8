import type { Tutor } from '../../src/tutor.js';
import { LIMITS, clip } from './limits.js';
import { titleLine } from '../../src/lang.js';

export interface Choice {
  name: string;
  value: string;
}

/**
 * Concept names as people type, from the same search as `/k8s` (typos, choseong, both
 * languages). The notes do not change while the bot runs and many people type the same first
 * letters, so recent answers are kept (a small LRU) and the search runs once per prefix.
 */
export class Autocomplete {
  private readonly cache = new Map<string, Choice[]>();

  constructor(
    private readonly tutor: Tutor,
    private readonly size = 1000,
  ) {}

  choices(typed: string): Choice[] {
    const q = typed.trim().slice(0, 100);
    const hit = this.cache.get(q);
    if (hit) {
      this.cache.delete(q);
      this.cache.set(q, hit);
      return hit;
    }
    const found = this.search(q);
    this.cache.set(q, found);
    if (this.cache.size > this.size) this.cache.delete(this.cache.keys().next().value!);
    return found;
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
