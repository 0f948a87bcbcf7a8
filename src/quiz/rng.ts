/** A small seeded generator (mulberry32): the same seed gives the same shuffles and questions. */
export interface Rng {
  /** 0 ≤ x < 1 */
  next(): number;
  /** 0 ≤ n < max */
  int(max: number): number;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (max) => Math.floor(next() * max) };
}

export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

export function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * A permutation of 0..n-1 that is never the identity when n ≥ 2: a drill must not come
 * already in order. Drawn uniformly from the non-identity permutations (reject and redraw).
 */
export function shuffledOrder(rng: Rng, n: number): number[] {
  const identity = Array.from({ length: n }, (_, i) => i);
  if (n < 2) return identity;
  for (;;) {
    const p = shuffle(rng, identity);
    if (p.some((v, i) => v !== i)) return p;
  }
}

export function pickOne<T>(rng: Rng, items: readonly T[]): T | undefined {
  return items.length ? items[rng.int(items.length)] : undefined;
}

export function sample<T>(rng: Rng, items: readonly T[], k: number): T[] {
  return shuffle(rng, items).slice(0, Math.max(0, k));
}
