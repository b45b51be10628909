import type { EventEmitter } from 'node:events';

/** The client is waiting before it may send to `route` (a bucket route like `/channels/:id/messages`). */
export interface RateLimitedEvent {
  route: string;
  method: string;
  waitMs: number;
  global: boolean;
  /** 'user' | 'global' | 'shared' as Discord reports it. */
  scope: string;
  /** Set when a 429 was answered (not for a wait the headers announced): why, and how many of the allowed waits this is. */
  reason?: string;
}

/** A request is being sent again after a transient failure (5xx, reset, timeout). */
export interface RetryEvent {
  route: string;
  method: string;
  /** The attempt about to be made: 2 for the first retry. */
  attempt: number;
  /** "HTTP 502", "ECONNRESET", "timeout after 15000 ms". */
  reason: string;
  delayMs: number;
}

/** One HTTP attempt finished (also each retry and each 429); status 0 when no response came back. */
export interface RequestEvent {
  method: string;
  route: string;
  status: number;
  durationMs: number;
  /**
   * 'api': a request to Discord's API, which spends the bot's global budget;
   * 'cdn': a file download, which does not (CDN hosts have no global limit).
   */
  source: 'api' | 'cdn';
  /** How long the send waited for the global budget (API only): above 0, the budget is in full use. */
  pacedMs?: number;
}

export interface DiscordClientEvents {
  rateLimited: [RateLimitedEvent];
  retry: [RetryEvent];
  request: [RequestEvent];
}

/** The client's EventEmitter with its event names and payloads typed. */
export type DiscordClientEmitter = EventEmitter<DiscordClientEvents>;

