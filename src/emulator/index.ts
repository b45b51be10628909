/**
 * A Discord HTTP API emulator with generated servers, on 127.0.0.1.
 *
 * ```ts
 * const emu = await startEmulator({ seed: 1, size: 'small', rateLimits: false });
 * const client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl });
 * ...
 * await emu.close();
 * ```
 *
 * Options
 * - `port`: default random. `seed`: default 1; same seed and size, same world (ids included).
 * - `size`: 'demo' (default: "Guild Vault Demo", about 3,000 messages in every channel type,
 *   plus a small "Guild Vault Sandbox"), 'small' (the demo layout with about 470 messages: tests),
 *   'large' (demo layout + 10 channels x 100,000 messages), or `{ channels, messagesPerChannel,
 *   members, bans }` for one plain guild (benchmarks: millions of messages are generated lazily).
 * - `guilds`: explicit GuildSpec list instead of `size` (see world/sizes.ts).
 * - `rateLimits`: true (default: Discord's per-route buckets and 50 requests/s global),
 *   false (headers still sent, never exhausted), or `{ globalPerSecond }`.
 * - `botPermissions`: the bot's managed-role permissions in every generated guild (bigint).
 * - `intents`: `{ messageContent, guildMembers }`, each true (default), 'limited' (on, shown as the
 *   _LIMITED application flag, as for a bot in fewer than 100 servers) or false. Without Message Content,
 *   `content`, `embeds`, `attachments`, `components` and `poll` come back empty, except in
 *   messages that mention the bot or that it wrote. Without Server Members, listing members is 403 50001.
 * - `attachmentUrlTtlSeconds`: lifetime of signed attachment URLs (default 86,400).
 * - `invalidRequests`: `{ limit, windowMs, banMs }` (default 10,000 per 10 minutes, blocked an hour) or
 *   false: after that many 401/403/429 answers every API request gets 429 "error code: 1015", as
 *   Cloudflare answers, without Discord's headers.
 *
 * The handle
 * - `url`, `apiBaseUrl` (`${url}/api`, DiscordClient's apiBaseUrl; routes live under /api/v10),
 *   `cdnBaseUrl` (`${url}/cdn`), `token` (a valid bot token: `Authorization: Bot <token>`),
 *   `guildIds` (the first is the demo server), `botUserId`.
 * - `world` (ground truth; see world/world.ts): `world.guild(id)` (roles, channels, threads,
 *   members, bans, emojis, stickers, webhooks, scheduledEvents, autoModRules, soundboardSounds as
 *   Maps of API objects; welcomeScreen, onboarding), `world.channel(id)`, `world.messageIds(channelId)` (lazy, oldest first),
 *   `world.messageCount(channelId)`, `world.messageStore(channelId).get(id)`,
 *   `world.readableChannelIds(guildId)`, `world.channelIdsWithMessages(guildId)`,
 *   `world.botPermissionsIn(channelId)`, `world.intents` (mutable), `world.attachmentUrlTtlSeconds`.
 *   To change a server behind the API's back (a test preparing a second backup): mutate those
 *   Maps and objects directly; `world.liveIds.next()` gives fresh snowflakes (newer than all
 *   generated history); a MessageStore takes `append(message)`, `replace(message)` (edits,
 *   reactions, pins; keep `pinnedAt`), `delete(id)`. Prefer Discord's own routes where one exists.
 * - `faults`: `rateLimit({ route, method, scope: 'user'|'global'|'shared', times, retryAfterSeconds })`,
 *   `serverError({ route, status: 500|502|503|504, times })`, `connectionReset({ route, times })`,
 *   `slow({ route, delayMs, times })`, `random({ rate, seed, route, kinds })` (a standing fault rate), `clear()`. `route` is a route template as in Discord's OpenAPI
 *   (`/channels/{channel_id}/messages`), for the CDN `cdn:/attachments/{channel_id}/{attachment_id}/{filename}`
 *   or `cdn:/avatars`, `cdn:/icons`, `cdn:/emojis`, `cdn:/stickers`..., or a RegExp.
 * - `requestLog`: array of `{ method, route, path, status, fault?, at }`; `requestLog.count({ method, route, status })`,
 *   `requestLog.clear()`.
 * - `rateLimits`: `setEnabled(bool)`, `setGlobalPerSecond(n)`, `reset()`.
 * - `invalidRequests`: `blockedFor()` (ms), `reset()`.
 * - `close()`.
 *
 * Routes: Discord's, under the same OpenAPI paths; besides the guild, channel, message and webhook
 * routes, `GET /users/@me`, `GET /users/@me/guilds` and `GET /applications/@me` (the bot's
 * application: `flags` carry GATEWAY_MESSAGE_CONTENT 1<<19 or GATEWAY_MESSAGE_CONTENT_LIMITED 1<<18,
 * and GATEWAY_GUILD_MEMBERS 1<<15 or GATEWAY_GUILD_MEMBERS_LIMITED 1<<14, following `world.intents`).
 *
 * Also: `apiRoutes()` lists every route served; `runEmulatorCli(options)` runs it until SIGINT/SIGTERM
 * (`guild-vault emulator`).
 */
