import { sleep } from './abort';
import { DiscordApiError, errorForResponse } from './discordApiError';
import type { DiscordClientEmitter } from './events';
import { urlWithoutQuery } from './routes';
import { cancelled, GuildVaultError } from '../errors';
import type { MediaUrlPolicy } from '../media/mediaUrlPolicy';

export interface Download {
  body: ReadableStream<Uint8Array>;
  contentType?: string;
  /** From Content-Length, when the server sent it. */
  size?: number;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  retries: number;
  /** For the response headers, then for each gap between body chunks. */
  timeoutMs: number;
  retryBackoffMs: number;
  events: DiscordClientEmitter;
  /** Which hosts may be fetched (Discord's media hosts); checked for the URL and each redirect. */
  policy: MediaUrlPolicy;
}

/** Rate-limit answers from a CDN are rare; honour a few, then give up. */
const MAX_RATE_LIMIT_WAITS = 5;
/** A CDN may move a file once or twice; more is a loop. */
const MAX_REDIRECTS = 3;
/** However long a CDN asks to wait, one wait lasts at most this. */
const MAX_RATE_LIMIT_WAIT_MS = 30_000;

/** A URL Guild Vault does not fetch (not a Discord media host, not https, a redirect elsewhere). */
export function refusedDownload(url: string, reason: string): GuildVaultError {
  return new GuildVaultError('MEDIA_REFUSED', `Not downloaded: ${urlWithoutQuery(url)} (${reason}).`, 'Only files on Discord\'s media hosts are downloaded; the message keeps the link.');
}

/**
 * Fetches a CDN or attachment URL as a stream. No Authorization header: CDN
 * URLs are public or carry their own signature, and the token must never go
 * to a host the user did not choose. Errors name the URL without its query
 * (the signature). Cancelling `signal` aborts the transfer, also mid-body.
 */
export async function downloadUrl(firstUrl: string, options: DownloadOptions): Promise<Download> {
  const refused = options.policy.problem(firstUrl);
  if (refused) throw refusedDownload(firstUrl, refused);
  let url = firstUrl;
  let shownUrl = urlWithoutQuery(url);
  let redirects = 0;
  let rateLimitWaits = 0;
  let reason = '';
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw cancelled();
    if (attempt > 1 && reason) {
      const delayMs = Math.min(options.retryBackoffMs * 2 ** (attempt - 2), 8000);
      options.events.emit('retry', { route: shownUrl, method: 'GET', attempt, reason, delayMs });
      await sleep(delayMs, options.signal);
    }
    const transfer = linkedTransfer(options.signal, options.timeoutMs);
    const started = Date.now();
    let response: Response;
    try {
      // Redirects are followed here, one at a time, so each target is checked first.
      response = await fetch(url, { signal: transfer.signal, redirect: 'manual' });
    } catch (error) {
      transfer.finish();
      options.events.emit('request', { method: 'GET', route: shownUrl, status: 0, durationMs: Date.now() - started, source: 'cdn' });
      if (options.signal?.aborted) throw cancelled();
      reason = transfer.timedOut() ? `no answer within ${options.timeoutMs} ms` : networkReason(error);
      if (attempt <= options.retries && !/refused|not found/.test(reason)) continue;
      throw new DiscordApiError('API_UNREACHABLE', `Cannot download ${shownUrl} (${reason}).`, 'Check the network connection; the file is tried again on the next backup.', 0, shownUrl, undefined, { cause: error });
    }
    options.events.emit('request', { method: 'GET', route: shownUrl, status: response.status, durationMs: Date.now() - started, source: 'cdn' });
    if (response.ok && response.body) {
      const size = Number(response.headers.get('content-length'));
      return {
        body: transfer.watch(response.body),
        contentType: response.headers.get('content-type') ?? undefined,
        size: Number.isFinite(size) && response.headers.has('content-length') ? size : undefined,
      };
    }
    await response.body?.cancel().catch(() => undefined);
    transfer.finish();
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const target = new URL(location, url).toString();
      const problem = ++redirects > MAX_REDIRECTS ? `more than ${MAX_REDIRECTS} redirects` : options.policy.redirectProblem(url, target);
      if (problem) throw refusedDownload(url, problem);
      url = target;
      shownUrl = urlWithoutQuery(url);
      attempt--; // a redirect is not a failed attempt
      reason = '';
      continue;
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    if (response.status === 429 && rateLimitWaits < MAX_RATE_LIMIT_WAITS) {
      rateLimitWaits++;
      attempt--; // a rate-limit wait is not a failed attempt
      reason = '';
      // No usable Retry-After (or 0) gets a doubling backoff, a huge one the cap.
      const asked = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : options.retryBackoffMs * 2 ** (rateLimitWaits - 1);
      const waitMs = Math.min(asked, MAX_RATE_LIMIT_WAIT_MS);
      options.events.emit('rateLimited', { route: shownUrl, method: 'GET', waitMs, global: false, scope: 'cdn', reason: `the CDN answered 429 (${rateLimitWaits} of at most ${MAX_RATE_LIMIT_WAITS})` });
      await sleep(waitMs, options.signal);
      continue;
    }
    if (response.status >= 500 && attempt <= options.retries) {
      reason = `HTTP ${response.status}`;
      continue;
    }
    const error = errorForResponse(response.status, shownUrl, undefined);
    throw new DiscordApiError(error.code as never, `Download of ${shownUrl} failed: HTTP ${response.status}.`, downloadHint(response.status), response.status, shownUrl);
  }
}

function downloadHint(status: number): string {
  if (status === 403 || status === 404) return 'The file is gone, or its link expired.';
  return 'The file is tried again on the next backup.';
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND') return 'host name not found';
  if (cause?.code) return cause.code;
  return error instanceof Error ? error.message : String(error);
}

/**
 * One transfer's AbortController: follows the caller's signal (a listener
 * removed when the transfer ends) and aborts when the server goes quiet for
 * `timeoutMs`, before the headers or between body chunks.
 */
function linkedTransfer(parent: AbortSignal | undefined, timeoutMs: number) {
  const controller = new AbortController();
  let expired = false;
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => controller.abort(parent?.reason);
  parent?.addEventListener('abort', onAbort, { once: true });
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      expired = true;
      controller.abort();
    }, timeoutMs);
  };
  const finish = () => {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onAbort);
  };
  arm();
  return {
    signal: controller.signal,
    timedOut: () => expired,
    finish,
    /** The body, re-armed on each chunk and unhooked at its end. */
    watch(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
      const reader = body.getReader();
      arm();
      return new ReadableStream<Uint8Array>({
        async pull(out) {
          try {
            const { done, value } = await reader.read();
            if (done) {
              finish();
              out.close();
              return;
            }
            arm();
            out.enqueue(value);
          } catch (error) {
            finish();
            if (parent?.aborted) out.error(cancelled());
            else if (expired) out.error(new GuildVaultError('API_UNREACHABLE', `The download stalled for ${timeoutMs} ms.`, 'Check the network connection; the file is tried again on the next backup.'));
            else out.error(error);
          }
        },
        cancel(reason) {
          finish();
          return reader.cancel(reason);
        },
      });
    },
  };
}
