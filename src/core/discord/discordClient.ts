import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { DiscordAPIError, HTTPError, REST, type RateLimitData, type RawFile } from '@discordjs/rest';
import type { APIBan, APIGuildMember, APIMessage, APIThreadChannel, APIUser, RESTAPIPartialCurrentUserGuild } from 'discord-api-types/v10';
import { cancelled, GuildVaultError } from '../errors';
import type { Job, JobCounters } from '../job';
import { childSignal, raceAbort } from './abort';
import { DiscordApiError, errorForNetwork, errorForResponse } from './discordApiError';
import { MediaUrlPolicy } from '../media/mediaUrlPolicy';
import { cleanBotToken } from './botToken';
import { downloadUrl, type Download } from './download';
import type { DiscordClientEmitter, DiscordClientEvents, RateLimitedEvent } from './events';
import * as pages from './pagination';
import { redactRoute } from './routes';
import { redactSecrets } from '../text';
import { DEFAULTS } from '../defaults';
import { GlobalPacer } from './globalPacer';
import { createTransport } from './transport';
import type { Exchanger } from './exchange';

export interface DiscordClientOptions {
  /** Bot token, without the "Bot " prefix. */
  token: string;
  /** Default DEFAULTS.apiBaseUrl (https://discord.com/api); requests go to `${apiBaseUrl}/v10${route}`. */
  apiBaseUrl?: string;
  /** Default DEFAULTS.cdnBaseUrl (https://cdn.discordapp.com). */
  cdnBaseUrl?: string;
  /** Discord's media proxy; default 'https://media.discordapp.net'. Downloads come only from Discord's media hosts (see MediaUrlPolicy). */
  mediaProxyBaseUrl?: string;
  /** Client-side global limit; Discord's is 50 per bot. */
  globalRequestsPerSecond?: number;
  /** GlobalPacer.sharedBudget(globalRequestsPerSecond): one global budget with this bot's clients in other threads (job workers). */
  sharedGlobalBudget?: SharedArrayBuffer;
  /** Retries of 5xx answers and dropped connections (default 3; a timeout only once). Never of 4xx, never a POST that may have arrived. */
  retries?: number;
  /** Per attempt: how long to wait for the whole answer (default 15 s). */
  timeoutMs?: number;
  /** First retry delay, doubling after (default 500 ms); also the first wait after a 429 that names none. */
  retryBackoffMs?: number;
  /** Longest one rate-limit wait lasts, whatever the server asks (default 60 s). */
  rateLimitWaitCapMs?: number;
  /** 429 answers in a row a request accepts before failing (default 10). */
  maxRateLimitWaits?: number;
  /** Who sends requests and reads the answers; default: this thread. A job worker passes its HttpThread's. */
  exchange?: Exchanger;
}

/** Discord's largest answers (1,000 members, 100 messages) are a few MB; a proxy's 2 GB page is refused. */
const MAX_JSON_BYTES = 32 * 1024 * 1024;

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  signal?: AbortSignal;
}

export interface WriteOptions extends RequestOptions {
  body?: unknown;
  /** Audit log reason. */
  reason?: string;
  /** Multipart uploads (webhook messages with attachments). */
  files?: RawFile[];
  /** With files: send the body's fields as form fields instead of one payload_json (Create Guild Sticker wants them so). */
  appendToFormData?: boolean;
  /** false: send no Authorization header (webhook execution needs none). */
  auth?: boolean;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type Route = `/${string}`;

/** Longest setTimeout Node accepts; the transport enforces the real per-attempt timeout. */
const NO_LIBRARY_TIMEOUT = 2 ** 31 - 1;

/**
 * Guild Vault's one door to Discord's HTTP API: @discordjs/rest for rate-limit
 * buckets and queues, plus cancellation, retries with backoff, typed errors
 * (always a DiscordApiError, or the CANCELLED GuildVaultError) and events a
 * progress display can show. The token never appears in errors or events.
 *
 * One client per bot is shared by all its jobs (they share Discord's rate
 * limits); `forJob(job)` gives a job its view of it, whose requests default to
 * the job's signal and whose events and counters are that job's alone.
 */
export class DiscordClient {
  readonly apiBaseUrl: string;
  readonly cdnBaseUrl: string;
  readonly #connection: ClientConnection;
  /** Set on a job's view: its requests are that job's. */
  readonly #job: Job | undefined;

