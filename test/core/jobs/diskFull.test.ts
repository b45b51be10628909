import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { runCliInProcess } from '../../cli/runInProcess';

/**
 * A real full disk: a 3 MB tmpfs (the small server's backup needs about 5 MB).
 * Mounting needs root (as in CI and the dev container); elsewhere these tests
 * skip, saying why.
 */
function mountTinyDisk(dir: string, megabytes: number): string | undefined {
  if (process.platform !== 'linux') return 'tmpfs mounts need Linux';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return `cannot mount a tmpfs here (${String((error as { stderr?: Buffer }).stderr ?? error).trim().split('\n')[0]}): needs root`;
  }
}

describe('a backup on a full or read-only disk', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let root: string;
  let disk: string;
  let mounted = false;
  before(async function () {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-disk-'));
    disk = path.join(root, 'disk');
    fs.mkdirSync(disk);
    const refused = mountTinyDisk(disk, 3);
    if (refused) {
      console.log(`      (skipped: ${refused})`);
      this.skip();
    }
    mounted = true;
    emu = await startEmulator({ seed: 10, size: 'small', rateLimits: false });
  });
  after(async () => {
    await emu?.close();
    if (mounted) execFileSync('umount', [disk]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  const cli = (...argv: string[]) => runCliInProcess([...argv, '--api', emu.apiBaseUrl, '--cdn', emu.cdnBaseUrl, '--vault', disk], { DISCORD_TOKEN: emu.token }, root);

  it('reports a full disk as a full disk, naming the folder (exit 4), and keeps what was saved', async () => {
    const guildId = emu.guildIds[0]!;
    const run = await cli('backup', guildId);
    assert.equal(run.code, 4, run.stderr);
    assert.match(run.stderr, new RegExp(`disk holding the vault folder ${disk.replace(/[/.]/g, '\\$&')}/${guildId} is full`));
    assert.doesNotMatch(run.stderr, /cancelled|unexpected error/i);
    // What was committed before the disk filled up is still there and readable.
    const health = await cli('verify', guildId);
    assert.notEqual(health.code, 4, `the vault still opens: ${health.stderr}`);
  });

  it('refuses a vault it cannot write with exit 4 before making any request', async () => {
    const guildId = emu.guildIds[0]!;
    execFileSync('mount', ['-o', 'remount,ro', disk]);
    try {
      emu.requestLog.clear();
      const run = await cli('backup', guildId);
      assert.equal(run.code, 4, run.stderr);
      assert.match(run.stderr, /Cannot write to the vault/);
      assert.equal(emu.requestLog.length, 0, 'no request made');
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', disk]);
    }
  });
});
