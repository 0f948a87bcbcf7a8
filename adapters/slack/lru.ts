/** A Map that forgets its oldest entries past `max`, so per-question and per-round state cannot grow without bound. */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      this.map.delete(oldest.value);
    }
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  delete(key: K): void {
    this.map.delete(key);
  }
}

/**
 * Remembers ids for a while: a retried Slack request carries the id of the one already answered.
 * Two generations of plain Sets: an id is remembered for at least `ttlMs`, unless more than `perGeneration`
 * new ids arrive first (then for at least that many ids: ~17 s at 3,000 commands a second, longer than
 * Slack waits before its first retry). A lookup is two `has` and an `add`: this runs on every request.
 */
export class SeenIds {
  private current = new Set<string>();
  private previous = new Set<string>();
  private since: number;
  constructor(
    private readonly now: () => number,
    private readonly ttlMs = 10 * 60_000,
    private readonly perGeneration = 50_000,
  ) {
    this.since = now();
  }

  /** True the first time an id is offered, false for a repeat. */
  first(id: string): boolean {
    if (this.current.has(id) || this.previous.has(id)) return false;
    if (this.current.size >= this.perGeneration || this.now() - this.since >= this.ttlMs) {
      this.previous = this.current;
      this.current = new Set();
      this.since = this.now();
    }
    this.current.add(id);
    return true;
  }
}
