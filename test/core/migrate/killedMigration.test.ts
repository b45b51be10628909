import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MigrateReport } from '../../../src/core/migrate';
import type { VaultStore } from '../../../src/core/vault';
import { guildSpecsForSize, startEmulator, type Emulator, type RequestLogEntry } from '../../../src/emulator';
import { backedUpAndRestored, mapped, mappedChannel, replayedSourceIds, targetMessages } from './migrationHarness';

type Kill = (entry: RequestLogEntry) => boolean;

describe('migrate: kill -9 mid-migration, then resume', function () {
  this.timeout(240_000);
  let emu: Emulator;
  let store: VaultStore;
  let sourceGuildId: string;
  let targetGuildId: string;

  before(async () => {
    const [demo, sandbox] = guildSpecsForSize('demo');
    emu = await startEmulator({ seed: 22, guilds: [{ ...demo!, messageScale: 0.15 }, { ...sandbox!, botOwnsGuild: true }], rateLimits: false });
    targetGuildId = emu.guildIds[1]!;
    ({ store, sourceGuildId } = await backedUpAndRestored(emu, targetGuildId, { restoreThreads: false }));
  });
  after(async () => {
    await emu.close();
    fs.rmSync(store.root, { recursive: true, force: true });
  });

  /**
   * Runs the migration in a child process. With `kill`, the child is killed
   * (SIGKILL) the moment the emulator has answered the request `kill` picks:
   * the message is in the target, the child has not recorded it yet.
   */
  async function runChild(kill?: Kill): Promise<{ killed: boolean; report?: MigrateReport }> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'migrateChild.ts')], {
      env: { ...process.env, GV_TOKEN: emu.token, GV_API: emu.apiBaseUrl, GV_CDN: emu.cdnBaseUrl, GV_SOURCE: sourceGuildId, GV_TARGET: targetGuildId, GV_VAULTS: store.root },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const log = emu.requestLog;
    const record = log.record.bind(log);
    if (kill) {
      log.record = (entry) => {
        record(entry);
        if (entry.status === 200 && kill(entry)) {
          child.kill('SIGKILL');
          log.record = record;
        }
      };
    }
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, sig) => resolve(sig)));
    log.record = record;
    if (signal === 'SIGKILL') return { killed: true };
    const done = /^done (.*)$/m.exec(stdout);
    assert.ok(done, `the child finished without a report: ${stderr}`);
    return { killed: false, report: JSON.parse(done[1]!) as MigrateReport };
  }

  const isExecute = (entry: RequestLogEntry) => entry.method === 'POST' && entry.route === '/webhooks/{webhook_id}/{webhook_token}';
  const nthExecute = (n: number): Kill => {
    let seen = 0;
    return (entry) => isExecute(entry) && ++seen === n;
  };
  /** The request that opens a forum post (no thread_id, into a forum's webhook). */
  const newForumPost: Kill = (entry) => {
    if (!isExecute(entry) || entry.path.includes('thread_id=')) return false;
    const hookId = /^\/webhooks\/(\d+)\//.exec(entry.path)?.[1];
    const hook = emu.world.guild(targetGuildId)!.webhooks.get(hookId ?? '');
    return emu.world.guild(targetGuildId)!.channels.get(hook?.channel_id ?? '')?.type === 15;
  };

  it('sends every message exactly once across four killed runs and a final one', async () => {
    for (const kill of [nthExecute(3), nthExecute(60), newForumPost, nthExecute(90)]) {
      const run = await runChild(kill);
      assert.ok(run.killed, `the run was killed (it finished: ${JSON.stringify(run.report?.summary)})`);
    }
    const final = await runChild();
    assert.ok(final.report!.recoveredInFlight >= 1, 'the message in flight at the last kill was found in the target, not sent again');

    const vault = store.open(sourceGuildId, { mode: 'read', purpose: 'check' });
    try {
      assert.equal((vault.db.prepare("SELECT count(*) AS n FROM id_map WHERE kind = 'message-inflight'").get() as { n: number }).n, 0, 'nothing left in flight');
      const channels = vault.db.prepare('SELECT CAST(id AS TEXT) AS id, name, type FROM archive_channels').all() as Array<{ id: string; name: string; type: number }>;
      let total = 0;
      for (const c of channels) {
        const sourceIds = replayedSourceIds(vault, c.id);
        if (sourceIds.length === 0 || c.type === 2) continue;
        const target = mappedChannel(vault, c.id, targetGuildId)!;
        const arrived = (await targetMessages(emu, target)).filter((m) => m.webhook_id);
        assert.deepEqual(arrived.map((m) => m.id), sourceIds.map((id) => mapped(vault, 'message', id, targetGuildId)), `${c.name}: each message once, in order`);
        total += arrived.length;
      }
      const forumPosts = [...emu.world.guild(targetGuildId)!.threads.values()].filter((t) => emu.world.guild(targetGuildId)!.channels.get(t.parent_id!)?.type === 15);
      assert.equal(new Set(forumPosts.map((p) => p.name)).size, forumPosts.length, 'no forum post opened twice');
      assert.ok(total > 300, `${total} messages`);
    } finally {
      vault.close();
    }
  });
});
