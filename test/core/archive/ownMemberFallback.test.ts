/**
 * The bot's own member (its roles) is what per-channel permissions are
 * computed from. When Discord will not hand it over (a 403, a 5xx that
 * outlives its retries), the backup falls back instead of failing whole: the
 * server-wide permissions come from /users/@me/guilds, every channel is
 * tried, and what Discord refuses is reported as unreadable.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { syncArchive } from '../../../src/core/archive';
import { backupGuild } from '../../../src/core/jobs/backup';
import { VaultStore } from '../../../src/core/vault';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { clientFor, expectMatchesWorld, tempVault } from './emulatorHarness';
import { tempDir } from '../../support/tempDir';

const OWN_MEMBER = '/guilds/{guild_id}/members/{user_id}';

describe('a backup whose bot cannot read its own member', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let guildId: string;
  before(async () => {
    emu = await startEmulator({ seed: 14, size: 'small', rateLimits: false });
    guildId = emu.guildIds[0]!;
  });
  after(async () => emu.close());
  beforeEach(() => {
    emu.faults.clear();
    emu.requestLog.clear();
  });

  for (const [label, fault] of [
    ['403 Missing Access', () => emu.faults.answer({ route: OWN_MEMBER, status: 403, headers: { 'Content-Type': 'application/json' }, body: '{"message":"Missing Access","code":50001}', times: 1000 })],
    ['500 on every attempt', () => emu.faults.serverError({ route: OWN_MEMBER, status: 500, times: 1000 })],
  ] as const) {
    it(`archives every readable channel all the same (${label}), and reports the others as unreadable`, async () => {
      const normal = tempVault('gv-member-');
      const fallback = tempVault('gv-member-');
      try {
        const expected = await syncArchive(normal, clientFor(emu), guildId, { recheckDays: 0, downloadMedia: false });
        fault();
        emu.requestLog.clear();
        const report = await syncArchive(fallback, clientFor(emu), guildId, { recheckDays: 0, downloadMedia: false });
        assert.ok(emu.requestLog.count({ route: OWN_MEMBER }) > 0, 'the member was asked for');
        assert.equal(emu.requestLog.count({ route: OWN_MEMBER, status: 200 }), 0, 'and never given');
        assert.deepEqual(report.failed, [], 'no channel failed');
        expectMatchesWorld(fallback, emu, guildId, assert.deepEqual);
        assert.ok(report.problems.some((p) => /own member could not be read/.test(p)), report.problems.join('\n'));
        // The channels the bot cannot read are the same ones, found by trying instead of computing.
        const ids = (r: { unreadable: { id: string }[] }) => r.unreadable.map((c) => c.id).sort();
        assert.deepEqual(ids(report), ids(expected));
        assert.ok(ids(expected).length > 0, 'the demo layout hides some channels from the bot');
      } finally {
        for (const vault of [normal, fallback]) {
          const dir = vault.dir;
          vault.close();
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }
    });
  }

  it('a whole backup (snapshot and archive) completes', async () => {
    emu.faults.answer({ route: OWN_MEMBER, status: 403, headers: { 'Content-Type': 'application/json' }, body: '{"message":"Missing Access","code":50001}', times: 1000 });
    const root = tempDir('gv-member-backup-');
    try {
      const report = await backupGuild(new VaultStore(root), clientFor(emu), guildId, { recheckDays: 0, downloadMedia: false });
      assert.ok(report.snapshot, report.snapshotError);
      assert.deepEqual(report.archive.failed, []);
      assert.ok(report.archive.messages.inserted > 100);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
