import { DefaultRestOptions, type ResponseLike } from '@discordjs/rest';
import { sleep } from './abort';
import { errorForBlock, errorForNetwork } from './discordApiError';
import type { DiscordClientEmitter } from './events';
import type { GlobalPacer } from './globalPacer';
import { routeOfUrl } from './routes';

type MakeRequest = typeof DefaultRestOptions.makeRequest;
type RequestInit = Parameters<MakeRequest>[1];

export interface TransportOptions {
  apiBaseUrl: string;
  retries: number;
  timeoutMs: number;
  /** First retry waits this long, then it doubles (capped at 8 s). */
  retryBackoffMs: number;
  events: DiscordClientEmitter;
  /** Spaces every attempt (retries too) to the global limit. */
  pacer: GlobalPacer;
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
  const inner = DefaultRestOptions.makeRequest;
  return async (url: string, init: RequestInit): Promise<ResponseLike> => {
    const method = (init.method ?? 'GET').toUpperCase();
    const route = routeOfUrl(url, options.apiBaseUrl);
    const outer = init.signal as AbortSignal | undefined;
    let reason = '';
    let timeouts = 0;
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) {
        const delayMs = Math.min(options.retryBackoffMs * 2 ** (attempt - 2), 8000);
        options.events.emit('retry', { route, method, attempt, reason, delayMs });
        await sleep(delayMs, outer).catch(() => {
          throw abortError();
        });
      }
      const paceMs = options.pacer.reserve();
      if (paceMs > 0) {
        await sleep(paceMs, outer).catch(() => {
          throw abortError();
        });
      }
      const canRetry = attempt <= options.retries;
      const started = Date.now();
      const { signal, timedOut, done } = attemptSignal(outer, options.timeoutMs);
      let response: ResponseLike;
      try {
        response = await inner(url, { ...init, signal });
      } catch (error) {
        done();
        options.events.emit('request', { method, route, status: 0, durationMs: Date.now() - started });
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
      options.events.emit('request', { method, route, status: response.status, durationMs: Date.now() - started });
      if (response.status >= 500 && canRetry && (method !== 'POST' || [502, 503, 504].includes(response.status))) {
        reason = `HTTP ${response.status}`;
        await response.arrayBuffer().catch(() => undefined); // free the connection
        continue;
      }
      if (response.status === 429 && !response.headers.get('x-ratelimit-scope')) {
        // Every Discord 429 says its scope. One without it is Cloudflare's IP
        // block (an hour), or a proxy's: the library would sleep it out or, with
        // no Retry-After, retry at once forever. Stop instead.
        await response.arrayBuffer().catch(() => undefined);
        const retryAfter = Number(response.headers.get('retry-after'));
        throw errorForBlock(route, Number.isFinite(retryAfter) ? retryAfter : undefined);
      }
      return response;
    }
  };
}

/** The error @discordjs/rest recognises as an abort (its own timeout or the caller's signal). */
function abortError(): Error {
  const error = new Error('The operation was aborted.');
  error.name = 'AbortError';
  return error;
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

/** The error code of a failed connection (undici nests it in `cause`). */
function networkCode(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.name : 'network error';
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
