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

/** One LRU per owner object (a notes version, an index, a card view), held weakly: when the owner goes, its entries go with it. */
export class LruPerOwner<O extends object, K, V> {
  private readonly byOwner = new WeakMap<O, Lru<K, V>>();
  constructor(private readonly max: number) {}

  of(owner: O): Lru<K, V> {
    let kept = this.byOwner.get(owner);
    if (!kept) this.byOwner.set(owner, (kept = new Lru(this.max)));
    return kept;
  }
}
