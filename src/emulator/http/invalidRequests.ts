/**
 * Cloudflare's guard in front of Discord: an IP that makes 10,000 invalid requests
 * (401, 403, or 429 other than shared-scope ones) within 10 minutes is blocked for
 * a while, every request answered 429 "error code: 1015" without Discord's headers.
 * Clients must stop retrying what cannot succeed; this lets a test see it when they don't.
 */
export interface InvalidRequestOptions {
  limit: number;
  windowMs: number;
  banMs: number;
}

export const DISCORD_INVALID_REQUESTS: InvalidRequestOptions = { limit: 10_000, windowMs: 10 * 60_000, banMs: 60 * 60_000 };

export class InvalidRequestGuard {
  private readonly times: number[] = [];
  private bannedUntil = 0;

  constructor(public options: InvalidRequestOptions | false) {}

  /** Remaining block in ms (0 when not blocked). */
  blockedFor(now = Date.now()): number {
    return Math.max(0, this.bannedUntil - now);
  }

  record(status: number, scope: string | undefined, now = Date.now()): void {
    if (!this.options) return;
    if (status !== 401 && status !== 403 && !(status === 429 && scope !== 'shared')) return;
    this.times.push(now);
    while (this.times.length > 0 && this.times[0] <= now - this.options.windowMs) this.times.shift();
    if (this.times.length >= this.options.limit) {
      this.bannedUntil = now + this.options.banMs;
      this.times.length = 0;
    }
  }

  reset(): void {
    this.times.length = 0;
    this.bannedUntil = 0;
  }
}
