import type { MessagePort, Worker } from 'node:worker_threads';
import { abortError } from './abort';
import { inlineExchange, type AnswerHead, type Exchange, type Exchanger } from './exchange';
import { TooLarge } from './readCapped';
import { errorCode } from './transport';

/**
 * Discord's answers read on a thread of their own. A job's thread spends about
 * a tenth of a sync receiving answers (undici's HTTP parser, socket reads,
 * streams) while it could be writing the previous page: with this, the HTTP
 * thread reads each answer in full, decodes its text and hands both over (the
 * bytes without a copy: the buffer is transferred), and the job's thread only
 * parses the JSON.
 *
 * Only requests without a body go there (the reads: every page of a backup);
 * writes (restore, migration) keep the library's own path, bodies and files
 * included. If the thread dies, its requests fail as a lost connection (and are
 * retried), and every later one runs on the job's thread.
 */
export class HttpThread {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (exchange: Exchange) => void; reject: (error: Error) => void }>();
  private stopped: Error | undefined;
  /** Answers the thread has read (the tests check with it that requests went there). */
  answered = 0;

  constructor(private readonly worker: Worker) {
    worker.on('message', (message: FromHttpThread) => this.settle(message));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`the HTTP thread stopped (exit code ${code})`)));
    worker.unref(); // never what keeps a process alive
  }

  readonly exchange: Exchanger = (url, init, maxBytes) => {
    const headers = plainHeaders(init.headers);
    if (this.stopped || init.body != null || init.dispatcher || !headers) return inlineExchange(url, init, maxBytes);
    const signal = init.signal as AbortSignal | undefined;
    if (signal?.aborted) return Promise.reject(abortError());
    const id = this.nextId++;
    return new Promise<Exchange>((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        this.worker.postMessage({ type: 'abort', id } satisfies ToHttpThread);
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const forget = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (exchange) => (forget(), resolve(exchange)),
        reject: (error) => (forget(), reject(error)),
      });
      this.worker.postMessage({ type: 'request', id, url, method: init.method ?? 'GET', headers, maxBytes } satisfies ToHttpThread);
    });
  };

  /** Ends the thread; requests under way fail as a lost connection. */
  async close(): Promise<void> {
    this.fail(new Error('the HTTP thread was closed'));
    await this.worker.terminate();
  }

  private settle(message: FromHttpThread): void {
    const waiting = this.pending.get(message.id);
    if (!waiting) return; // aborted meanwhile
    this.pending.delete(message.id);
    if (message.type !== 'failed') this.answered++;
    if (message.type === 'failed') return waiting.reject(receivedError(message.error));
    const head: AnswerHead = { status: message.status, statusText: message.statusText, headers: new Headers(message.headers) as unknown as AnswerHead['headers'] }; // Node's global Headers is undici's
    if (message.type === 'answer') return waiting.resolve({ head, body: Buffer.from(message.body), text: message.text });
    if (message.type === 'tooLarge') return waiting.resolve({ head, body: new TooLarge(message.maxBytes, message.announcedBytes) });
    waiting.resolve({ head, body: receivedError(message.error) });
  }

  private fail(cause: Error): void {
    this.stopped ??= cause;
    for (const [id, waiting] of this.pending) {
      this.pending.delete(id);
      // As a dropped connection: the transport retries it (and the retry runs here, on the job's thread).
      waiting.reject(Object.assign(new Error(`connection lost: ${cause.message}`), { code: 'ECONNRESET' }));
    }
  }
}

/** The HTTP thread's side: answers requests from `port` with the same exchange the job's thread would make. */
export function serveExchanges(port: MessagePort): void {
  const running = new Map<number, AbortController>();
  port.on('message', (message: ToHttpThread) => {
    if (message.type === 'abort') return running.get(message.id)?.abort();
    const controller = new AbortController();
    running.set(message.id, controller);
    void inlineExchange(message.url, { method: message.method, headers: message.headers, signal: controller.signal as never }, message.maxBytes)
      .then(
        (exchange) => reply(port, message.id, exchange),
        (error: unknown) => port.postMessage({ type: 'failed', id: message.id, error: sentError(error) } satisfies FromHttpThread),
      )
      .finally(() => running.delete(message.id));
  });
}

function reply(port: MessagePort, id: number, { head, body }: Exchange): void {
  const line = { id, status: head.status, statusText: head.statusText, headers: [...head.headers.entries()] as [string, string][] };
  if (Buffer.isBuffer(body)) {
    // JSON decoded here too: a string crosses as a copy, cheaper than decoding it on the job's thread.
    const text = /^application\/json\b/i.test(head.headers.get('content-type') ?? '') ? body.toString('utf8') : undefined;
    const bytes = ownArrayBuffer(body);
    port.postMessage({ type: 'answer', ...line, body: bytes, text } satisfies FromHttpThread, [bytes]);
  } else if (body instanceof TooLarge) {
    port.postMessage({ type: 'tooLarge', ...line, maxBytes: body.maxBytes, announcedBytes: body.announcedBytes } satisfies FromHttpThread);
  } else {
    port.postMessage({ type: 'bodyLost', ...line, error: sentError(body) } satisfies FromHttpThread);
  }
}

/** The bytes in an ArrayBuffer of their own, so transferring it moves them alone (small Buffers share Node's pool). */
function ownArrayBuffer(body: Buffer): ArrayBuffer {
  if (body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer) return body.buffer;
  return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
}

/** What the transport looks at in a network error: its name, message and code (found as the transport finds it: errorCode). */
interface SentError {
  name: string;
  message: string;
  code?: string;
}

/** The request's headers when they are a plain object of strings (what @discordjs/rest sends); else undefined. */
function plainHeaders(headers: unknown): Record<string, string> | undefined {
  if (headers === undefined || headers === null) return {};
  if (Object.getPrototypeOf(headers) !== Object.prototype) return undefined;
  const entries = Object.entries(headers as Record<string, unknown>);
  return entries.every(([, value]) => typeof value === 'string') ? (Object.fromEntries(entries) as Record<string, string>) : undefined;
}

function sentError(error: unknown): SentError {
  const e = error as { name?: unknown; message?: unknown } | undefined;
  return { name: typeof e?.name === 'string' ? e.name : 'Error', message: typeof e?.message === 'string' ? e.message : String(error), code: errorCode(error) };
}

function receivedError(sent: SentError): Error {
  return Object.assign(new Error(sent.message), { name: sent.name, code: sent.code });
}

type ToHttpThread = { type: 'request'; id: number; url: string; method: string; headers: Record<string, string>; maxBytes: number } | { type: 'abort'; id: number };

type AnswerLine = { id: number; status: number; statusText: string; headers: [string, string][] };
type FromHttpThread =
  | ({ type: 'answer'; body: ArrayBuffer; text: string | undefined } & AnswerLine)
  | ({ type: 'tooLarge'; maxBytes: number; announcedBytes: number | undefined } & AnswerLine)
  | ({ type: 'bodyLost'; error: SentError } & AnswerLine)
  | { type: 'failed'; id: number; error: SentError };
