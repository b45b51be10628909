import { sleep } from '../discord/abort';

/**
 * Discord's limit on webhook messages per channel: about 30 a minute, shared
 * by every webhook of the channel, and not announced in any header (only a
 * 429 tells). A sliding window per target channel keeps each one under it, so
 * channels run in parallel at their full rate without drawing 429s. A small
 * margin covers the gap between when a request leaves and when it arrives.
 */
export class ChannelPacer {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly perWindow: number,
    private readonly windowMs = 60_000,
    private readonly marginMs = 150,
  ) {}

  /**
   * Waits until `channelId` may take another message and counts it. Call the
   * returned function when Discord has answered: the message is then counted
   * from that moment, which is never earlier than when Discord received it
   * (the request may wait for a webhook to be made, or in the client's queue).
   */
  async take(channelId: string, signal?: AbortSignal): Promise<() => void> {
    if (this.perWindow <= 0) return () => undefined;
    let times = this.sent.get(channelId);
    if (!times) this.sent.set(channelId, (times = []));
    for (;;) {
      const now = Date.now();
      while (times.length > 0 && times[0]! + this.windowMs + this.marginMs <= now) times.shift();
      if (times.length < this.perWindow) break;
      await sleep(times[0]! + this.windowMs + this.marginMs - now, signal);
    }
    const entry = times;
    const at = entry.push(Date.now()) - 1;
    const stamp = entry[at]!;
    return () => {
      // Sends in a channel go one at a time, so the entry is still the last one unless it aged out.
      const i = entry.lastIndexOf(stamp);
      if (i >= 0) entry[i] = Math.max(stamp, Date.now());
    };
  }

  /** The channel's messages per second at the limit (for estimates). */
  get perSecond(): number {
    return this.perWindow / (this.windowMs / 1000);
  }
}
