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
  /** [tokens, refilledAt]: in a SharedArrayBuffer when several threads spend one bot's budget. */
  private readonly state: Float64Array;
  /** Guards `state` across threads (absent when it is this pacer's own). */
  private readonly lock: Int32Array | undefined;

  /** `shared`: from GlobalPacer.sharedBudget(perSecond), the same for every thread of one bot (job workers). */
  constructor(
    private readonly perSecond: number,
    shared?: SharedArrayBuffer,
  ) {
    this.capacity = capacityOf(perSecond);
    if (shared) {
      this.lock = new Int32Array(shared, 0, 1);
      this.state = new Float64Array(shared, 8, 2);
    } else {
      this.state = Float64Array.of(this.capacity, Date.now());
    }
  }

  /**
   * One bot's global budget for pacers in several threads: VS Code runs each
   * job in a worker with a client of its own, and two jobs of one bot must
   * still stay within one 50/s together.
   */
  static sharedBudget(perSecond: number): SharedArrayBuffer {
    const buffer = new SharedArrayBuffer(24);
    new Float64Array(buffer, 8, 2).set([capacityOf(perSecond), Date.now()]);
    return buffer;
  }

  /**
   * Reserves the next send slot and returns how long to wait for it (0 when
   * one is free). Reservations queue in call order: the bucket may go
   * negative, and each caller waits until its own token has refilled.
   */
  reserve(now = Date.now()): number {
    // The critical section is a few arithmetic operations: spinning is cheaper than waiting.
    if (this.lock) while (Atomics.compareExchange(this.lock, 0, 0, 1) !== 0);
    try {
      const state = this.state;
      // Another thread may have refilled at a later `now`: never refill backwards.
      const refilledAt = Math.max(state[1]!, now);
      let tokens = Math.min(this.capacity, state[0]! + ((refilledAt - state[1]!) / 1000) * this.perSecond);
      tokens -= 1;
      state[0] = tokens;
      state[1] = refilledAt;
      return tokens >= 0 ? 0 : Math.ceil((-tokens / this.perSecond) * 1000);
    } finally {
      if (this.lock) Atomics.store(this.lock, 0, 0);
    }
  }
}

function capacityOf(perSecond: number): number {
  return Math.max(1, Math.floor(perSecond * 0.8));
}
