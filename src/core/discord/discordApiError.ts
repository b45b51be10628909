import { GuildVaultError, type ErrorCode } from '../errors';
import { formatDuration, plural, redactSecrets } from '../text';
import { describeRoute } from './routes';

/** The codes a Discord request can fail with (a subset of ErrorCode). */
export type DiscordErrorCode = Extract<
  ErrorCode,
  | 'INVALID_TOKEN'
  | 'MISSING_ACCESS'
  | 'MISSING_PERMISSION'
  | 'UNKNOWN_RESOURCE'
  | 'RATE_LIMITED'
  | 'BAD_REQUEST'
  | 'API_UNREACHABLE'
  | 'API_ERROR'
  | 'API_NOT_DISCORD'
  | 'CANCELLED'
>;

/**
 * A failed Discord request. `status` is the HTTP status (0 when no response
 * came back), `discordCode` Discord's JSON error code when it sent one, and
 * `route` the path that failed (webhook tokens redacted, no query string).
 * Its message never carries anything token-shaped: it may quote what Discord
 * (or whatever answers at the API address) said.
 */
export class DiscordApiError extends GuildVaultError {
  constructor(
    code: DiscordErrorCode,
    message: string,
    hint: string,
    readonly status: number,
    readonly route: string,
    readonly discordCode?: number,
    options?: { cause?: unknown },
  ) {
    super(code, redactSecrets(message), hint, options);
  }
}

export function isDiscordApiError(error: unknown, code?: DiscordErrorCode): error is DiscordApiError {
  return error instanceof DiscordApiError && (code === undefined || error.code === code);
}

const PERMISSIONS_HINT =
  "Give the bot's role the permission in Server Settings > Roles (or on the channel), then run it again. The README's \"Bot\" section lists what Guild Vault needs.";

/** Maps an HTTP error response (status + Discord's JSON body) to the error users see. */
export function errorForResponse(status: number, route: string, body: { code?: number; message?: string } | undefined, method = 'GET'): DiscordApiError {
  const discordCode = typeof body?.code === 'number' ? body.code : undefined;
  const what = describeRoute(route);
  const verb = method === 'GET' ? 'read' : 'change';
  const said = body?.message ? ` Discord said: "${body.message}".` : '';
  if (status === 401) {
    return new DiscordApiError(
      'INVALID_TOKEN',
      'Discord rejected the bot token (401 Unauthorized).',
      'Copy a fresh token from the Discord Developer Portal (your application > Bot > Reset Token) and connect again.',
      status,
      route,
      discordCode,
    );
  }
  if (status === 403 && discordCode === 50013) {
    return new DiscordApiError('MISSING_PERMISSION', `The bot lacks a permission needed to ${verb} ${what} (403, code 50013).${said}`, PERMISSIONS_HINT, status, route, discordCode);
  }
  if (status === 403) {
    return new DiscordApiError(
      'MISSING_ACCESS',
      `The bot has no access to ${what} (403${discordCode ? `, code ${discordCode}` : ''}).${said}`,
      'Invite the bot to that server (OAuth2 URL with the "bot" scope) and let it view the channel; check the id if you typed it.',
      status,
      route,
      discordCode,
    );
  }
  if (discordCode === 10004) {
    // Discord answers "Unknown Guild" alike for a server that does not exist and
    // one the bot is not in: for the user it is an access problem either way.
    const guildId = /^\/guilds\/(\d+)/.exec(route)?.[1];
    return new DiscordApiError(
      'MISSING_ACCESS',
      `The bot is not in ${guildId ? `server ${guildId}` : 'this server'}, or there is no such server (Discord: Unknown Guild, 10004).`,
      'Check the server id ("guild-vault servers" and the Servers view list the bot\'s servers); to back up another server, invite the bot to it first.',
      status,
      route,
      discordCode,
    );
  }
  if (status === 404 || (discordCode !== undefined && discordCode >= 10001 && discordCode < 11000)) {
    return new DiscordApiError(
      'UNKNOWN_RESOURCE',
      `Discord does not know ${what} (${status}${discordCode ? `, code ${discordCode}` : ''}).${said}`,
      'Check the id; the server, channel or message may have been deleted, or the bot removed from the server.',
      status,
      route,
      discordCode,
    );
  }
  if (status === 429) {
    return new DiscordApiError(
      'RATE_LIMITED',
      `Discord refused the request to ${what} as rate limited (429) without saying when to retry.${said}`,
      'Too many requests from this IP or bot: wait several minutes before trying again, and do not run several backups with the same bot at once.',
      status,
      route,
      discordCode,
    );
  }
  if (status === 400 || discordCode === 50035) {
    return new DiscordApiError('BAD_REQUEST', `Discord rejected the request to ${what} as invalid (${status}).${said}`, 'This is likely a bug in Guild Vault; please report it with the log.', status, route, discordCode);
  }
  return new DiscordApiError(
    'API_ERROR',
    `Discord answered ${status} for ${what}.${said}`,
    status >= 500 ? 'Discord is having trouble; try again in a few minutes.' : 'Try again; if it keeps happening, report it with the log.',
    status,
    route,
    discordCode,
  );
}

