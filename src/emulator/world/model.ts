/**
 * The emulated servers' state. Structure (guilds, roles, channels, members...)
 * is held as Discord API objects that writes change in place; messages are
 * generated lazily per channel by a MessageStore (see messageStore.ts).
 */
import type {
  APIAutoModerationRule,
  APIBan,
  APIEmoji,
  APIGuildMember,
  APIGuildScheduledEvent,
  APIRole,
  APISticker,
  APIUser,
  APIWebhook,
  APIOverwrite,
  APIGuildForumTag,
} from 'discord-api-types/v10';
import type { MessageStore } from './messageStore';

/** A user as the emulator keeps it (an API user). */
export type UserRecord = APIUser & { global_name: string | null; public_flags: number; flags: number };

/** The author object of a message a webhook posted: Discord shows the webhook as a bot user named for the post. */
export function webhookAuthor(id: string, username: string | null, avatar: string | null): UserRecord {
  return { id, username, avatar, discriminator: '0000', bot: true, global_name: null, public_flags: 0, flags: 0, primary_guild: null } as unknown as UserRecord;
}

/** The guild's own fields (roles, emojis and stickers live in their own maps). */
export interface GuildFields {
  id: string;
  name: string;
  icon: string | null;
  banner: string | null;
  splash: string | null;
  discovery_splash: string | null;
  description: string | null;
  owner_id: string;
  afk_channel_id: string | null;
  afk_timeout: number;
  system_channel_id: string | null;
  system_channel_flags: number;
  rules_channel_id: string | null;
  public_updates_channel_id: string | null;
  safety_alerts_channel_id: string | null;
  verification_level: number;
  default_message_notifications: number;
  explicit_content_filter: number;
  mfa_level: number;
  nsfw_level: number;
  premium_tier: number;
  premium_subscription_count: number;
  premium_progress_bar_enabled: boolean;
  preferred_locale: string;
  features: string[];
  vanity_url_code: string | null;
  widget_enabled: boolean;
  widget_channel_id: string | null;
}

/** Any guild channel or thread, as Discord returns it (fields vary by type). */
export interface ChannelRecord {
  id: string;
  type: number;
  guild_id: string;
  name: string;
  position?: number;
  parent_id: string | null;
  flags: number;
  permission_overwrites?: APIOverwrite[];
  topic?: string | null;
  nsfw?: boolean;
  rate_limit_per_user?: number;
  last_message_id?: string | null;
  last_pin_timestamp?: string | null;
  bitrate?: number;
  user_limit?: number;
  rtc_region?: string | null;
  default_auto_archive_duration?: number;
  default_thread_rate_limit_per_user?: number;
  available_tags?: APIGuildForumTag[];
  default_reaction_emoji?: { emoji_id: string | null; emoji_name: string | null } | null;
  default_sort_order?: number | null;
  default_forum_layout?: number;
  // threads only
  owner_id?: string;
  thread_metadata?: {
    archived: boolean;
    auto_archive_duration: number;
    archive_timestamp: string;
    locked: boolean;
    invitable?: boolean;
    create_timestamp?: string;
  };
  message_count?: number;
  member_count?: number;
  total_message_sent?: number;
  applied_tags?: string[];
}

export interface BanRecord extends APIBan {
  user: UserRecord;
}

export interface WebhookRecord extends APIWebhook {
  token: string;
}

export interface GuildState {
  guild: GuildFields;
  roles: Map<string, APIRole>;
  /** Guild channels (categories included), not threads. */
  channels: Map<string, ChannelRecord>;
  threads: Map<string, ChannelRecord>;
  /** Keyed by user id. */
  members: Map<string, APIGuildMember & { user: UserRecord }>;
  /** Keyed by user id. */
  bans: Map<string, BanRecord>;
  emojis: Map<string, APIEmoji>;
  stickers: Map<string, APISticker>;
  webhooks: Map<string, WebhookRecord>;
  scheduledEvents: Map<string, APIGuildScheduledEvent>;
  autoModRules: Map<string, APIAutoModerationRule>;
  welcomeScreen: WelcomeScreen;
  onboarding: Onboarding;
  /** Keyed by sound id. */
  soundboardSounds: Map<string, SoundboardSound>;
  /** Private threads the bot has joined (for /users/@me/threads/archived/private). */
  joinedThreadIds: Set<string>;
  /** Users who posted but are not members any more (deleted accounts, leavers). */
  formerUsers: UserRecord[];
  /** Webhook-style authors used by generated messages. */
  messageStores: Map<string, MessageStore>;
}

export interface WelcomeScreen {
  description: string | null;
  welcome_channels: Array<{ channel_id: string; description: string; emoji_id: string | null; emoji_name: string | null }>;
}

export interface Onboarding {
  guild_id: string;
  prompts: Array<{
    id: string;
    title: string;
    options: Array<{ id: string; title: string; description: string; emoji: { id: string | null; name: string | null; animated: boolean }; role_ids: string[]; channel_ids: string[] }>;
    single_select: boolean;
    required: boolean;
    in_onboarding: boolean;
    type: number;
  }>;
  default_channel_ids: string[];
  enabled: boolean;
  mode: number;
}

export interface SoundboardSound {
  name: string;
  sound_id: string;
  volume: number;
  emoji_id: string | null;
  emoji_name: string | null;
  guild_id: string;
  available: boolean;
  user?: UserRecord;
}
