/**
 * Discord's attachment links expire. A backup that downloads later than it
 * read the messages (a resumed one, or a vault whose downloads failed) gets
 * fresh links by reading the message again, instead of recording the files
 * as failed for good; a file that is really gone is recorded with its HTTP
 * status (a column, not a string to search) and not retried.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { syncArchive } from '../../../src/core/archive';
import { MediaPool } from '../../../src/core/media';
import type { Vault } from '../../../src/core/vault';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { clientFor, tempVault } from '../archive/emulatorHarness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function attachmentRefs(vault: Vault): { id: string; status: string; http_status: number | null; source_url: string; problem: string | null }[] {
  return vault.db.prepare("SELECT owner_id AS id, status, http_status, source_url, problem FROM media_refs WHERE owner_kind = 'attachment' ORDER BY owner_id").all() as never;
}

describe('expired attachment links', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let vault: Vault;
  let guildId: string;

  beforeEach(async () => {
    emu = await startEmulator({ seed: 8, size: { channels: 2, messagesPerChannel: 120 }, rateLimits: false });
    guildId = emu.guildIds[0]!;
    vault = tempVault('gv-expired-');
  });
  afterEach(async () => {
    const dir = vault.dir;
    vault.close();
    fs.rmSync(dir, { recursive: true, force: true });
    await emu.close();
  });

  /** Archives the messages without media, with links that expire within a second, and waits until they have. */
  async function archiveWithExpiredLinks(): Promise<number> {
    emu.world.attachmentUrlTtlSeconds = 1;
    await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0, downloadMedia: false });
    const count = attachmentRefs(vault).length;
    assert.ok(count > 3, `the server has attachments (${count})`);
    await sleep(2100);
    emu.world.attachmentUrlTtlSeconds = 86_400;
    return count;
  }

  it('downloads files whose links expired by reading their messages again', async () => {
    const count = await archiveWithExpiredLinks();
    emu.requestLog.clear();
    const report = await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0 });
    const refs = attachmentRefs(vault);
    assert.deepEqual(refs.filter((r) => r.status !== 'stored'), [], 'every attachment stored');
    assert.ok(report.media.stored >= count);
    assert.equal(emu.requestLog.count({ route: '/channels/{channel_id}/messages/{message_id}' }), count, 'one message read per expired link');
    assert.equal(emu.requestLog.count({ status: 404 }), 0, 'no expired link was even tried');
  });

  it('tries a fresh link once when the CDN answers 404 for a link that looked valid', async () => {
    await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0, downloadMedia: false });
    const target = attachmentRefs(vault)[0]!;
    emu.faults.answer({ route: new RegExp(`/attachments/\\d+/${target.id}/`), status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'This content is no longer available.', times: 1 });
    emu.requestLog.clear();
    await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0 });
    const after = attachmentRefs(vault).find((r) => r.id === target.id)!;
    assert.equal(after.status, 'stored', JSON.stringify(after));
    assert.equal(emu.requestLog.count({ route: '/channels/{channel_id}/messages/{message_id}' }), 1, 'the message read once for a fresh link');
    assert.equal(emu.requestLog.filter((entry) => entry.path.includes(`/${target.id}/`)).length, 2, 'the refused download and the one with the fresh link');
  });

  it('records a file that is really gone as failed with HTTP 404, and does not retry it next time', async () => {
    await archiveWithExpiredLinks();
    // The message with the first attachment is deleted on the server.
    const gone = attachmentRefs(vault)[0]!;
    const where = vault.db.prepare('SELECT CAST(a.message_id AS TEXT) AS message, CAST(m.channel_id AS TEXT) AS channel FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.id = ?').get(gone.id) as { message: string; channel: string };
    emu.world.messageStore(where.channel)!.delete(where.message);
    const first = await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0 });
    const row = attachmentRefs(vault).find((r) => r.id === gone.id)!;
    assert.equal(row.status, 'failed');
    assert.equal(row.http_status, 404);
    assert.match(row.problem ?? '', /HTTP 404.*a fresh link could not be had/);
    assert.equal(first.media.failed, 1);
    assert.equal(new MediaPool(vault).requeueFailed(), 0, 'a 4xx is not retried');
  });
});