  constructor(options: DiscordClientOptions);
  /** @internal forJob's view over an existing connection. */
  constructor(options: ClientConnection, job: Job);
  constructor(options: DiscordClientOptions | ClientConnection, job?: Job) {
    this.#connection = options instanceof ClientConnection ? options : new ClientConnection(options);
    this.#job = job;
    this.apiBaseUrl = this.#connection.apiBaseUrl;
    this.cdnBaseUrl = this.#connection.cdnBaseUrl;
  }

  /**
   * Requests, rate-limit waits and retries: of every job on the shared client;
   * of one job on its view (the same emitter as `job.events`).
   */
  get events(): DiscordClientEmitter {
    return this.#job?.events ?? this.#connection.events;
  }

  /**
   * This job's view of the client: the same connection, token, rate-limit
   * buckets and global budget, but requests made through it use the job's
   * signal unless given another, and count (job.counters) and report
   * (job.events) as that job's only, even when other jobs of the bot run at once.
   */
  forJob(job: Job): DiscordClient {
    return new DiscordClient(this.#connection, job);
  }

  /**
   * The events of every request all the bot's jobs make (they share its
   * global budget): each API request says how long it waited for that budget
   * (`pacedMs`), for work that sizes its concurrency to what the budget leaves
   * unused (the archive's channels).
   */
  get globalBudget(): { events: DiscordClientEmitter } {
    return { events: this.#connection.events };
  }

  get<T>(route: Route, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', route, options);
  }
  post<T>(route: Route, options: WriteOptions = {}): Promise<T> {
    return this.request<T>('POST', route, options);
  }
  patch<T>(route: Route, options: WriteOptions = {}): Promise<T> {
    return this.request<T>('PATCH', route, options);
  }
  put<T>(route: Route, options: WriteOptions = {}): Promise<T> {
    return this.request<T>('PUT', route, options);
  }
  delete<T>(route: Route, options: WriteOptions = {}): Promise<T> {
    return this.request<T>('DELETE', route, options);
  }

  /** Streams a CDN or attachment URL (absolute). The token is not sent. Other hosts than Discord's media hosts: MEDIA_REFUSED. */
  download(url: string, options: { signal?: AbortSignal } = {}): Promise<Download> {
    return this.#connection.inScope(this.#job, () => this.#connection.download(url, options.signal ?? this.#job?.signal));
  }

  /** GET /users/@me: the bot user; the way to check a token. */
  getCurrentUser(options: { signal?: AbortSignal } = {}): Promise<APIUser> {
    return this.get<APIUser>('/users/@me', options);
  }

  /** Every guild the bot is in (all pages of /users/@me/guilds). */
  async getCurrentUserGuilds(options: { signal?: AbortSignal } = {}): Promise<RESTAPIPartialCurrentUserGuild[]> {
    const all: RESTAPIPartialCurrentUserGuild[] = [];
    for await (const page of pages.currentUserGuilds(this, options)) all.push(...page);
    return all;
  }

  /** Pages of a channel's messages, newest first, walking back from `before` (or the newest) to the first message. */
  messagesBefore(channelId: string, before?: string, options: { signal?: AbortSignal; limit?: number } = {}): AsyncGenerator<APIMessage[]> {
    return pages.messagesBefore(this, channelId, before, options);
  }

  /** Pages of messages newer than `after`, each page newest first, pages in ascending order; ends at the newest. */
  messagesAfter(channelId: string, after: string, options: { signal?: AbortSignal; limit?: number } = {}): AsyncGenerator<APIMessage[]> {
    return pages.messagesAfter(this, channelId, after, options);
  }

  /** Pages of a channel's pinned messages, most recently pinned first. */
  pinnedMessages(channelId: string, options: { signal?: AbortSignal } = {}): AsyncGenerator<APIMessage[]> {
    return pages.pinnedMessages(this, channelId, options);
  }

  /** Pages of a guild's bans by ascending user id (needs BAN_MEMBERS). */
  bans(guildId: string, options: { signal?: AbortSignal } = {}): AsyncGenerator<APIBan[]> {
    return pages.bans(this, guildId, options);
  }

  /** Pages of a guild's members by ascending user id (needs the Server Members intent). */
  members(guildId: string, options: { signal?: AbortSignal } = {}): AsyncGenerator<APIGuildMember[]> {
    return pages.members(this, guildId, options);
  }

  /** Pages of a channel's archived threads, most recently archived first. 'private' needs MANAGE_THREADS. */
  archivedThreads(channelId: string, kind: pages.ArchivedThreadKind, options: { signal?: AbortSignal } = {}): AsyncGenerator<APIThreadChannel[]> {
    return pages.archivedThreads(this, channelId, kind, options);
  }

  /** Pages of the users who reacted with `emoji` ("name:id" or a unicode emoji), by ascending user id. */
  reactionUsers(channelId: string, messageId: string, emoji: string, options: { signal?: AbortSignal; type?: 0 | 1 } = {}): AsyncGenerator<APIUser[]> {
    return pages.reactionUsers(this, channelId, messageId, emoji, options);
  }

  /**
   * Stops the library's sweep timers (they hold the client in memory). Call it
   * when a client is dropped while the process lives on (a disconnected bot in
   * VS Code); requests made afterwards still work. A job's view leaves the shared client alone.
   */
  dispose(): void {
    if (!this.#job) this.#connection.dispose();
  }

  private request<T>(method: Method, route: Route, options: WriteOptions): Promise<T> {
    const signal = options.signal ?? this.#job?.signal;
    return this.#connection.inScope(this.#job, () => this.#connection.request<T>(method, route, { ...options, signal }));
  }
}

/**
 * What the views of one client share: the token, the REST library with its
 * rate-limit buckets, the global pacer, the "token rejected" state, and the
 * emitter of all events. Each request runs in the async scope of the job that
 * made it, so events raised deep inside the library and the transport reach
 * that job (and the shared emitter) and no other.
 */
export class ClientConnection {
  readonly events: DiscordClientEmitter;
  readonly apiBaseUrl: string;
  readonly cdnBaseUrl: string;
  /** Which URLs download() fetches. */
  private readonly mediaPolicy: MediaUrlPolicy;
  private readonly rest: REST;
  /** A true private field: never shown by util.inspect, JSON.stringify or a debugger's object preview. */
  readonly #token: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBackoffMs: number;
  /** The job whose request is running (undefined: a request of the shared client). */
  private readonly scope = new AsyncLocalStorage<Job | undefined>();
  /** Set by the first 401: later requests fail at once instead of piling up invalid requests (Discord bans IPs for those). */
  private rejected: DiscordApiError | undefined;

  constructor(options: DiscordClientOptions) {
    if (!options.token?.trim()) {
      throw new GuildVaultError('INVALID_TOKEN', 'No bot token was given.', 'Set the bot token (DISCORD_TOKEN for the CLI, "Connect Bot Token" in VS Code).');
    }
    this.#token = cleanBotToken(options.token);
    this.apiBaseUrl = (options.apiBaseUrl ?? DEFAULTS.apiBaseUrl).replace(/\/+$/, '');
    this.cdnBaseUrl = (options.cdnBaseUrl ?? DEFAULTS.cdnBaseUrl).replace(/\/+$/, '');
    this.mediaPolicy = new MediaUrlPolicy({ cdnBaseUrl: this.cdnBaseUrl, mediaProxyBaseUrl: options.mediaProxyBaseUrl ?? 'https://media.discordapp.net' });
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.retries = options.retries ?? 3;
    this.retryBackoffMs = options.retryBackoffMs ?? 500;
    this.events = new ScopedEmitter(() => this.scope.getStore());
    this.events.setMaxListeners(50);
    this.rest = new REST({
      api: this.apiBaseUrl,
      cdn: this.cdnBaseUrl,
      // The global limit is enforced by the transport's pacer; the library's
      // fixed-window counter would only let bursts through (see GlobalPacer).
      globalRequestsPerSecond: Number.MAX_SAFE_INTEGER,
      retries: 0,
      timeout: NO_LIBRARY_TIMEOUT,
      makeRequest: createTransport({
        apiBaseUrl: this.apiBaseUrl,
        retries: this.retries,
        timeoutMs: this.timeoutMs,
        retryBackoffMs: this.retryBackoffMs,
        events: this.events,
        pacer: new GlobalPacer(options.globalRequestsPerSecond ?? 50, options.sharedGlobalBudget),
        rateLimitWaitCapMs: options.rateLimitWaitCapMs ?? 60_000,
        maxRateLimitWaits: options.maxRateLimitWaits ?? 10,
        maxJsonBytes: MAX_JSON_BYTES,
        exchange: options.exchange,
      }),
      // Called for every rate-limit wait; used only to observe them (never rejects).
      rejectOnRateLimit: (data) => {
        this.onRateLimit(data);
        return false;
      },
    }).setToken(this.#token);
  }

  /** Runs `work` (and everything it starts) as a request of `job`. */
  inScope<T>(job: Job | undefined, work: () => T): T {
    return this.scope.run(job, work);
  }

  download(url: string, signal: AbortSignal | undefined): Promise<Download> {
    return downloadUrl(url, { signal, retries: this.retries, timeoutMs: this.timeoutMs, retryBackoffMs: this.retryBackoffMs, events: this.events, policy: this.mediaPolicy });
  }

  dispose(): void {
    this.rest.clearHashSweeper();
    this.rest.clearHandlerSweeper();
    this.events.removeAllListeners();
  }

  async request<T>(method: Method, route: Route, options: WriteOptions): Promise<T> {
    if (this.rejected) throw this.rejected;
    const { signal, release } = childSignal(options.signal);
    try {
      const work = this.rest.request({
        fullRoute: route,
        method: method as never,
        query: toSearchParams(options.query),
        body: options.body,
        files: options.files,
        appendToFormData: options.appendToFormData,
        reason: options.reason,
        auth: options.auth,
        signal,
      });
      return (await raceAbort(work, options.signal)) as T;
    } catch (error) {
      throw this.translate(error, method, route, options.signal);
    } finally {
      release();
    }
  }
  /** Any failure from the library as the error users see; never leaks the token. */
  private translate(error: unknown, method: Method, route: string, signal: AbortSignal | undefined): GuildVaultError {
    const safeRoute = redactRoute(route);
    if (error instanceof GuildVaultError) return this.remember(error);
    if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) {
      return cancelled();
    }
    if (error instanceof DiscordAPIError) {
      const raw = error.rawError as { code?: number; message?: string };
      return this.remember(errorForResponse(error.status, safeRoute, { code: typeof raw?.code === 'number' ? raw.code : undefined, message: this.scrub(raw?.message) }, method));
    }
    if (error instanceof HTTPError) return errorForResponse(error.status, safeRoute, undefined, method);
    const message = this.scrub(error instanceof Error ? error.message : String(error));
    return errorForNetwork(this.apiBaseUrl, safeRoute, message ?? 'unknown error');
  }

  private remember(error: GuildVaultError): GuildVaultError {
    if (error instanceof DiscordApiError && error.code === 'INVALID_TOKEN') this.rejected = error;
    return error;
  }

  private scrub(text: string | undefined): string | undefined {
    return text === undefined ? undefined : redactSecrets(text, [this.#token]);
  }

  private onRateLimit(data: RateLimitData): void {
    // The library reports a 429 twice when it then waits in its bucket loop:
    // once from the 429 branch (no wait of its own unless sublimited) and once
    // from the loop (retryAfter === timeToReset). Report each real wait once.
    const waitMs = data.sublimitTimeout > 0 ? data.sublimitTimeout : data.retryAfter === data.timeToReset ? data.timeToReset : 0;
    if (waitMs <= 0) return;
    this.events.emit('rateLimited', {
      route: data.route,
      method: data.method.toUpperCase(),
      waitMs,
      global: data.global,
      scope: data.global ? 'global' : data.scope,
    });
  }
}

function toSearchParams(query: Query | undefined): URLSearchParams | undefined {
  if (!query) return undefined;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.append(key, String(value));
  return params;
}

/**
 * The shared client's emitter: every event reaches its own listeners and, when
 * it happens during a job's request, that job's emitter and counters too.
 */
class ScopedEmitter extends EventEmitter<DiscordClientEvents> {
  constructor(private readonly currentJob: () => Job | undefined) {
    super();
  }

  override emit<K extends keyof DiscordClientEvents>(name: K, ...args: DiscordClientEvents[K]): boolean {
    const job = this.currentJob();
    if (job) {
      countEvent(job.counters, name, args[0]);
      (job.events.emit as (name: K, ...args: DiscordClientEvents[K]) => boolean)(name, ...args);
    }
    return (super.emit as (name: K, ...args: DiscordClientEvents[K]) => boolean)(name, ...args);
  }
}

function countEvent(counters: JobCounters, name: keyof DiscordClientEvents, event: DiscordClientEvents[keyof DiscordClientEvents][0]): void {
  if (name === 'request') counters.requests++;
  else if (name === 'retry') counters.retries++;
  else if (name === 'rateLimited') {
    counters.rateLimitWaits++;
    counters.rateLimitWaitMs += (event as RateLimitedEvent).waitMs;
  }
}