import type { Server } from 'node:http';
import { Faults } from './http/faults';
import { DISCORD_INVALID_REQUESTS, InvalidRequestGuard, type InvalidRequestOptions } from './http/invalidRequests';
import { RateLimiter } from './http/rateLimiter';
import { RequestLog } from './http/requestLog';
import { Router } from './http/router';
import { listen } from './http/server';
import { registerRoutes } from './routes';
import { guildSpecsForSize, type CustomSize, type GuildSpec, type SizePreset } from './world/sizes';
import { World, type IntentSetting } from './world/world';

export type { GuildSpec, SizePreset, CustomSize } from './world/sizes';
export { DEMO_BOT_NAME, DEMO_GUILD_NAME, guildSpecsForSize } from './world/sizes';
export { World, type IntentSetting } from './world/world';
export type { FaultRule } from './http/faults';
export type { RequestLogEntry } from './http/requestLog';
export { DEFAULT_BOT_PERMISSIONS } from './world/generateGuild';
export { runEmulatorCli, type EmulatorCliOptions } from './cli';

export interface EmulatorOptions {
  port?: number;
  seed?: number;
  size?: SizePreset | CustomSize;
  guilds?: GuildSpec[];
  /** Discord's limits on (default), off, or with another global rate or per-channel webhook limit. */
  rateLimits?: boolean | { globalPerSecond?: number; webhookMessagesPerChannelPerMinute?: number };
  botPermissions?: bigint;
  intents?: { messageContent?: IntentSetting; guildMembers?: IntentSetting };
  attachmentUrlTtlSeconds?: number;
  /** Cloudflare's invalid-request block (default Discord's: 10,000 per 10 minutes, then blocked); false: off. */
  invalidRequests?: Partial<InvalidRequestOptions> | false;
  /** The bot user's name (default "Guild Vault"). */
  botName?: string;
}

export interface Emulator {
  readonly url: string;
  readonly apiBaseUrl: string;
  readonly cdnBaseUrl: string;
  readonly token: string;
  readonly botUserId: string;
  readonly guildIds: string[];
  readonly world: World;
  readonly faults: Faults;
  readonly requestLog: RequestLog;
  readonly rateLimits: { setEnabled(enabled: boolean): void; setGlobalPerSecond(perSecond: number): void; reset(): void };
  /** The Cloudflare-style block after too many invalid requests: `blockedFor()` ms left, `reset()`. */
  readonly invalidRequests: InvalidRequestGuard;
  close(): Promise<void>;
}

export const DISCORD_GLOBAL_PER_SECOND = 50;

/** Every API route the emulator serves (method and OpenAPI-style template). */
export function apiRoutes(): Array<{ method: string; template: string }> {
  const router = new Router();
  registerRoutes(router);
  return router.list();
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const specs = (options.guilds ?? guildSpecsForSize(options.size ?? 'demo')).map((spec) =>
    options.botPermissions !== undefined && spec.botPermissions === undefined ? { ...spec, botPermissions: options.botPermissions } : spec,
  );
  const world = new World({
    seed: options.seed ?? 1,
    guilds: specs,
    messageContent: options.intents?.messageContent ?? true,
    guildMembers: options.intents?.guildMembers ?? true,
    botName: options.botName,
  });
  if (options.attachmentUrlTtlSeconds !== undefined) world.attachmentUrlTtlSeconds = options.attachmentUrlTtlSeconds;
  const limits = options.rateLimits ?? true;
  const rateLimiter = new RateLimiter({
    enabled: limits !== false,
    globalPerSecond: (typeof limits === 'object' ? limits.globalPerSecond : undefined) ?? DISCORD_GLOBAL_PER_SECOND,
    webhookMessagesPerChannelPerMinute: typeof limits === 'object' ? limits.webhookMessagesPerChannelPerMinute : undefined,
  });
  const router = new Router();
  registerRoutes(router);
  const faults = new Faults();
  const requestLog = new RequestLog();
  const invalidRequests = new InvalidRequestGuard(options.invalidRequests === false ? false : { ...DISCORD_INVALID_REQUESTS, ...options.invalidRequests });
  const { server, port } = await listen({ world, router, rateLimiter, faults, requestLog, invalidRequests }, options.port ?? 0);
  const url = `http://127.0.0.1:${port}`;
  world.cdnBaseUrl = `${url}/cdn`;
  return {
    url,
    apiBaseUrl: `${url}/api`,
    cdnBaseUrl: `${url}/cdn`,
    token: world.token,
    botUserId: world.bot.id,
    guildIds: [...world.guilds.keys()],
    world,
    faults,
    requestLog,
    rateLimits: {
      setEnabled: (enabled) => (rateLimiter.options.enabled = enabled),
      setGlobalPerSecond: (perSecond) => {
        rateLimiter.options.globalPerSecond = perSecond;
        rateLimiter.reset();
      },
      reset: () => rateLimiter.reset(),
    },
    invalidRequests,
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
