import type { DiscordClientEmitter, RequestEvent } from '../discord/events';

export interface ChannelConcurrencyOptions {
  /** Workers at the start (the archive's `concurrency` option). */
  start: number;
  /** Never more than this many at once. */
  max: number;
  /** The events of all the bot's requests (every job's: they share its global budget). */
  budget: { events: DiscordClientEmitter };
  /** How often the rate is looked at. */
  intervalMs?: number;
}

/**
 * How many channels the archive fetches at once, adapted to Discord's global
 * budget. A channel's pages come one after another (each needs the last id of
 * the one before) and its own bucket allows about 10 a second, so a server of
 * many short channels leaves most of the 50 requests a second unused at a
 * fixed 4 at a time. Every interval: while no API request of the bot had to
 * wait for the global budget (the transport's pacer reports `pacedMs`; with
 * job workers the budget is shared across threads, so another job's use shows
 * here too) and nothing was answered 429, one more channel starts; a 429
 * halves the target (workers over it retire after their current channel), and
 * it grows again only after a quiet interval. File downloads do not count:
 * CDN hosts are outside the global limit.
 *
 * Growing until sends wait, rather than until a measured rate nears the
 * limit, keeps a few channels more than the budget needs: the pacer spaces
 * every send, so they cost only a page of memory each, and they keep the
 * budget in use to the end of the backup instead of leaving a tail where one
 * or two channels run alone at their own bucket's pace.
 */
export class ChannelConcurrency {
  private target: number;
  private active = 0;
  private readonly running: Promise<void>[] = [];
  /** Most workers that ran at once: the report's figure. */
  peak = 0;

  constructor(private readonly options: ChannelConcurrencyOptions) {
    this.target = Math.max(1, Math.min(options.start, options.max));
  }

  /**
   * Runs `worker` in as many copies as the budget allows while `hasWork()`;
   * each copy calls `keepGoing()` between two channels and returns when it says no.
   */
  async run(worker: (keepGoing: () => boolean) => Promise<void>, hasWork: () => boolean): Promise<void> {
    let paced = 0;
    let limited = 0;
    const onRequest = (event: RequestEvent) => {
      if (event.source !== 'api') return;
      if ((event.pacedMs ?? 0) > 0) paced++;
      if (event.status === 429) limited++;
    };
    this.options.budget.events.on('request', onRequest);
    const launch = () => {
      this.active++;
      this.peak = Math.max(this.peak, this.active);
      let counted = true;
      const leave = () => {
        if (counted) this.active--;
        counted = false;
      };
      // Over the target: this worker retires now (counted out at once, so only as many retire as needed).
      const keepGoing = () => {
        if (this.active <= this.target) return true;
        leave();
        return false;
      };
      this.running.push(worker(keepGoing).finally(leave));
    };
    const intervalMs = this.options.intervalMs ?? 500;
    const timer = setInterval(() => {
      if (limited > 0) this.target = Math.max(1, Math.floor(this.target / 2));
      else if (paced === 0 && this.target < this.options.max && this.active >= this.target && hasWork()) {
        this.target++;
        launch();
      }
      paced = 0;
      limited = 0;
    }, intervalMs);
    try {
      for (let i = 0; i < this.target; i++) launch();
      // Workers started later join the list: wait until every one has returned.
      let waited = 0;
      while (waited < this.running.length) {
        const batch = this.running.slice(waited);
        waited = this.running.length;
        await Promise.all(batch);
      }
    } finally {
      clearInterval(timer);
      this.options.budget.events.off('request', onRequest);
    }
  }
}
