import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ArchiveRuns } from '../../src/core/archive/archiveRuns';
import { LOCK_FILE, Vault } from '../../src/core/vault';
import { startEmulator, type Emulator } from '../../src/emulator';
import { runCliProcess } from './runCli';

describe('guild-vault stopped by SIGTERM (kill, systemd, docker stop)', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let tmp: string;
  before(async () => {
    emu = await startEmulator({ seed: 5, size: 'small', rateLimits: false });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-sigterm-'));
  });
  after(async () => {
    await emu.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('stops like Ctrl+C: exit 143, the lock released, the work kept, and the next backup continues', async () => {
    const guildId = emu.guildIds[0]!;
    const args = ['backup', guildId, '--api', emu.apiBaseUrl, '--cdn', emu.cdnBaseUrl, '--vault', tmp];
    // Slow downloads keep the backup in its media step long enough to be stopped there.
    emu.faults.slow({ route: /^cdn:/, delayMs: 1_500, times: 100_000 });
    let sent = 0;
    const run = await runCliProcess(args, {
      env: { DISCORD_TOKEN: emu.token },
      onSpawn: (child) => {
        let seen = '';
        child.stderr!.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          if (!sent && /files left/.test(seen)) {
            sent = Date.now();
            child.kill('SIGTERM');
          }
        });
      },
    });
    emu.faults.clear();
    assert.ok(sent > 0, `the media step was reached: ${run.stderr}`);
    assert.equal(run.signal, null, 'handled, not killed by the signal');
    assert.equal(run.code, 143, run.stderr);
    assert.match(run.stderr, /Stopping on SIGTERM/);
    assert.match(run.stderr, /cancelled/i);
    assert.ok(Date.now() - sent < 10_000, 'stopped promptly');
    const dir = path.join(tmp, guildId);
    assert.ok(!fs.existsSync(path.join(dir, LOCK_FILE)), 'the vault lock is released');
    const vault = Vault.open(dir, { mode: 'read' });
    try {
      assert.equal(new ArchiveRuns(vault).lastStatus(), 'cancelled');
      assert.ok((vault.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n > 0, 'the messages fetched are kept');
    } finally {
      vault.close();
    }
    const again = await runCliProcess(args, { env: { DISCORD_TOKEN: emu.token } });
    assert.equal(again.code, 0, again.stderr);
  });
});
