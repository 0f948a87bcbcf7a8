import type { Store } from '../../src/store/types.js';
import type { ReadinessCheck } from './server.js';

/**
 * The store's readiness: a real query every /readyz, so a replica whose database stopped
 * answering (or answers slower than the probe allows) leaves the load balancer, while /healthz
 * keeps the process alive to reconnect when the database is back.
 */
export function storeReadiness(store: Pick<Store, 'ping'>, open: () => boolean): ReadinessCheck {
  return {
    name: 'store',
    ready: () => open() && store.ping().then(() => true),
  };
}
