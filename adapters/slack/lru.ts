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

/** Remembers ids for a while: a retried Slack request carries the id of the one already answered. */
export class SeenIds {
  private readonly seen = new Lru<string, number>(5_000);
  constructor(
    private readonly now: () => number,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  /** True the first time an id is offered (within the ttl), false for a repeat. */
  first(id: string): boolean {
    const at = this.seen.get(id);
    const t = this.now();
    if (at !== undefined && t - at < this.ttlMs) return false;
    this.seen.set(id, t);
    return true;
  }
}
