/**
 * The HTTP server: `/api/v{9,10}/...` goes through authentication, faults, rate
 * limits and the route table; `/cdn/...` serves files. Every request is logged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { World } from '../world/world';
import { serveCdn } from '../cdn/cdnRoutes';
import { ApiError, RateLimitedError, invalidJson, methodNotAllowed, notFoundRoute, unauthorized } from './apiError';
import type { Faults, RawAnswer } from './faults';
import type { InvalidRequestGuard } from './invalidRequests';
import { QueryParams } from './params';
import type { RateLimiter } from './rateLimiter';
import type { RequestLog } from './requestLog';
import type { HttpMethod, RequestContext, Router } from './router';

export interface ServerParts {
  world: World;
  router: Router;
  rateLimiter: RateLimiter;
  faults: Faults;
  requestLog: RequestLog;
  invalidRequests: InvalidRequestGuard;
}

const API_PREFIX = /^\/api(?:\/v(\d+))?(\/.*)$/;
const MAX_BODY_BYTES = 30 * 1024 * 1024;

export async function listen(parts: ServerParts, port = 0, host = '127.0.0.1'): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    handle(parts, req, res).catch((error) => {
      // The client went away mid-request (a cancelled download, a closing test): nothing to answer.
      if (req.destroyed || (error as NodeJS.ErrnoException).code === 'ECONNRESET') return;
      if (!res.headersSent) sendJson(res, 500, { message: '500: Internal Server Error', code: 0 });
      else res.destroy();
      // An emulator bug: make it visible in test output rather than hiding it.
      console.error('[emulator] internal error', error);
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

async function handle(parts: ServerParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const method = (req.method ?? 'GET').toUpperCase();
  if (url.pathname.startsWith('/cdn/')) return handleCdn(parts, req, res, url, method);
  const api = API_PREFIX.exec(url.pathname);
  const path = api ? api[2] : url.pathname;
  const logPath = path + url.search;
  const log = (route: string, status: number, fault?: string, scope?: string) => {
    parts.invalidRequests.record(status, scope);
    parts.requestLog.record({ method, route, path: logPath, status, fault, at: Date.now() });
  };

  const blockedMs = api ? parts.invalidRequests.blockedFor() : 0;
  if (blockedMs > 0) {
    await drain(req);
    res.writeHead(429, { 'Content-Type': 'text/plain', 'Retry-After': String(Math.ceil(blockedMs / 1000)) });
    res.end('error code: 1015');
    parts.requestLog.record({ method, route: 'cloudflare', path: logPath, status: 429, at: Date.now() });
    return;
  }

  const match = api ? parts.router.match(method, path.replace(/\/+$/, '') || '/') : undefined;
  if (!match || match === 'methodMismatch') {
    const error = match === 'methodMismatch' ? methodNotAllowed() : notFoundRoute();
    await drain(req);
    sendJson(res, error.status, error.toJson());
    return log('unknown', error.status);
  }
  const { route, params } = match;
  const template = route.template;
  const httpMethod = method as HttpMethod;

  // Authentication first: a bad token is 401 whatever else is wrong.
  if (route.options.auth !== false && req.headers.authorization !== `Bot ${parts.world.token}`) {
    await drain(req);
    sendJson(res, 401, unauthorized().toJson());
    return log(template, 401);
  }

  const faults = parts.faults.take(httpMethod, template, path);
  const slow = faults.find((f) => f.kind === 'slow');
  if (slow && slow.kind === 'slow') await new Promise((r) => setTimeout(r, slow.delayMs));
  for (const fault of faults) {
    if (fault.kind === 'reset') {
      log(template, 0, 'reset');
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'status') {
      await drain(req);
      sendJson(res, fault.status, { message: `${fault.status}: ${fault.status === 502 ? 'Bad Gateway' : fault.status === 503 ? 'Service Unavailable' : 'Internal Server Error'}`, code: 0 });
      return log(template, fault.status, 'status');
    }
    if (fault.kind === 'answer') {
      await drain(req);
      await sendRaw(res, fault);
      return log(template, fault.status, 'answer');
    }
    if (fault.kind === 'rateLimit') {
      await drain(req);
      sendRateLimited(res, fault.retryAfterSeconds, fault.scope, {});
      return log(template, 429, 'rateLimit', fault.scope);
    }
  }

  const decision = parts.rateLimiter.take(httpMethod, template, params);
  if (decision.limited) {
    await drain(req);
    sendRateLimited(res, decision.limited.retryAfterSeconds, decision.limited.scope, decision.headers);
    return log(template, 429, undefined, decision.limited.scope);
  }

  let status: number;
  try {
    const body = await readJsonBody(req);
    const ctx: RequestContext = {
      world: parts.world,
      method: httpMethod,
      route: template,
      params,
      query: new QueryParams(url.searchParams),
      body,
      req,
      reason: headerString(req.headers['x-audit-log-reason']),
      rateLimiter: parts.rateLimiter,
    };
    const result = await route.handler(ctx);
    status = result.status ?? (result.body === undefined ? 204 : 200);
    if (status === 204) {
      res.writeHead(204, decision.headers);
      res.end();
    } else sendJson(res, status, result.body, decision.headers);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    status = error.status;
    if (error instanceof RateLimitedError) {
      sendRateLimited(res, error.retryAfterSeconds, error.scope, decision.headers);
      return log(template, 429, undefined, error.scope);
    }
    sendJson(res, status, error.toJson(), decision.headers);
  }
  log(template, status);
}

async function handleCdn(parts: ServerParts, req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
  const path = url.pathname.slice('/cdn'.length);
  const result = serveCdn(parts.world, path, url.searchParams);
  const faults = parts.faults.take(method as HttpMethod, `cdn:${result.route}`, path);
  const slow = faults.find((f) => f.kind === 'slow');
  if (slow && slow.kind === 'slow') await new Promise((r) => setTimeout(r, slow.delayMs));
  for (const fault of faults) {
    if (fault.kind === 'reset') {
      parts.requestLog.record({ method, route: `cdn:${result.route}`, path: path + url.search, status: 0, fault: 'reset', at: Date.now() });
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'status') {
      res.writeHead(fault.status, { 'Content-Type': 'text/plain' });
      res.end(`${fault.status}`);
      parts.requestLog.record({ method, route: `cdn:${result.route}`, path: path + url.search, status: fault.status, fault: 'status', at: Date.now() });
      return;
    }
    if (fault.kind === 'answer') {
      parts.requestLog.record({ method, route: `cdn:${result.route}`, path: path + url.search, status: fault.status, fault: 'answer', at: Date.now() });
      void sendRaw(res, fault);
      return;
    }
  }
  const body = typeof result.body === 'string' ? Buffer.from(result.body) : result.body;
  res.writeHead(result.status, { 'Content-Type': result.contentType, 'Content-Length': String(body.length) });
  res.end(method === 'HEAD' ? undefined : body);
  parts.requestLog.record({ method, route: `cdn:${result.route}`, path: path + url.search, status: result.status, at: Date.now() });
}

function sendRateLimited(res: ServerResponse, retryAfterSeconds: number, scope: 'user' | 'global' | 'shared', headers: Record<string, string>): void {
  const global = scope === 'global';
  const out: Record<string, string> = {
    ...headers,
    // Discord's header is whole seconds, rounded up; the body has the precise value.
    'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    'X-RateLimit-Scope': scope,
  };
  if (global) out['X-RateLimit-Global'] = 'true';
  // `code` is required by Discord's OpenAPI description of this body (its docs call it optional).
  sendJson(res, 429, { message: 'You are being rate limited.', retry_after: Math.round(retryAfterSeconds * 1000) / 1000, global, code: 0 }, out);
}

/** A fault's raw answer; a streamed body goes out chunk by chunk, as the client reads it. */
async function sendRaw(res: ServerResponse, answer: RawAnswer): Promise<void> {
  const headers = { ...answer.headers };
  if (answer.streamBytes === undefined) {
    res.writeHead(answer.status, headers);
    res.end(answer.body ?? '');
    return;
  }
  res.writeHead(answer.status, headers);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let left = answer.streamBytes;
  while (left > 0 && !res.destroyed) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    left -= piece.length;
    if (!res.write(piece)) await writable(res);
  }
  res.end();
}

