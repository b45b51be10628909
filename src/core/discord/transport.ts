import { Readable } from 'node:stream';
import type { ResponseLike } from '@discordjs/rest';
import { abortError, sleep } from './abort';
import { errorForBlock, errorForEndlessRateLimit, errorForNetwork, errorForNotDiscord } from './discordApiError';
import type { DiscordClientEmitter } from './events';
import { inlineExchange, type AnswerHead, type Exchange, type Exchanger, type MakeRequest } from './exchange';
import type { GlobalPacer } from './globalPacer';
import { TooLarge } from './readCapped';
import { expectedShape, shapeProblem } from './responseShapes';
import { routeOfUrl } from './routes';

export interface TransportOptions {
  apiBaseUrl: string;
  retries: number;
  timeoutMs: number;
  /** First retry waits this long, then it doubles (capped at 8 s). */
  retryBackoffMs: number;
  events: DiscordClientEmitter;
  /** Spaces every attempt (retries too) to the global limit. */
  pacer: GlobalPacer;
  /** Longest one rate-limit wait lasts, whatever Retry-After says. */
  rateLimitWaitCapMs: number;
  /** 429 answers in a row one request accepts before it fails. */
  maxRateLimitWaits: number;
  /** Largest answer read (Discord's largest pages are a few MB). */
  maxJsonBytes: number;
  /** Who sends a request and reads its answer; default: this thread, through the library's undici. */
  exchange?: Exchanger;
}

/** Connection errors: the server is not there; retrying only makes the user wait. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'ECONNABORTED']);

/**
 * The `makeRequest` handed to @discordjs/rest. The library itself is told not
 * to retry (retries: 0): its retries fire immediately, never retry a dropped
 * connection from undici (only messages containing "ECONNRESET"), and emit no
 * event. Here each attempt gets its own timeout, transient failures are
 * retried with exponential backoff and announced, and every attempt is
 * reported as a 'request' event. Sends are paced to the global limit
 * (GlobalPacer); per-route rate-limit buckets stay with the library.
 */
export function createTransport(options: TransportOptions): MakeRequest {
  const exchange = options.exchange ?? inlineExchange;
  return async (url, init): Promise<ResponseLike> => {
    const method = (init.method ?? 'GET').toUpperCase();
    const route = routeOfUrl(url, options.apiBaseUrl);
    const outer = init.signal as AbortSignal | undefined;
    let reason = '';
    let timeouts = 0;
    let rateLimitWaits = 0;
    let rateLimitWaited = 0;
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1 && reason) {
        const delayMs = Math.min(options.retryBackoffMs * 2 ** (attempt - 2), 8000);
        options.events.emit('retry', { route, method, attempt, reason, delayMs });
        await sleep(delayMs, outer).catch(() => {
          throw abortError();
        });
      }
      const pacedMs = options.pacer.reserve();
      if (pacedMs > 0) {
        await sleep(pacedMs, outer).catch(() => {
          throw abortError();
        });
      }
      const canRetry = attempt <= options.retries;
      const started = Date.now();
      const { signal, timedOut, done } = attemptSignal(outer, options.timeoutMs);
      let answer: Exchange;
      try {
        answer = await exchange(url, { ...init, signal }, options.maxJsonBytes);
      } catch (error) {
        done();
        options.events.emit('request', { method, route, status: 0, durationMs: Date.now() - started, source: 'api', pacedMs });
        if (outer?.aborted) throw abortError(); // the caller cancelled: the client reports CANCELLED
        const code = networkCode(error);
        const timeout = timedOut();
        reason = timeout ? `no answer within ${options.timeoutMs} ms` : code;
        // Nobody listening: say so at once. A POST that may have reached Discord
        // is not resent either: it could post twice. A server that accepts but
        // does not answer gets one more chance, not `retries` (each costs a
        // whole timeout: the user would wait minutes).
        const retryable = !UNREACHABLE_CODES.has(code) && !(timeout && timeouts++ > 0);
        if (canRetry && method !== 'POST' && retryable) continue;
        throw errorForNetwork(options.apiBaseUrl, route, describeNetworkFailure(code, reason), error);
      }
      done();
      const response = answer.head;
      options.events.emit('request', { method, route, status: response.status, durationMs: Date.now() - started, source: 'api', pacedMs });
      if (response.status >= 500 && canRetry && (method !== 'POST' || [502, 503, 504].includes(response.status))) {
        reason = `HTTP ${response.status}`;
        continue;
      }
      const body = answerBody(answer, options, route, timedOut());
      if (response.status === 429) {
        const wait = rateLimitWait(response, body, options, route, method, ++rateLimitWaits, rateLimitWaited);
        rateLimitWaited += wait.ms;
        attempt--; // a rate-limit wait is not a failed attempt
        reason = '';
        options.events.emit('rateLimited', { route, method, waitMs: wait.ms, global: wait.global, scope: wait.scope, reason: wait.reason });
        if (wait.global) options.pacer.pause(wait.ms);
        await sleep(wait.ms, outer).catch(() => {
          throw abortError();
        });
        continue;
      }
      // A 5xx that outlived its retries is Discord's trouble, whatever its page says: the client words it.
      const parsed = response.status < 500 ? checkShape(response, body, options.apiBaseUrl, route, method) : NOT_PARSED;
      return buffered(response, body, parsed, options.rateLimitWaitCapMs);
    }
  };
}

