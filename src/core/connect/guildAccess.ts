import type { APIGuild } from 'discord-api-types/v10';
import type { DiscordClient } from '../discord';

/**
 * Asks Discord for the server before anything is written for it: a wrong
 * token (INVALID_TOKEN), a server the bot is not in (MISSING_ACCESS) or an
 * unreachable API fails here, so no empty vault is left behind for it.
 */
export function checkGuildAccess(client: DiscordClient, guildId: string, options: { signal?: AbortSignal } = {}): Promise<APIGuild> {
  return client.get<APIGuild>(`/guilds/${guildId}`, { signal: options.signal });
}
