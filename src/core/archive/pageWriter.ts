import type { Vault } from '../vault';

/** Rows many pages contribute to, written once for all pages of a commit (see PageScope.defer). */
export interface BatchSink<T> {
  write(items: T[]): void;
}

/** What a page's work can hand to the end of its commit. */
export interface PageScope {
  /**
   * Gives `items` to `sink`, which writes them after every page of this
   * commit, in the same transaction; dropped if this page fails. Items of
   * several pages reach the sink together, in page order.
   */
  defer<T>(sink: BatchSink<T>, items: readonly T[]): void;
  /** Runs `undo` if this page's writes are rolled back (it failed, or the commit did). */
  onRollback(undo: () => void): void;
}

export interface PageWriterOptions {
  /**
   * Pages per commit. The archive runs in a job worker (or the CLI), so a
   * longer commit blocks no one's UI; 16 (the default) is the default number
   * of channels fetched at once, so a commit can take one page of each.
   */
  maxPagesPerCommit?: number;
  /** Called after each commit (the sync nudges its background WAL checkpointer: see startWalCheckpointer). */
  afterCommit?: () => void;
}

/**
 * Writes the pages that channels fetched in parallel in shared transactions.
 *
 * Each page still goes in with its cursor, atomically (a savepoint of its own),
 * but the pages that arrive in the same turn of the event loop share one commit:
 * a commit rewrites every database page it touched (the users, media and index
 * pages all channels share), so sixteen channels committing separately cost up
 * to sixteen times that. What the pages defer (their search index entries) is
 * written once, after them: SQLite's full-text index flushes what it holds at
 * every savepoint, so written page by page it would add a segment per page.
 */
export class PageWriter {
  private queue: { work: (scope: PageScope) => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void }[] = [];
  private scheduled = false;
  private readonly maxPagesPerCommit: number;

  constructor(
    private readonly vault: Vault,
    private readonly options: PageWriterOptions = {},
  ) {
    this.maxPagesPerCommit = options.maxPagesPerCommit ?? 16;
  }

  /** Runs `work` inside a transaction shared with other pages written now; resolves with its result. */
  write<T>(work: (scope: PageScope) => T): Promise<T> {
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
    const written = new BatchScope();
    try {
      this.vault.transaction(() => {
        for (const item of batch) {
          const page = new BatchScope();
          try {
            // A savepoint per page: a page that fails leaves the others (and its cursor) untouched.
            outcomes.push({ ok: true, value: this.vault.transaction(() => item.work(page)) });
            written.adopt(page);
          } catch (error) {
            page.rolledBack();
            outcomes.push({ ok: false, error });
          }
        }
        written.writeDeferred();
      });
    } catch (error) {
      written.rolledBack();
      for (const item of batch) item.reject(error); // the commit itself failed: nothing was written
      return;
    }
    this.options.afterCommit?.();
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}

/** The deferred items and rollback handlers of one page, or of every page of a commit that succeeded. */
class BatchScope implements PageScope {
  private readonly deferred = new Map<BatchSink<unknown>, unknown[]>();
  private readonly undos: (() => void)[] = [];

  defer<T>(sink: BatchSink<T>, items: readonly T[]): void {
    const list = this.deferred.get(sink as BatchSink<unknown>);
    if (list) list.push(...items);
    else this.deferred.set(sink as BatchSink<unknown>, [...items]);
  }

  onRollback(undo: () => void): void {
    this.undos.push(undo);
  }

  adopt(page: BatchScope): void {
    for (const [sink, items] of page.deferred) this.defer(sink, items);
    this.undos.push(...page.undos);
  }

  writeDeferred(): void {
    for (const [sink, items] of this.deferred) if (items.length > 0) sink.write(items);
  }

  rolledBack(): void {
    for (const undo of this.undos) undo();
  }
}
