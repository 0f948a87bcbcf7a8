import type { SearchIndex } from '../search/engine.js';
import type { KnowledgeBase } from './types.js';

/** The notes and the index built from them, always from the same load. */
export interface KnowledgeSnapshot {
  readonly kb: KnowledgeBase;
  readonly index: SearchIndex;
  /** 1 at start, one more at each reload. */
  readonly version: number;
}

/**
 * The one owner of the current knowledge and index. The Tutor, the quiz and the daily posts read
 * through it at each use, so a reload reaches them all; a reload replaces both in one assignment,
 * after the new index is complete, so no reader ever sees a half-built index or a mismatched pair.
 */
export class LiveKnowledge {
  private current: KnowledgeSnapshot;
  private readonly listeners = new Set<(now: KnowledgeSnapshot) => void>();

  constructor(kb: KnowledgeBase, index: SearchIndex) {
    this.current = Object.freeze({ kb, index, version: 1 });
  }

  get snapshot(): KnowledgeSnapshot {
    return this.current;
  }

  get kb(): KnowledgeBase {
    return this.current.kb;
  }

  get index(): SearchIndex {
    return this.current.index;
  }

  /** Switches every reader to a complete new pair at once. */
  swap(kb: KnowledgeBase, index: SearchIndex): KnowledgeSnapshot {
    this.current = Object.freeze({ kb, index, version: this.current.version + 1 });
    for (const listener of this.listeners) listener(this.current);
    return this.current;
  }

  /** Called after each swap; returns the unsubscribe. */
  onSwap(listener: (now: KnowledgeSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
