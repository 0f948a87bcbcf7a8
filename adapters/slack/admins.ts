import type { App } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';
import { Lru } from '../../src/lru.js';

type WebClient = App['client'];

/**
 * Who may manage the channel's daily post: SLACK_ADMIN_USERS, or a workspace admin or owner
 * (users.info, asked with that workspace's token). Asked only for `/k8s daily …`, and remembered
 * for a few minutes, per team: an admin of one workspace is nobody special in another.
 */
export function createManagerCheck(
  clientFor: (team: string | undefined) => Promise<WebClient>,
  allow: string[],
  log: Logger,
  now: () => number = Date.now,
) {
  const cache = new Lru<string, { at: number; manager: boolean }>(1_000);
  const allowed = new Set(allow);
  return async (userId: string, team?: string): Promise<boolean> => {
    if (allowed.has(userId)) return true;
    const key = `${team ?? ''}:${userId}`;
    const hit = cache.get(key);
    if (hit && now() - hit.at < 5 * 60_000) return hit.manager;
    try {
      const res = await (await clientFor(team)).users.info({ user: userId });
      const u = res.user;
      const manager = Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner);
      cache.set(key, { at: now(), manager });
      return manager;
    } catch (err) {
      // Without users:read the answer is "no": the safe side for a channel-wide setting.
      log.warn({ err, user: userId, workspace: team }, 'users.info failed; treating the user as not an admin');
      return false;
    }
  };
}
