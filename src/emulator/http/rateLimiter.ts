/**
 * Discord's rate limits as its headers announce them: per-route buckets (per
 * major parameter: channel, guild or webhook) and a global limit per bot.
 *
 * Per-route buckets are fixed windows, like Discord's `X-RateLimit-Reset`. The
 * global limit is a token bucket refilled continuously, so a client that spaces
 * its requests at the advertised rate never trips it whatever its window phase.
 */
import { createHash } from 'node:crypto';
import type { HttpMethod } from './router';

export interface BucketRule {
  limit: number;
  windowMs: number;
}

export interface RateLimitOptions {
  enabled: boolean;
  globalPerSecond: number;
  /** Webhook messages per channel in any 60 s, shared by every webhook of the channel (Discord's is about 30; 0: none). */
  webhookMessagesPerChannelPerMinute?: number;
}

/**
 * Per-route limits. Discord does not document them and changes them; these are
 * the values commonly reported in bot logs (and small enough to be seen in tests).
 */
const RULES: Array<{ method?: HttpMethod; route: RegExp; rule: BucketRule }> = [
  { method: 'GET', route: /^\/channels\/\{channel_id\}\/messages$/, rule: { limit: 10, windowMs: 1000 } },
  { method: 'POST', route: /^\/channels\/\{channel_id\}\/messages$/, rule: { limit: 5, windowMs: 5000 } },
  { route: /^\/channels\/\{channel_id\}\/messages\/\{message_id\}\/reactions/, rule: { limit: 1, windowMs: 250 } },
  { method: 'POST', route: /^\/webhooks\/\{webhook_id\}\/\{webhook_token\}$/, rule: { limit: 5, windowMs: 2000 } },
  { method: 'GET', route: /^\/guilds\/\{guild_id\}\/members$/, rule: { limit: 10, windowMs: 10_000 } },
  { method: 'GET', route: /^\/guilds\/\{guild_id\}\/bans$/, rule: { limit: 10, windowMs: 10_000 } },
  { method: 'GET', route: /threads\/archived/, rule: { limit: 10, windowMs: 1000 } },
  { method: 'PATCH', route: /^\/guilds\/\{guild_id\}\/(roles|channels)$/, rule: { limit: 5, windowMs: 5000 } },
  { method: 'POST', route: /^\/guilds\/\{guild_id\}\/(roles|channels|emojis|stickers)$/, rule: { limit: 10, windowMs: 10_000 } },
  { method: 'GET', route: /.*/, rule: { limit: 50, windowMs: 1000 } },
];
const DEFAULT_WRITE_RULE: BucketRule = { limit: 10, windowMs: 10_000 };

export function ruleFor(method: HttpMethod, route: string): BucketRule {
  for (const r of RULES) if ((!r.method || r.method === method) && r.route.test(route)) return r.rule;
  return DEFAULT_WRITE_RULE;
}

/** The top-level resource id that splits a bucket (Discord's "major parameter"). */
export function majorParameter(params: Record<string, string>): string {
  if (params.channel_id) return `c:${params.channel_id}`;
  if (params.guild_id) return `g:${params.guild_id}`;
  if (params.webhook_id) return `w:${params.webhook_id}:${params.webhook_token ?? ''}`;
  return 'global';
}

export interface RateLimitDecision {
  headers: Record<string, string>;
  /** Set when the request is refused. */
  limited?: { retryAfterSeconds: number; global: boolean; scope: 'user' | 'global' | 'shared' };
}

interface Window {
  remaining: number;
  resetAt: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly webhookChannels = new Map<string, number[]>();
  private globalTokens: number;
  private globalRefilledAt = Date.now();

  constructor(public options: RateLimitOptions) {
    this.globalTokens = options.globalPerSecond;
  }

  /** Counts a request against its bucket and the global limit, and returns the headers to send. */
  take(method: HttpMethod, route: string, params: Record<string, string>, now = Date.now()): RateLimitDecision {
    const rule = ruleFor(method, route);
    const bucketHash = createHash('md5').update(`${method} ${route}`).digest('hex');
    if (!this.options.enabled) {
      // Headers still come (clients read them), but nothing is ever exhausted.
      return { headers: bucketHeaders(rule, rule.limit - 1, now + rule.windowMs, now, bucketHash) };
    }
    if (!this.takeGlobal(now)) {
      const retryAfter = (1 - this.globalTokens) / this.options.globalPerSecond;
      return { headers: {}, limited: { retryAfterSeconds: retryAfter, global: true, scope: 'global' } };
    }
    const key = `${bucketHash}:${majorParameter(params)}`;
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { remaining: rule.limit, resetAt: now + rule.windowMs };
      this.windows.set(key, w);
      if (this.windows.size > 50_000) this.sweep(now);
    }
    if (w.remaining <= 0) {
      // A refused request does not use up a global token.
      this.globalTokens = Math.min(this.options.globalPerSecond, this.globalTokens + 1);
      const headers = bucketHeaders(rule, 0, w.resetAt, now, bucketHash);
      return { headers, limited: { retryAfterSeconds: (w.resetAt - now) / 1000, global: false, scope: 'user' } };
    }
    w.remaining--;
    return { headers: bucketHeaders(rule, w.remaining, w.resetAt, now, bucketHash) };
  }

  /**
   * Discord's per-channel limit on webhook messages: not announced in any
   * header, only a 429 with scope "shared" once a channel had its share of
   * the last minute. Returns the seconds to wait, or undefined when allowed.
   */
  takeWebhookChannel(channelId: string, now = Date.now()): number | undefined {
    const limit = this.options.webhookMessagesPerChannelPerMinute ?? 30;
    if (!this.options.enabled || limit <= 0) return undefined;
    let times = this.webhookChannels.get(channelId);
    if (!times) this.webhookChannels.set(channelId, (times = []));
    while (times.length > 0 && times[0]! + 60_000 <= now) times.shift();
    if (times.length >= limit) return (times[0]! + 60_000 - now) / 1000;
    times.push(now);
    return undefined;
  }

  private takeGlobal(now: number): boolean {
    const rate = this.options.globalPerSecond;
    this.globalTokens = Math.min(rate, this.globalTokens + ((now - this.globalRefilledAt) / 1000) * rate);
    this.globalRefilledAt = now;
    if (this.globalTokens < 1) return false;
    this.globalTokens -= 1;
    return true;
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
  }

  reset(): void {
    this.windows.clear();
    this.webhookChannels.clear();
    this.globalTokens = this.options.globalPerSecond;
    this.globalRefilledAt = Date.now();
  }
}

function bucketHeaders(rule: BucketRule, remaining: number, resetAt: number, now: number, hash: string): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(rule.limit),
    'X-RateLimit-Remaining': String(Math.max(0, remaining)),
    'X-RateLimit-Reset': (resetAt / 1000).toFixed(3),
    'X-RateLimit-Reset-After': (Math.max(0, resetAt - now) / 1000).toFixed(3),
    'X-RateLimit-Bucket': hash,
  };
}