/** The answer's bytes, at most `maxJsonBytes` of them (the exchange read them): a 2 GB body is refused, not held in memory. */
function answerBody(answer: Exchange, options: TransportOptions, route: string, timedOut: boolean): AnswerBody {
  const body = answer.body;
  if (Buffer.isBuffer(body)) return new AnswerBody(body, answer.text);
  if (body instanceof TooLarge) throw errorForNotDiscord(options.apiBaseUrl, route, `an answer of ${body.describe()}, larger than any Discord sends`);
  throw errorForNetwork(options.apiBaseUrl, route, timedOut ? `the answer stopped for ${options.timeoutMs} ms` : 'connection closed by the server', body);
}

/**
 * How long to wait after a 429 that carries Discord's scope header. Discord
 * says how long (`retry_after` in the body, precise; Retry-After in seconds);
 * a server that says 0 or nothing gets a doubling backoff instead of an
 * immediate retry (which would hammer it forever), and one that asks for
 * hours gets the cap: waiting that out inside a job looks like a hang. After
 * `maxRateLimitWaits` in a row the request fails, saying so.
 */
function rateLimitWait(response: AnswerHead, body: AnswerBody, options: TransportOptions, route: string, method: string, count: number, waitedMs: number) {
  const scope = response.headers.get('x-ratelimit-scope');
  if (!scope) {
    // Every Discord 429 says its scope. One without it is Cloudflare's IP
    // block (an hour), or a proxy's: the library would sleep it out or, with
    // no Retry-After, retry at once forever. Stop instead.
    const retryAfter = Number(response.headers.get('retry-after'));
    throw errorForBlock(route, Number.isFinite(retryAfter) ? retryAfter : undefined);
  }
  if (count > options.maxRateLimitWaits) throw errorForEndlessRateLimit(options.apiBaseUrl, route, method, count - 1, waitedMs);
  const askedMs = askedWaitMs(response, body);
  const backoffMs = Math.min(options.retryBackoffMs * 2 ** (count - 1), options.rateLimitWaitCapMs);
  let ms: number;
  let reason: string;
  if (askedMs === undefined || askedMs <= 0) {
    ms = backoffMs;
    reason = askedMs === undefined ? 'rate limited without saying for how long' : 'rate limited, told to retry at once';
  } else if (askedMs > options.rateLimitWaitCapMs) {
    ms = options.rateLimitWaitCapMs;
    reason = `rate limited for ${Math.round(askedMs / 1000)} s; waits are capped at ${Math.round(ms / 1000)} s`;
  } else {
    ms = askedMs;
    reason = 'rate limited';
  }
  const global = scope === 'global' || response.headers.has('x-ratelimit-global');
  return { ms, reason: `${reason} (${count} of at most ${options.maxRateLimitWaits})`, global, scope };
}

