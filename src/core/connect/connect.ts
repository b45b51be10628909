/**
 * Connecting a bot, VS Code-free: the checks the extension's "Connect Bot
 * Token" and the CLI run before they keep or use a token.
 */
import type { APIUser } from 'discord-api-types/v10';
import { GuildVaultError } from '../errors';
import { compareSnowflakes, type DiscordClient } from '../discord';

/** A server the bot is in, as the front ends list it. */
export interface BotGuild {
  id: string;
  name: string;
  /** Icon hash; the CDN URL is `${cdn}/icons/${id}/${icon}.png`. */
  icon: string | null;
  owner: boolean;
  /** The bot's permissions in the guild as a decimal bitfield string. */
  permissions: string;
}

/**
 * Checks the token with GET /users/@me and returns the bot user. Rejects with
 * INVALID_TOKEN for a wrong token and for a user (non-bot) account's token.
 */
export async function verifyToken(client: DiscordClient, options: { signal?: AbortSignal } = {}): Promise<APIUser> {
  const user = await client.getCurrentUser(options);
  if (!user.bot) {
    throw new GuildVaultError(
      'INVALID_TOKEN',
      `The token belongs to the user account "${user.username}", not to a bot.`,
      'Use a bot token from the Discord Developer Portal (your application > Bot); automating user accounts breaks Discord\'s terms.',
    );
  }
  return user;
}

/** Every server the bot is in, sorted by name. */
export async function listBotGuilds(client: DiscordClient, options: { signal?: AbortSignal } = {}): Promise<BotGuild[]> {
  const guilds = await client.getCurrentUserGuilds(options);
  return guilds
    .map((guild) => ({ id: guild.id, name: guild.name, icon: guild.icon, owner: guild.owner, permissions: guild.permissions }))
    .sort((a, b) => a.name.localeCompare(b.name) || compareSnowflakes(a.id, b.id));
}
