/**
 * Discord's error responses: `{ message, code }`, plus `errors` for invalid form
 * bodies and query strings (code 50035), with Discord's nested `_errors` shape.
 */
export interface FieldError {
  code: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
  ) {
    super(message);
  }

  toJson(): Record<string, unknown> {
    return this.errors ? { message: this.message, code: this.code, errors: this.errors } : { message: this.message, code: this.code };
  }
}

/** A 429 raised inside a route (limits only a route can know, like webhook messages per channel). */
export class RateLimitedError extends ApiError {
  constructor(
    readonly retryAfterSeconds: number,
    readonly scope: 'user' | 'shared' = 'shared',
  ) {
    super(429, 0, 'You are being rate limited.');
  }
}

export const unauthorized = () => new ApiError(401, 0, '401: Unauthorized');
export const notFoundRoute = () => new ApiError(404, 0, '404: Not Found');
export const methodNotAllowed = () => new ApiError(405, 0, '405: Method Not Allowed');
export const missingAccess = () => new ApiError(403, 50001, 'Missing Access');
export const missingPermissions = () => new ApiError(403, 50013, 'Missing Permissions');
export const invalidJson = () => new ApiError(400, 50109, 'The request body contains invalid JSON.');
export const wrongChannelType = () => new ApiError(400, 50024, 'Cannot execute action on this channel type');

const UNKNOWN = {
  account: [10001, 'Unknown Account'],
  channel: [10003, 'Unknown Channel'],
  guild: [10004, 'Unknown Guild'],
  member: [10007, 'Unknown Member'],
  message: [10008, 'Unknown Message'],
  overwrite: [10009, 'Unknown Overwrite'],
  role: [10011, 'Unknown Role'],
  user: [10013, 'Unknown User'],
  emoji: [10014, 'Unknown Emoji'],
  webhook: [10015, 'Unknown Webhook'],
  ban: [10026, 'Unknown Ban'],
  sticker: [10060, 'Unknown Sticker'],
  autoModRule: [10066, 'Unknown auto moderation rule'],
  scheduledEvent: [10070, 'Unknown Guild Scheduled Event'],
} as const;

export function unknown(kind: keyof typeof UNKNOWN): ApiError {
  const [code, message] = UNKNOWN[kind];
  return new ApiError(404, code, message);
}

/** 400 Invalid Form Body with Discord's `errors` tree: `{ field: { _errors: [...] } }`, nested by path. */
export function invalidFormBody(fieldErrors: Array<{ path: Array<string | number>; code: string; message: string }>): ApiError {
  const errors: Record<string, unknown> = {};
  for (const e of fieldErrors) {
    let node = errors as Record<string, unknown>;
    for (const key of e.path) node = (node[String(key)] ??= {}) as Record<string, unknown>;
    ((node._errors ??= []) as FieldError[]).push({ code: e.code, message: e.message });
  }
  return new ApiError(400, 50035, 'Invalid Form Body', errors);
}
