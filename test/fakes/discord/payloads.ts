import { randomBytes } from 'node:crypto';

/** Discord objects as the real API sends them, with the fields discord.js 14 reads. */
const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

export function snowflake(at = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

/** Interaction tokens are URL path segments: base64url, never `/` or `+`. */
export function interactionToken(): string {
  return `aW50ZXJhY3Rpb24.${randomBytes(48).toString('base64url')}`;
}

export interface FakeUser {
  id: string;
  username: string;
  global_name?: string | null;
  bot?: boolean;
}

export function apiUser(u: FakeUser) {
  return {
    id: u.id,
    username: u.username,
    discriminator: '0',
    global_name: u.global_name ?? null,
    avatar: null,
    bot: u.bot ?? false,
    public_flags: 0,
    flags: 0,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };
}

export function apiMember(u: FakeUser, permissions: bigint) {
  return {
    user: apiUser(u),
    nick: null,
    avatar: null,
    banner: null,
    roles: [],
    joined_at: '2024-01-01T00:00:00.000Z',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    permissions: permissions.toString(),
    communication_disabled_until: null,
  };
}

export interface FakeChannel {
  id: string;
  name: string;
  type: 0 | 11;
  guild_id: string;
  parent_id?: string;
  owner_id?: string;
}

export function apiChannel(c: FakeChannel) {
  const base = {
    id: c.id,
    type: c.type,
    guild_id: c.guild_id,
    name: c.name,
    flags: 0,
    rate_limit_per_user: 0,
    last_message_id: null,
  };
  if (c.type === 11) {
    return {
      ...base,
      parent_id: c.parent_id,
      owner_id: c.owner_id,
      member_count: 1,
      message_count: 0,
      total_message_sent: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 60,
        archive_timestamp: new Date().toISOString(),
        locked: false,
        create_timestamp: new Date().toISOString(),
      },
    };
  }
  return { ...base, position: 0, permission_overwrites: [], parent_id: null, topic: null, nsfw: false };
}

export interface FakeGuild {
  id: string;
  name: string;
  channels: FakeChannel[];
}

export function apiGuild(g: FakeGuild, bot: FakeUser, threads: FakeChannel[]) {
  return {
    id: g.id,
    name: g.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: '100000000000000001',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: 'ko',
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    max_members: 500000,
    max_video_channel_users: 25,
    vanity_url_code: null,
    application_id: null,
    features: [],
    unavailable: false,
    large: false,
    member_count: 4,
    joined_at: '2024-01-01T00:00:00.000Z',
    roles: [
      {
        id: g.id,
        name: '@everyone',
        color: 0,
        colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
        hoist: false,
        icon: null,
        unicode_emoji: null,
        position: 0,
        permissions: '2248473465835073',
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    members: [apiMember(bot, 0n)],
    channels: g.channels.map(apiChannel),
    threads: threads.map(apiChannel),
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function apiMessage(fields: {
  id: string;
  channel_id: string;
  guild_id?: string | undefined;
  author: FakeUser;
  content?: string;
  embeds?: unknown[];
  components?: unknown[];
  flags?: number;
  interaction_token?: string;
}) {
  return {
    id: fields.id,
    channel_id: fields.channel_id,
    ...(fields.guild_id ? { guild_id: fields.guild_id } : {}),
    author: apiUser(fields.author),
    content: fields.content ?? '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: fields.embeds ?? [],
    components: fields.components ?? [],
    pinned: false,
    type: 0,
    flags: fields.flags ?? 0,
  };
}
