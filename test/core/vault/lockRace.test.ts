/**
 * The vault lock under contention, with real processes: never two holders at
 * once, whether they race for a free lock or for a stale one left by a killed
 * process; a young empty lock counts as held; `guild-vault unlock` shows the
 * owner and refuses a live one without --force.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isGuildVaultError } from '../../../src/core/errors';
import { inspectLock, LOCK_FILE, Vault, VaultLock } from '../../../src/core/vault';
import { lockFingerprint, removeStaleLock } from '../../../src/core/vault/lock';
import { runCliInProcess } from '../../cli/runInProcess';
import { tempDir } from '../../support/tempDir';

const CONTENDERS = 6;

/** Runs the contenders; resolves with the hold log and each one's counts. */
async function race(lockPath: string, logPath: string, rounds: number, holdMs: number): Promise<{ log: string[]; results: { held: number; refused: number }[] }> {
  const startAt = Date.now() + 5000; // time for every child to start, even on a loaded machine
  const children = Array.from({ length: CONTENDERS }, () =>
    spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'lockChild.ts'), lockPath, logPath, String(rounds), String(startAt), String(holdMs)], { stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const results = await Promise.all(
    children.map(
      (child) =>
        new Promise<{ held: number; refused: number }>((resolve, reject) => {
          let out = '';
          let err = '';
          child.stdout.on('data', (chunk) => (out += chunk));
          child.stderr.on('data', (chunk) => (err += chunk));
          child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`contender exited ${code}: ${err}`))));
        }),
    ),
  );
  return { log: fs.readFileSync(logPath, 'utf8').trim().split('\n').filter(Boolean), results };
}

/** Every "in" is followed by the same process's "out" before anyone else's "in". */
function assertNoOverlap(log: string[]): void {
  for (let i = 0; i < log.length; i += 2) {
    const [inWord, inPid] = log[i]!.split(' ');
    const [outWord, outPid] = (log[i + 1] ?? '').split(' ');
    assert.equal(inWord, 'in', `line ${i}: ${log.slice(Math.max(0, i - 2), i + 3).join(' | ')}`);
    assert.equal(outWord, 'out', `two holders at once: ${log.slice(Math.max(0, i - 2), i + 3).join(' | ')}`);
    assert.equal(inPid, outPid, `two holders at once: ${log.slice(Math.max(0, i - 2), i + 3).join(' | ')}`);
  }
}

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('vault lock', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = tempDir('gv-lock-')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is never held by two processes at once when they race for it', async () => {
    const { log, results } = await race(path.join(dir, LOCK_FILE), path.join(dir, "log"), 100, 0);
    assertNoOverlap(log);
    const held = results.reduce((n, r) => n + r.held, 0);
    const refused = results.reduce((n, r) => n + r.refused, 0);
    assert.equal(log.length, held * 2);
    assert.ok(held > 0 && refused > 0, `the race happened: ${held} holds, ${refused} refusals`);
    assert.ok(!fs.existsSync(path.join(dir, LOCK_FILE)), 'the last holder released it');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['log'], 'no temporary files left');
  });

  it('is held by one process at a time when several find the same stale lock at once', async () => {
    const lockPath = path.join(dir, LOCK_FILE);
    for (let round = 0; round < 1; round++) {
      fs.writeFileSync(lockPath, JSON.stringify({ pid: deadPid(), hostname: os.hostname(), acquiredAt: '2020-01-01T00:00:00.000Z' }));
      const logPath = path.join(dir, `log${round}`);
      const { log, results } = await race(lockPath, logPath, 1, 1000);
      assertNoOverlap(log);
      // Each tries once while the winner holds it for a second: the others are refused (on a loaded
      // machine a contender may start after the hold and take the lock in turn: never at the same time).
      assert.ok(results.some((r) => r.held === 1), JSON.stringify(results));
      assert.ok(results.some((r) => r.refused === 1), `the race happened: ${JSON.stringify(results)}`);
    }
  });

  it('leaves a fresh lock alone when a slower process goes on to remove the stale one it saw (the takeover race, step by step)', () => {
    const lockPath = path.join(dir, LOCK_FILE);
    fs.writeFileSync(lockPath, JSON.stringify({ pid: deadPid(), hostname: os.hostname(), acquiredAt: '2020-01-01T00:00:00.000Z' }));
    // B judges the lock stale and remembers which file it judged...
    const judged = lockFingerprint(lockPath)!;
    assert.equal(inspectLock(lockPath).state, 'stale');
    // ...meanwhile A takes it over and now holds a fresh lock...
    const a = VaultLock.acquire(lockPath, 'A');
    try {
      // ...and B, resuming, must not remove A's lock.
      removeStaleLock(lockPath, judged);
      assert.equal(inspectLock(lockPath).state, 'held');
      assert.throws(() => VaultLock.acquire(lockPath, 'B'), (e: unknown) => isGuildVaultError(e, 'VAULT_LOCKED'));
    } finally {
      a.release();
    }
    assert.deepEqual(fs.readdirSync(dir), [], 'no guard or temporary file left');
  });

  it('counts a young empty lock as held (a writer between creating and writing it), and an old one as debris', () => {
    const lockPath = path.join(dir, LOCK_FILE);
    fs.writeFileSync(lockPath, '');
    assert.throws(() => VaultLock.acquire(lockPath), (e: unknown) => isGuildVaultError(e, 'VAULT_LOCKED') && /taking the vault lock right now/.test((e as Error).message));
    assert.equal(fs.readFileSync(lockPath, 'utf8'), '', 'left alone');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lockPath, old, old);
    VaultLock.acquire(lockPath).release();
    assert.ok(!fs.existsSync(lockPath));
  });

  it('guild-vault unlock shows the owner, removes a stale lock, and refuses a live one unless --force', async () => {
    const guildId = '123456789012345678';
    Vault.open(path.join(dir, guildId)).close();
    const lockPath = path.join(dir, guildId, LOCK_FILE);
    const cli = (args: string[]) => runCliInProcess(['unlock', guildId, '--vault', dir, ...args], {}, dir);

    const free = await cli([]);
    assert.equal(free.code, 0);
    assert.match(free.stdout, /is not locked/);

    const pid = deadPid();
    fs.writeFileSync(lockPath, JSON.stringify({ pid, hostname: os.hostname(), acquiredAt: '2020-01-01T00:00:00.000Z', purpose: 'backup' }));
    const stale = await cli([]);
    assert.equal(stale.code, 0, stale.stderr);
    assert.match(stale.stderr, new RegExp(`held by process ${pid} on .* \\(backup\\), since 2020-01-01.*no longer running`));
    assert.equal(inspectLock(lockPath).state, 'free');

    // Another machine's lock (a shared drive): its owner cannot be checked, so it is respected.
    fs.writeFileSync(lockPath, JSON.stringify({ pid: 4242, hostname: 'other-machine', acquiredAt: '2026-01-01T00:00:00.000Z', purpose: 'backup' }));
    const live = await cli([]);
    assert.equal(live.code, 4);
    assert.match(live.stderr, /in use by process 4242 on other-machine \(backup\)/);
    assert.match(live.stderr, /--force/);
    assert.equal(inspectLock(lockPath).state, 'held');
    const forced = await cli(['--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(inspectLock(lockPath).state, 'free');

    const vault = Vault.open(path.join(dir, guildId), { purpose: 'backup' });
    try {
      const own = await cli([]);
      assert.equal(own.code, 4, 'a lock this very process holds is live');
    } finally {
      vault.close();
    }
  });
});
