/**
 * Partial credit for an ordering drill. `order[i]` is the true position of the step the player
 * put at position i. We credit the longest run of steps in the right relative order (the longest
 * increasing subsequence): it is what a learner has understood even when one step is misplaced,
 * whereas counting exact positions would punish a single early slip with a zero.
 */
export function longestInOrder(order: readonly number[]): number[] {
  const n = order.length;
  const tails: number[] = [];
  const prev = new Array<number>(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const v = order[i]!;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order[tails[mid]!]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const run: number[] = [];
  for (let i = tails.length ? tails[tails.length - 1]! : -1; i >= 0; i = prev[i]!) run.push(order[i]!);
  return run.reverse();
}

/** 1 for the exact order; (run − 1) / (n − 1) otherwise, so a reversed order earns 0 and any slip earns less than 1. */
export function orderCredit(order: readonly number[]): number {
  const n = order.length;
  if (n === 0) return 0;
  if (isExact(order)) return 1;
  if (n === 1) return 0;
  return (longestInOrder(order).length - 1) / (n - 1);
}

export function isExact(order: readonly number[]): boolean {
  return order.every((v, i) => v === i);
}

/** First position (0-based) holding the wrong step, or −1. */
export function firstWrong(order: readonly number[]): number {
  return order.findIndex((v, i) => v !== i);
}
