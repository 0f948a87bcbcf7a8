import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BOT_SCOPES } from '../../adapters/slack/installs.js';
import { ROOT } from '../support/shared.js';

interface Manifest {
  features: { slash_commands: { command: string; should_escape?: boolean }[]; bot_user: { display_name: string } };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
}

const manifest = parse(readFileSync(join(ROOT, 'slack-manifest.yaml'), 'utf8')) as Manifest;

describe('the Slack app manifest an admin pastes', () => {
  it('declares /k8s, interactivity for the buttons, and Socket Mode', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/k8s']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('subscribes to every event the adapter listens for, with the scope each one needs', () => {
    const events = manifest.settings.event_subscriptions.bot_events;
    const scopes = manifest.oauth_config.scopes.bot;
    const needs: Record<string, string> = {
      app_mention: 'app_mentions:read',
      'message.im': 'im:history',
      'message.channels': 'channels:history',
      'message.groups': 'groups:history',
    };
    for (const [event, scope] of Object.entries(needs)) {
      expect(events).toContain(event);
      expect(scopes).toContain(scope);
    }
  });

  it("asks for the scopes the adapter's Web API calls need, and no more", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      [
        'app_mentions:read',
        'channels:history',
        'channels:join',
        'chat:write',
        'chat:write.public',
        'commands',
        'files:write',
        'groups:history',
        'im:history',
        'im:write',
        'users:read',
      ].sort(),
    );
  });

  it('asks an installing workspace for the same scopes as the manifest, and hears when the app is uninstalled or its token revoked', () => {
    expect([...BOT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining(['app_uninstalled', 'tokens_revoked']));
  });
});
