import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { APIMessage } from 'discord-api-types/v10';
import { MessageIngest } from '../../src/core/archive';
import { MediaPool } from '../../src/core/media';
import { Vault } from '../../src/core/vault';
import { benchmarkWorld, channelHistories } from './generatedHistory';

/**
 * The archive's ingest (normalized tables, users, media references, raw JSON)
 * against the plainest possible store of the same objects in the same SQLite:
 * one row (id, channel_id, JSON) each. Both get the parsed API objects in pages
 * of 100, one transaction a page, as a sync writes them. Alternating rounds, best
 * of each, so a busy machine disturbs the ratio as little as possible.
 */
export function engineIngestVersusRaw(messages: number, rounds: number): { ingestPerSecond: number; rawPerSecond: number } {
  const [history] = channelHistories(benchmarkWorld(1, messages, 11, 200));
  const pages: APIMessage[][] = [];
  for (let from = 0; from < history!.count; from += 100) pages.push(history!.page(from, Math.min(history!.count, from + 100)));
  let ingestPerSecond = 0;
  let rawPerSecond = 0;
  for (let round = 0; round < rounds; round++) {
    ingestPerSecond = Math.max(ingestPerSecond, timed(messages, (vault) => {
      const ingest = new MessageIngest(vault, new MediaPool(vault), { cdnBaseUrl: 'http://127.0.0.1/cdn' });
      return (page) => ingest.writePage(history!.channelId, page);
    }, pages));
    rawPerSecond = Math.max(rawPerSecond, timed(messages, (vault) => {
      vault.db.exec('CREATE TABLE raw_messages (id INTEGER PRIMARY KEY, channel_id INTEGER NOT NULL, raw TEXT NOT NULL) STRICT');
      const insert = vault.db.prepare('INSERT INTO raw_messages (id, channel_id, raw) VALUES (?, ?, ?)');
      return (page) => {
        for (const message of page) insert.run(message.id, history!.channelId, JSON.stringify(message));
      };
    }, pages));
  }
  return { ingestPerSecond, rawPerSecond };
}

function timed(messages: number, prepare: (vault: Vault) => (page: APIMessage[]) => void, pages: APIMessage[][]): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-bench-ingest-'));
  const vault = Vault.open(dir);
  try {
    const write = prepare(vault);
    const started = performance.now();
    for (const page of pages) vault.transaction(() => write(page));
    return messages / ((performance.now() - started) / 1000);
  } finally {
    vault.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
