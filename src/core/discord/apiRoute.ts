import { GuildVaultError } from '../errors';
import type { Route } from './discordClient';
import { isSnowflake } from './snowflake';

/**
 * Builds an API route from ids that come from a snapshot, a vault or Discord:
 * every interpolated value must be a snowflake, or no route is built. A value
 * like `../members/1/roles/2` would otherwise be resolved by URL rules into a
 * different endpoint than the one the plan promised.
 *
 *     apiRoute`/guilds/${guildId}/bans/${userId}`
 */
export function apiRoute(parts: TemplateStringsArray, ...ids: unknown[]): Route {
  let route = parts[0]!;
  ids.forEach((id, i) => {
    if (!isSnowflake(id)) {
      const shown = JSON.stringify(String(id)).slice(0, 60);
      throw new GuildVaultError('INVALID_ARGUMENT', `Refused to send a request: ${shown} is not a Discord id.`, 'The snapshot or vault holds a malformed id; no request was sent for it.');
    }
    route += id + parts[i + 1]!;
  });
  return route as Route;
}
