/**
 * Discord's global limit (50 requests per second per bot) as a token bucket
 * that refills continuously. @discordjs/rest counts requests in fixed
 * one-second windows, which lets 50 go at the end of one window and 50 more
 * at the start of the next: 100 in a few milliseconds, which a continuously
 * enforced limit answers with global 429s (each one an "invalid request"
 * that counts towards Cloudflare's IP ban). Pacing sends here keeps every
 * interval within the limit at the same average throughput.
 */
export class GlobalPacer {
  private tokens: number;
  private refilledAt = Date.now();

  constructor(private readonly perSecond: number) {
    this.tokens = perSecond;
  }

  /**
   * Reserves the next send slot and returns how long to wait for it (0 when
   * one is free). Reservations queue in call order: the bucket may go
   * negative, and each caller waits until its own token has refilled.
   */
  reserve(now = Date.now()): number {
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.perSecond) * 1000);
  }
}
