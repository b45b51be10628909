/**
 * The emulated Discord: the bot, its guilds and everything in them. It is also
 * the ground truth tests ask questions of (which messages exist in a channel,
 * which channels the bot can read...). Routes read and write it.
 */
import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { SnowflakeSequence, snowflakeAt } from '../ids/snowflake';
import type { FileSpec } from '../cdn/files';
import type { ChannelRecord, GuildState, UserRecord } from './model';
import { MessageStore } from './messageStore';
import { channelPermissions, has, isThread } from './permissions';
import type { GuildSpec } from './sizes';
import { generateGuild } from './generateGuild';
import { Rng } from './random';

export interface WorldOptions {
  seed: number;
  guilds: GuildSpec[];
  /** Message Content privileged intent (default true). */
  messageContent: IntentSetting;
  /** Server Members privileged intent (default true): without it, listing members is 403 50001. */
  guildMembers: IntentSetting;
  /** The bot user's name (default "Guild Vault"). */
  botName?: string;
}

/**
 * A privileged intent: off, on, or on as the _LIMITED flag (how Discord marks an
 * intent turned on in the Developer Portal for a bot in fewer than 100 servers).
 * Both true and 'limited' deliver the data.
 */
export type IntentSetting = boolean | 'limited';

/** Generated history ends here: fixed, so worlds are the same whenever they are made, and posts made now are newer. */
export const HISTORY_END_MS = Date.UTC(2025, 5, 1);

export class World {
  readonly seed: number;
  readonly bot: UserRecord;
  readonly token: string;
  readonly applicationId: string;
  readonly guilds = new Map<string, GuildState>();
  readonly users = new Map<string, UserRecord>();
  readonly intents: { messageContent: IntentSetting; guildMembers: IntentSetting };
  /** Structural ids of generated objects (deterministic, in the past). */
  readonly generatedIds: SnowflakeSequence;
  /** Ids of objects created through the API (now). */
  readonly liveIds = new SnowflakeSequence(2);
  /** Set once the server listens: attachment and CDN URLs point here. */
  cdnBaseUrl = 'http://127.0.0.1/cdn';
  /** How long signed attachment URLs stay valid (Discord: about 24 hours). Tests shorten it. */
  attachmentUrlTtlSeconds = 86_400;
  /**
   * Secret for attachment URL signatures (`hm`). A KeyObject: HMAC with a raw
   * Buffer key copies and wraps it on every call, 7 times slower, and a page of
   * 100 messages signs every attachment it shows.
   */
  readonly signingKey: KeyObject;
  /** Files of uploaded or otherwise non-generated objects, by CDN path. */
  readonly uploadedFiles = new Map<string, { bytes: Buffer; contentType: string }>();
  /** Generated files by CDN path without extension (`avatars/{id}/{hash}`, `emojis/{id}`...); attachments are found through their message. */
  readonly assetFiles = new Map<string, FileSpec>();
  private readonly channelIndex = new Map<string, GuildState>();
  private storeOrdinal = 0;

  constructor(options: WorldOptions) {
    this.seed = options.seed;
    this.intents = { messageContent: options.messageContent, guildMembers: options.guildMembers };
    this.generatedIds = new SnowflakeSequence(31);
    const rng = new Rng(this.seed, 'bot');
    this.applicationId = snowflakeAt(Date.UTC(2023, 2, 14, 9, 30), (31 << 17) | 1);
    this.bot = {
      id: this.applicationId,
      username: options.botName ?? 'Guild Vault',
      global_name: null,
      discriminator: '4821',
      avatar: rng.hex(32),
      bot: true,
      public_flags: 0,
      flags: 0,
      banner: null,
      accent_color: null,
      avatar_decoration_data: null,
      primary_guild: null,
    } as unknown as UserRecord;
    this.addUser(this.bot);
    this.token = makeToken(this.bot.id, rng);
    this.signingKey = createSecretKey(createHash('sha256').update(`guild-vault-emulator:${this.seed}`).digest());
    options.guilds.forEach((spec, i) => {
      const guild = generateGuild(this, spec, i);
      this.guilds.set(guild.guild.id, guild);
      for (const id of guild.channels.keys()) this.channelIndex.set(id, guild);
      for (const id of guild.threads.keys()) this.channelIndex.set(id, guild);
    });
  }

