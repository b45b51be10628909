/**
 * Discord's global limit (50 requests per second per bot) as a token bucket
 * that refills continuously. @discordjs/rest counts requests in fixed
 * one-second windows, which lets 50 go at the end of one window and 50 more
 * at the start of the next: 100 in a few milliseconds, which a continuously
 * enforced limit answers with global 429s (each one an "invalid request"
 * that counts towards Cloudflare's IP ban). Pacing sends here keeps every
 * interval within the limit at the same average throughput.
 *
 * The bucket holds only 80% of a second's worth: Discord counts arrivals, not
 * sends, and latency compresses them (requests queued behind a connection
 * set-up arrive together). The missing fifth is slack for that: measured
 * against the emulator, a full-size bucket drew global 429s within the first
 * 150 ms of a 120-request burst; this one none.
 */
export class GlobalPacer {
  private readonly capacity: number;
  private tokens: number;
  private refilledAt = Date.now();
  /** A global 429 stops every send until then. */
  private pausedUntil = 0;

  constructor(private readonly perSecond: number) {
    this.capacity = Math.max(1, Math.floor(perSecond * 0.8));
    this.tokens = this.capacity;
  }

  /**
   * Reserves the next send slot and returns how long to wait for it (0 when
   * one is free). Reservations queue in call order: the bucket may go
   * negative, and each caller waits until its own token has refilled.
   */
  reserve(now = Date.now()): number {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
    this.tokens -= 1;
    const paced = this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.perSecond) * 1000);
    return Math.max(paced, this.pausedUntil - now);
  }

  /** Discord answered a global 429: no request of this bot goes out for `ms`. */
  pause(ms: number, now = Date.now()): void {
    this.pausedUntil = Math.max(this.pausedUntil, now + ms);
  }
}
