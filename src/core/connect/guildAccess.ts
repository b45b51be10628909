import type { APIGuild } from 'discord-api-types/v10';
import type { DiscordClient } from '../discord';
import { verifyToken } from './connect';

/**
 * Asks Discord for the server before anything is written for it: a wrong
 * token (INVALID_TOKEN), a server the bot is not in (MISSING_ACCESS) or an
 * unreachable API fails here, so no empty vault is left behind for it. So
 * does an API that does not answer like Discord.
 */
export async function checkGuildAccess(client: DiscordClient, guildId: string, options: { signal?: AbortSignal } = {}): Promise<APIGuild> {
  const guild = await client.get<APIGuild>(`/guilds/${guildId}`, { signal: options.signal });
  // The bot user too (every job needs it): an API that answers the server but
  // not who the bot is fails here, before a vault exists, not halfway through.
  await verifyToken(client, options);
  return guild;
}
