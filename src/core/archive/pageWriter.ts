import type { Vault } from '../vault';

/**
 * Writes the pages that channels fetched in parallel in shared transactions.
 *
 * Each page still goes in with its cursor, atomically (a savepoint of its own),
 * but the pages that arrive in the same turn of the event loop share one commit:
 * a commit rewrites every database page it touched (the users, media and index
 * pages all channels share), so eight channels committing separately cost up to
 * eight times that. Bounded, so one flush stays a short synchronous step.
 */
export class PageWriter {
  private queue: { work: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    private readonly vault: Vault,
    private readonly maxPagesPerCommit = 4,
  ) {}

  /** Runs `work` inside a transaction shared with other pages written now; resolves with its result. */
  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /**
   * Flushes only from setImmediate, never inside write(): the channels whose
   * next page was already fetched continue in the same microtask run, and
   * flushing there would chain their transactions into one long stall. This way
   * timers and I/O get their turn between two commits.
   */
  private schedule(): void {
    if (this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxPagesPerCommit);
    this.schedule(); // the rest, next turn
    if (batch.length === 0) return;
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.vault.transaction(() => {
        for (const item of batch) {
          try {
            // A savepoint per page: a page that fails leaves the others (and its cursor) untouched.
            outcomes.push({ ok: true, value: this.vault.transaction(item.work) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error); // the commit itself failed: nothing was written
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}