/** Resolves when `res` takes more data, or is closed (the client went away). */
function writable(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const bytes = utf8(JSON.stringify(body));
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(bytes.length) });
  res.end(bytes);
}

/**
 * The text's UTF-8 bytes, encoded once. A page of messages with one emoji is a
 * two-byte string, and measuring it (Content-Length) then writing it encoded
 * it twice, at a quarter of a millisecond each: the emulator shares the
 * benchmark machine's two cores with the sync it serves.
 */
function utf8(text: string): Buffer {
  const bytes = Buffer.allocUnsafe(text.length * 3); // UTF-8 never takes more than 3 bytes per UTF-16 unit
  return bytes.subarray(0, bytes.write(text, 'utf8'));
}

function headerString(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined ? undefined : decodeURIComponent(v);
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 40005, 'Request entity too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function drain(req: IncomingMessage): Promise<void> {
  try {
    await readRaw(req);
  } catch {
    // the response goes out anyway
  }
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const raw = await readRaw(req);
  if (raw.length === 0) return undefined;
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) return parseMultipart(raw, type);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw invalidJson();
  }
}

/** Multipart bodies (files + payload_json), as @discordjs/rest sends uploads. */
function parseMultipart(raw: Buffer, contentType: string): unknown {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) throw invalidJson();
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const files: Array<{ name: string; filename: string; contentType: string; data: Buffer }> = [];
  let payload: unknown;
  const fields: Record<string, string> = {};
  let start = raw.indexOf(delimiter);
  while (start >= 0) {
    const next = raw.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = raw.subarray(start + delimiter.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const data = part.subarray(headerEnd + 4);
    const name = /name="([^"]*)"/.exec(headers)?.[1] ?? '';
    const filename = /filename="([^"]*)"/.exec(headers)?.[1];
    if (filename !== undefined) files.push({ name, filename, contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? 'application/octet-stream', data });
    else if (name === 'payload_json') {
      try {
        payload = JSON.parse(data.toString('utf8'));
      } catch {
        throw invalidJson();
      }
    } else fields[name] = data.toString('utf8');
    start = next;
  }
  return { ...fields, ...(payload as object), __files: files };
}
