import * as fs from 'node:fs';
import type { Database, Statement } from './database';

/**
 * Read-only opens of an unchanged vault file share one loaded image. On the
 * WASM engine every open reads the whole file into memory; the VS Code tree,
 * transcripts and documents open a vault to read many times a minute, and
 * without this each of those would load it again. An image is reused while
 * the file (and any -wal beside it) is the same inode, size and mtime; a
 * writer's checkpoint renames a new file in, so the next reader loads that.
 * Idle images are dropped after `idleMs`.
 */
interface Entry {
  identity: string;
  db: Database;
  users: number;
  stale: boolean;
  timer?: NodeJS.Timeout;
}

export class SharedReaders {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly idleMs = 30_000) {}

  open(file: string, load: () => Database): Database {
    const identity = fileIdentity(file);
    let entry = this.entries.get(file);
    if (entry && entry.identity !== identity) {
      this.entries.delete(file);
      entry.stale = true;
      this.closeIfUnused(entry);
      entry = undefined;
    }
    if (!entry) {
      entry = { identity, db: load(), users: 0, stale: false };
      this.entries.set(file, entry);
    }
    entry.users++;
    clearTimeout(entry.timer);
    const shared = entry;
    return new ReaderHandle(shared.db, () => {
      shared.users--;
      if (shared.stale) return this.closeIfUnused(shared);
      if (shared.users === 0) {
        shared.timer = setTimeout(() => {
          if (shared.users > 0) return;
          if (this.entries.get(file) === shared) this.entries.delete(file);
          shared.db.close();
        }, this.idleMs);
        shared.timer.unref();
      }
    });
  }

  private closeIfUnused(entry: Entry): void {
    if (entry.users > 0) return;
    clearTimeout(entry.timer);
    entry.db.close();
  }
}

function fileIdentity(file: string): string {
  const part = (name: string) => {
    try {
      const stat = fs.statSync(name);
      return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      return '-';
    }
  };
  return `${part(file)}|${part(`${file}-wal`)}`;
}

/** One reader's view of a shared image: closing it lets go of the image, never closes it under another reader. */
class ReaderHandle implements Database {
  readonly engine = 'wasm' as const;
  private open = true;

  constructor(
    private readonly db: Database,
    private readonly release: () => void,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  get isTransaction(): boolean {
    return this.live().isTransaction;
  }

  prepare(sql: string): Statement {
    return this.live().prepare(sql);
  }

  exec(sql: string): void {
    this.live().exec(sql);
  }

  checkpoint(): void {}

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.release();
  }

  private live(): Database {
    if (!this.open) throw new Error('database is not open');
    return this.db;
  }
}