  // ---- registry (used by the generator and the write routes) ----

  addUser(user: UserRecord): void {
    this.users.set(user.id, user);
  }

  nextStoreOrdinal(): number {
    return this.storeOrdinal++;
  }

  registerChannel(guild: GuildState, channel: ChannelRecord): void {
    (isThread(channel) ? guild.threads : guild.channels).set(channel.id, channel);
    this.channelIndex.set(channel.id, guild);
  }

  unregisterChannel(channelId: string): void {
    const guild = this.channelIndex.get(channelId);
    if (!guild) return;
    guild.channels.delete(channelId);
    guild.threads.delete(channelId);
    this.channelIndex.delete(channelId);
  }

  /** The channel's message store, created empty for channels made through the API. */
  ensureMessageStore(guild: GuildState, channelId: string): MessageStore {
    let store = guild.messageStores.get(channelId);
    if (!store) {
      store = new MessageStore(
        { channelId, guildId: guild.guild.id, ordinal: this.nextStoreOrdinal(), count: 0, startMs: HISTORY_END_MS, stepMs: 1, seedKey: `${this.seed}:${channelId}` },
        () => {
          throw new Error('no generated messages in a channel made through the API');
        },
      );
      guild.messageStores.set(channelId, store);
    }
    return store;
  }

  // ---- lookups ----

  guild(guildId: string): GuildState | undefined {
    return this.guilds.get(guildId);
  }

  /** The guild channel or thread with this id, and its guild. */
  channel(channelId: string): { guild: GuildState; channel: ChannelRecord } | undefined {
    const guild = this.channelIndex.get(channelId);
    const channel = guild?.channels.get(channelId) ?? guild?.threads.get(channelId);
    return guild && channel ? { guild, channel } : undefined;
  }

  messageStore(channelId: string): MessageStore | undefined {
    return this.channelIndex.get(channelId)?.messageStores.get(channelId);
  }

  // ---- ground truth for tests ----

  /** Ids of the messages that exist in a channel or thread, oldest first, generated lazily. */
  *messageIds(channelId: string): Generator<string> {
    const store = this.messageStore(channelId);
    if (store) yield* store.ids();
  }

  /** How many messages exist in a channel or thread now. */
  messageCount(channelId: string): number {
    return this.messageStore(channelId)?.liveCount ?? 0;
  }

  /** The bot's computed permissions in a channel (bigint bit set). */
  botPermissionsIn(channelId: string): bigint {
    const found = this.channel(channelId);
    return found ? channelPermissions(found.guild, this.bot.id, found.channel) : 0n;
  }

  /** Channels and threads whose history the bot can read (VIEW_CHANNEL + READ_MESSAGE_HISTORY), with messages. */
  readableChannelIds(guildId: string): string[] {
    const guild = this.guilds.get(guildId);
    if (!guild) return [];
    return [...guild.messageStores.keys()].filter((id) => {
      const p = this.botPermissionsIn(id);
      if (!has(p, PermissionFlagsBits.ViewChannel) || !has(p, PermissionFlagsBits.ReadMessageHistory)) return false;
      const found = this.channel(id);
      // Private threads the bot is not in need MANAGE_THREADS to be seen at all.
      if (found?.channel.type === 12 && !guild.joinedThreadIds.has(id) && !has(p, PermissionFlagsBits.ManageThreads)) return false;
      return true;
    });
  }

  /** Every channel and thread id of a guild that has a message history (readable or not). */
  channelIdsWithMessages(guildId: string): string[] {
    return [...(this.guilds.get(guildId)?.messageStores.keys() ?? [])];
  }
}

function makeToken(botId: string, rng: Rng): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64url');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let hmac = '';
  for (let i = 0; i < 38; i++) hmac += alphabet[rng.int(0, alphabet.length - 1)];
  return `${b64(botId)}.${b64(rng.hex(4)).slice(0, 6)}.${hmac}`;
}
