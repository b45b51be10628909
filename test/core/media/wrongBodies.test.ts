/**
 * A CDN answer that is not the file: a captive portal's HTML page with 200, a
 * body cut short by a proxy. Discord says each attachment's exact size; a
 * download of another size is not that attachment, so it is recorded as
 * failed (and tried again next run), never stored as the file for good.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { syncArchive } from '../../../src/core/archive';
import { MediaPool } from '../../../src/core/media';
import type { Vault } from '../../../src/core/vault';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { clientFor, tempVault } from '../archive/emulatorHarness';

interface Ref {
  id: string;
  status: string;
  size: number | null;
  sha256: string | null;
  problem: string | null;
}

function attachmentRefs(vault: Vault): Ref[] {
  // size: what Discord said the attachment holds (the attachments table), not what was downloaded.
  return vault.db
    .prepare("SELECT CAST(r.owner_id AS TEXT) AS id, r.status, a.size, r.sha256, r.problem FROM media_refs r JOIN attachments a ON a.id = r.owner_id WHERE r.owner_kind = 'attachment' ORDER BY r.owner_id")
    .all() as never;
}

describe('CDN answers that are not the file', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let vault: Vault;
  let guildId: string;

  before(async () => {
    emu = await startEmulator({ seed: 8, size: { channels: 2, messagesPerChannel: 120 }, rateLimits: false });
    guildId = emu.guildIds[0]!;
    vault = tempVault('gv-wrong-bodies-');
  });
  after(async () => {
    const dir = vault.dir;
    vault.close();
    fs.rmSync(dir, { recursive: true, force: true });
    await emu.close();
  });

  it('records an HTML page or a short body as failed, not as the attachment, and stores the real file next run', async () => {
    emu.faults.answer({ route: /^cdn:\/attachments/, status: 200, headers: { 'Content-Type': 'text/html' }, body: '<!doctype html><title>Sign in to the Wi-Fi</title>', times: 2 });
    emu.faults.answer({ route: /^cdn:\/attachments/, status: 200, headers: { 'Content-Type': 'image/png' }, body: '\x89PNG', times: 2 });
    const first = await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0, mediaConcurrency: 1 });
    const refs = attachmentRefs(vault);
    assert.ok(refs.length > 4, `the server has attachments (${refs.length})`);
    assert.equal(emu.requestLog.filter((e) => e.fault === 'answer').length, 4, 'the four wrong answers were served');
    const wrong = refs.filter((r) => r.status !== 'stored');
    assert.equal(wrong.length, 4, JSON.stringify(refs.filter((r) => r.status !== 'stored' || r.size === null)));
    for (const ref of wrong) assert.match(ref.problem ?? '', /bytes.*Discord said/, JSON.stringify(ref));
    assert.equal(first.media.failed, 4);
    const pool = new MediaPool(vault);
    for (const ref of refs.filter((r) => r.status === 'stored')) assert.equal(pool.read(ref.sha256!).length, ref.size, `attachment ${ref.id} is stored whole`);

    await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0 });
    const after = attachmentRefs(vault);
    assert.deepEqual(after.filter((r) => r.status !== 'stored'), [], 'every attachment stored after the next run');
    for (const ref of after) assert.equal(pool.read(ref.sha256!).length, ref.size);
  });
});
