import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Job } from '../../../src/core/job';
import { backupGuild } from '../../../src/core/jobs/backup';
import { MediaPool } from '../../../src/core/media';
import { casTempDir } from '../../../src/core/media/casPath';
import { VaultStore } from '../../../src/core/vault';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { clientFor } from '../archive/emulatorHarness';

describe('the next backup repairs the media pool', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let root: string;
  before(async () => {
    emu = await startEmulator({ seed: 10, size: 'small', rateLimits: false });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-repair-'));
  });
  after(async () => {
    await emu.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const verify = async (store: VaultStore, guildId: string) => {
    const vault = store.open(guildId, { mode: 'read' });
    try {
      return await new MediaPool(vault).verify();
    } finally {
      vault.close();
    }
  };

  it('re-downloads what verify found missing or corrupt, and removes half-downloaded files a killed run left in cas/tmp', async () => {
    const guildId = emu.guildIds[0]!;
    const store = new VaultStore(root);
    const client = clientFor(emu);
    await backupGuild(store, client, guildId, { recheckDays: 0 });

    const vault = store.open(guildId, { mode: 'read' });
    const pool = new MediaPool(vault);
    const [missing, corrupt] = (vault.db.prepare("SELECT DISTINCT sha256 FROM media_refs WHERE status = 'stored' AND owner_kind = 'attachment' ORDER BY sha256 LIMIT 2").all() as { sha256: string }[]).map((r) => r.sha256);
    assert.ok(missing && corrupt, 'two stored attachments');
    const original = pool.read(corrupt!);
    fs.rmSync(pool.pathFor(missing!));
    fs.writeFileSync(pool.pathFor(corrupt!), Buffer.alloc(original.length, 0x58)); // same size, other bytes
    const tmp = casTempDir(pool.casDir);
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(path.join(tmp, '99999-deadbeefdeadbeef'), 'half a download');
    vault.close();

    const found = await verify(store, guildId);
    assert.deepEqual(found.missing, [missing]);
    assert.deepEqual(found.corrupt, [corrupt]);

    const logs: string[] = [];
    await backupGuild(store, client, guildId, { recheckDays: 0 }, new Job({ log: (_level, message) => logs.push(message) }));
    const after = await verify(store, guildId);
    assert.equal(after.missingCount + after.corruptCount, 0, `repaired: ${JSON.stringify(after)}`);
    assert.deepEqual(fs.readdirSync(tmp), [], 'cas/tmp is empty');
    assert.ok(logs.some((line) => /downloading again 2 files/.test(line)), logs.join('\n'));
    assert.ok(logs.some((line) => /removed 1 half-downloaded/.test(line)), logs.join('\n'));
    const again = store.open(guildId, { mode: 'read' });
    try {
      assert.deepEqual(new MediaPool(again).read(corrupt!), original, 'the original bytes are back');
    } finally {
      again.close();
    }
  });
});