/** The wait a 429 asks for, in ms: the body's precise `retry_after`, else the Retry-After header. */
function askedWaitMs(response: AnswerHead, body: AnswerBody): number | undefined {
  let seconds: number | undefined;
  try {
    const parsed = JSON.parse(body.text()) as { retry_after?: unknown };
    if (typeof parsed?.retry_after === 'number') seconds = parsed.retry_after;
  } catch {
    // not JSON: the header decides
  }
  const header = response.headers.get('retry-after');
  if (seconds === undefined && header !== null && header.trim() !== '') seconds = Number(header);
  return seconds !== undefined && Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

/**
 * Refuses an answer that is not Discord's: a success that is not JSON (an
 * HTML login page of a proxy), not valid JSON, or not the shape the route
 * answers with; an error that is not JSON (a web server's 404 page at a wrong
 * base URL). One message for all of them, naming the address.
 */
function checkShape(response: AnswerHead, body: AnswerBody, apiBaseUrl: string, route: string, method: string): unknown {
  if (response.status === 204 || (body.bytes.length === 0 && response.status >= 300)) return NOT_PARSED;
  const type = response.headers.get('content-type') ?? '';
  const what = response.status >= 300 ? `HTTP ${response.status} with ` : '';
  if (!/^application\/json\b/i.test(type)) throw errorForNotDiscord(apiBaseUrl, route, `${what}${describeContent(type, body.bytes)} instead of JSON`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.text());
  } catch {
    throw errorForNotDiscord(apiBaseUrl, route, `${what}invalid JSON`);
  }
  if (response.status >= 300) return parsed;
  const problem = shapeProblem(parsed, method === 'GET' ? expectedShape(route) : undefined);
  if (problem) throw errorForNotDiscord(apiBaseUrl, route, problem);
  return parsed;
}

/** An answer's bytes, and its text: decoded once, or by the exchanger already. */
class AnswerBody {
  constructor(
    readonly bytes: Buffer,
    private decoded: string | undefined,
  ) {}

  text(): string {
    return (this.decoded ??= this.bytes.toString('utf8'));
  }
}

/** No JSON was parsed from the answer (an empty one, or a 5xx left to the library). */
const NOT_PARSED = Symbol('not parsed');

function describeContent(type: string, body: Buffer): string {
  if (/html/i.test(type) || /^\s*<(!doctype|html)/i.test(body.subarray(0, 64).toString('latin1'))) return 'an HTML page';
  if (body.length === 0) return 'an empty answer';
  return type ? `"${type.split(';')[0]}"` : 'an answer without a content type';
}

/**
 * The answer again, from the bytes already read; its JSON, already parsed
 * for the check, is handed over as is (the library would parse it a second
 * time). A bucket's reset time is capped like a 429's wait: the library would
 * otherwise sleep out "X-RateLimit-Reset-After: 100000" before the route's
 * next request, silently, for a day.
 */
function buffered(response: AnswerHead, answer: AnswerBody, parsed: unknown, waitCapMs: number): ResponseLike {
  const body = answer.bytes;
  const empty = response.status === 204 || response.status === 304 || body.length === 0;
  const headers = response.headers; // the library's own Headers object: mutable
  const resetAfter = Number(headers.get('x-ratelimit-reset-after'));
  if (Number.isFinite(resetAfter) && resetAfter * 1000 > waitCapMs) headers.set('x-ratelimit-reset-after', String(waitCapMs / 1000));
  const text = () => answer.text();
  return {
    body: empty ? null : Readable.from([body]),
    bodyUsed: false,
    headers,
    ok: response.status >= 200 && response.status < 300,
    status: response.status,
    statusText: response.statusText,
    json: async () => (parsed === NOT_PARSED ? JSON.parse(text()) : parsed),
    text: async () => text(),
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
  };
}

/** One attempt's signal: follows the library's signal and adds this attempt's timeout. */
function attemptSignal(outer: AbortSignal | undefined, timeoutMs: number) {
  const controller = new AbortController();
  let expired = false;
  const onAbort = () => controller.abort();
  if (outer?.aborted) controller.abort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    expired = true;
    controller.abort();
  }, timeoutMs);
  return {
    signal: controller.signal,
    timedOut: () => expired,
    done: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

/** The error code of a failed connection (undici nests it in `cause`), if it has one. */
export function errorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** What a failed connection is called in messages and retry decisions: its code, else its name. */
function networkCode(error: unknown): string {
  return errorCode(error) ?? (error instanceof Error ? error.name : 'network error');
}

function describeNetworkFailure(code: string, reason: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection closed by the server';
    default:
      return reason || code;
  }
}
