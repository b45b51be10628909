import { MessageIngest } from '../../src/core/archive';
import { MediaPool } from '../../src/core/media';
import { Vault } from '../../src/core/vault';
import { channelHistories } from './generatedHistory';
import type { World } from '../../src/emulator/world/world';

/**
 * Fills a vault with the first `count - leaveNew` messages of every channel of
 * `world`, straight through the archive's ingest (no HTTP: building millions of
 * messages at Discord's pace would take hours), and records each channel as
 * fully walked up to there, so a sync then fetches only the `leaveNew` newest.
 */
export function buildVault(dir: string, world: World, leaveNew: number, onProgress?: (done: number) => void): number {
  const vault = Vault.open(dir, { purpose: 'benchmark build' });
  let done = 0;
  try {
    const ingest = new MessageIngest(vault, new MediaPool(vault), { cdnBaseUrl: world.cdnBaseUrl });
    const record = vault.db.prepare(
      `INSERT INTO archive_channels (id, type, name, raw, status, newest_id, backfill_done, message_count)
       VALUES (?, 0, ?, '{}', 'ok', ?, 1, ?)`,
    );
    for (const history of channelHistories(world)) {
      const upTo = history.count - leaveNew;
      let newest = '';
      for (let from = 0; from < upTo; from += 1000) {
        vault.transaction(() => {
          for (let page = from; page < Math.min(upTo, from + 1000); page += 100) {
            const messages = history.page(page, Math.min(upTo, page + 100));
            ingest.writePage(history.channelId, messages);
            newest = messages[0]!.id;
          }
        });
        done += Math.min(upTo, from + 1000) - from;
        onProgress?.(done);
      }
      record.run(history.channelId, `bench-${history.channelId}`, newest, upTo);
    }
    vault.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    vault.close();
  }
  return done;
}
