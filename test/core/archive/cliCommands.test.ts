import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { runCliInProcess } from '../../cli/runInProcess';
import { MediaPool } from '../../../src/core/media';
import { VaultStore } from '../../../src/core/vault';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { tempDir } from '../../support/tempDir';

describe('archive CLI commands: backup, sync, verify, gc', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let root: string;
  let guildId: string;
  before(async () => {
    emu = await startEmulator({ seed: 10, size: 'small', rateLimits: false });
    guildId = emu.guildIds[0]!;
    root = tempDir('gv-cli-archive-');
  });
  after(async () => {
    await emu.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return runCliInProcess([...argv, '--api', emu.apiBaseUrl, '--cdn', emu.cdnBaseUrl, '--vault', root], { DISCORD_TOKEN: emu.token }, root);
  }

  it('backup takes a snapshot and archives the messages; sync then finds nothing new', async () => {
    const backup = await cli('backup', guildId, '--json');
    assert.equal(backup.code, 0, backup.stderr);
    const report = JSON.parse(backup.stdout);
    assert.ok(report.snapshot?.id >= 1, 'a structure snapshot');
    assert.ok(report.archive.messages.inserted > 300);
    assert.ok(report.archive.media.stored > 0);
    assert.ok(!backup.stdout.includes(emu.token) && !backup.stderr.includes(emu.token));

    const sync = await cli('sync', guildId);
    assert.equal(sync.code, 0, sync.stderr);
    assert.match(sync.stdout, /^0 new messages/m);
    assert.match(sync.stdout, /not readable: #/);
  });

  it('verify reports a corrupt file with exit 1; gc removes what nothing refers to', async () => {
    assert.equal((await cli('verify', guildId)).code, 0);
    const store = new VaultStore(root);
    const vault = store.open(guildId);
    const pool = new MediaPool(vault);
    const victim = (vault.db.prepare('SELECT sha256 FROM media LIMIT 1').get() as { sha256: string }).sha256;
    fs.writeFileSync(pool.pathFor(victim), 'not the original bytes');
    const orphan = await pool.put(Buffer.from('nobody refers to me'));
    vault.close();

    const verify = await cli('verify', guildId);
    assert.equal(verify.code, 1);
    assert.match(verify.stdout, new RegExp(`corrupt: ${victim}`));

    const gc = await cli('gc', guildId);
    assert.equal(gc.code, 0, gc.stderr);
    assert.match(gc.stdout, /Removed 1 unreferenced file \(/);
    assert.ok(!fs.existsSync(pool.pathFor(orphan.sha256)));
  });
});
