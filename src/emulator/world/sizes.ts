/** What to generate: size presets and per-guild specs. */

export interface GuildSpec {
  name?: string;
  /**
   * 'showcase': every channel type, threads, forum and media posts, hidden channels,
   * roles, emojis, stickers, webhooks, events (the demo server). 'plain': text channels only.
   */
  layout?: 'showcase' | 'plain';
  /** Multiplies the showcase's message counts (1: a few thousand messages). */
  messageScale?: number;
  /** Plain text channels added to the guild (a 'bulk' category), each with `messagesPerChannel`. */
  textChannels?: number;
  messagesPerChannel?: number;
  /** Members besides the owner and the bots. */
  members?: number;
  bans?: number;
  /** Permissions of the bot's managed role in this guild (default: what backup and restore need). */
  botPermissions?: bigint;
  /** The bot owns the guild (a restore or migration target it created): no hierarchy limits. */
  botOwnsGuild?: boolean;
}

export type SizePreset = 'demo' | 'small' | 'large';

/** Custom size: one plain guild with `channels` text channels of `messagesPerChannel` messages. */
export interface CustomSize {
  channels?: number;
  messagesPerChannel?: number;
  members?: number;
  bans?: number;
}

export const DEMO_GUILD_NAME = 'Guild Vault Demo';
/** The demo's bot (Try the Demo Server, `guild-vault demo`): a name of its own, not the extension's. */
export const DEMO_BOT_NAME = 'Demo Bot';

export function guildSpecsForSize(size: SizePreset | CustomSize): GuildSpec[] {
  if (size === 'demo')
    return [
      { name: DEMO_GUILD_NAME, layout: 'showcase', messageScale: 1, members: 48, bans: 12 },
      { name: 'Guild Vault Sandbox', layout: 'plain', textChannels: 2, messagesPerChannel: 40, members: 6, bans: 0 },
    ];
  if (size === 'small') return [{ name: DEMO_GUILD_NAME, layout: 'showcase', messageScale: 0.1, members: 16, bans: 5 }];
  if (size === 'large')
    return [{ name: DEMO_GUILD_NAME, layout: 'showcase', messageScale: 1, members: 300, bans: 1500, textChannels: 10, messagesPerChannel: 100_000 }];
  return [
    {
      name: 'Benchmark Server',
      layout: 'plain',
      textChannels: size.channels ?? 1,
      messagesPerChannel: size.messagesPerChannel ?? 1000,
      members: size.members ?? 50,
      bans: size.bans ?? 0,
    },
  ];
}