/**
 * A 429 that is not Discord's (no X-RateLimit-Scope): Cloudflare in front of
 * Discord blocks an IP for about an hour after 10,000 invalid requests
 * (401/403/429) in 10 minutes. Waiting it out inside a job would look like a
 * hang, and every retry extends the trouble: stop and say so.
 */
export function errorForBlock(route: string, retryAfterSeconds: number | undefined): DiscordApiError {
  const lasting = retryAfterSeconds && retryAfterSeconds > 0 ? ` for about ${plural(Math.max(1, Math.round(retryAfterSeconds / 60)), 'minute')}` : '';
  return new DiscordApiError(
    'RATE_LIMITED',
    `Discord's edge (Cloudflare) refuses requests from this IP${lasting}: too many invalid requests (401, 403, 429) in a short time.`,
    'Wait until the block lifts, and first fix what caused the refused requests (a wrong token, a missing permission, several backups at once with one bot).',
    429,
    route,
  );
}

/** Why no response came back: connection refused, DNS, reset, timeout. */
export function errorForNetwork(apiBaseUrl: string, route: string, reason: string, cause?: unknown): DiscordApiError {
  return new DiscordApiError(
    'API_UNREACHABLE',
    `Cannot reach the Discord API at ${apiBaseUrl} (${reason}).`,
    'Check the network connection and any proxy; if you set an API base URL (--api or the guildVault.apiBaseUrl setting), check that it is right and that the server is running.',
    0,
    route,
    undefined,
    { cause },
  );
}

/**
 * The server at the API address answered, but not as Discord does: an HTML
 * page, invalid JSON, `null` or an array where an object belongs, a body of
 * gigabytes. A wrong --api address, a captive portal or a broken proxy.
 */
export function errorForNotDiscord(apiBaseUrl: string, route: string, what: string): DiscordApiError {
  return new DiscordApiError(
    'API_NOT_DISCORD',
    `The API at ${apiBaseUrl} did not answer like Discord (${describeRoute(route)}: ${what}).`,
    'Check the API base URL (--api or the guildVault.apiBaseUrl setting; the default is https://discord.com/api) and any proxy in between. Nothing was written.',
    0,
    route,
  );
}

/**
 * A list whose pages do not page like Discord's: the same page again, an id
 * outside the range asked for. Following it would loop forever or skip
 * history, so the walk stops here; pages stored before stay, and the next run
 * resumes from the last good one.
 */
export function errorForBadPage(apiBaseUrl: string, route: string, what: string): DiscordApiError {
  return new DiscordApiError(
    'API_NOT_DISCORD',
    `The API at ${apiBaseUrl} did not answer like Discord (${describeRoute(route)}: ${what}).`,
    'Check the API base URL and any proxy in between. What was stored before is kept, and this list is read again from there next time.',
    0,
    route,
  );
}

/** A request that got 429 after 429 however long it waited: stop instead of trying forever. */
export function errorForEndlessRateLimit(apiBaseUrl: string, route: string, method: string, waits: number, waitedMs: number): DiscordApiError {
  return new DiscordApiError(
    'RATE_LIMITED',
    `The API at ${apiBaseUrl} kept refusing ${method} ${describeRoute(route)} as rate limited: ${plural(waits, 'wait')} in a row (${formatDuration(waitedMs)} in all), still 429.`,
    'Wait a while before trying again, and do not run several backups with the same bot at once; everything done so far is kept.',
    429,
    route,
  );
}
