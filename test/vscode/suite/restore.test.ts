// Restore Structure… on a snapshot: the demo server's snapshot restored into the emulator's sandbox
// server, checked through the emulator's API: the preview diff, nothing without a confirmation,
// "keep" creates without deleting, "prune" deletes what the snapshot lacks. Planning and applying
// run in a job worker: the plan that arrives is the engine's own, the vault lock is the worker's,
// and Cancel stops the worker's requests.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { DiscordClient } from '../../../src/core/discord';
import { planRestore } from '../../../src/core/restore';
import { LOCK_FILE, readOwner, VaultStore } from '../../../src/core/vault';
import type { RestoreCommandResult } from '../../../src/vscode/restore/restoreCommand';
import { runCommand, startCommand } from '../helpers/commands';
import { useConnectedEmulator } from '../helpers/connectedEmulator';
import { discordApi } from '../helpers/emulator';
import { activeDiffTab, documentText } from '../helpers/tabs';
import { findItem, readServersTree } from '../helpers/tree';
import { vaultSnapshots } from '../helpers/vault';
import { waitFor } from '../helpers/wait';

interface Named {
  id: string;
  name: string;
  managed?: boolean;
  type?: number;
}

describe('Restore Structure', () => {
  const env = useConnectedEmulator('restore-vaults', { size: 'demo' });
  let demoId: string;
  let sandboxId: string;
  let snapshot: { guildId: string; snapshotId: number };
  let sandboxChannelsBefore: Named[];

  const roles = (guildId: string) => discordApi<Named[]>(env.emulator, 'GET', `/guilds/${guildId}/roles`);
  const channels = (guildId: string) => discordApi<Named[]>(env.emulator, 'GET', `/guilds/${guildId}/channels`);
  const names = (list: Named[]) => new Set(list.map((item) => item.name));

  before(async () => {
    [demoId, sandboxId] = env.emulator.guildIds as [string, string];
    assert.ok(await runCommand('guildVault.takeSnapshot', demoId));
    snapshot = { guildId: demoId, snapshotId: vaultSnapshots(env.vaultRoot, demoId)[0]!.id };
    sandboxChannelsBefore = await channels(sandboxId);
  });

  it('shows the target now and after in a diff, and changes nothing unconfirmed', async () => {
    // No answer given: VS Code refuses the modal under test ("refused to show dialog in tests"),
    // so the command ends there, after the preview, with nothing sent.
    const result = await runCommand<RestoreCommandResult>('guildVault.restoreSnapshot', snapshot, { targetGuildId: sandboxId });
    assert.equal(result, undefined, 'no confirmation, no restore');
    const tab = await activeDiffTab();
    assert.match(tab.label, /^Guild Vault Sandbox: now ↔ after restoring #\d+ .* of Guild Vault Demo$/);
    const [now, after] = [await documentText(tab.original), await documentText(tab.modified)];
    assert.match(now, /^# Restore of snapshot #\d+ of Guild Vault Demo into Guild Vault Sandbox: \d+ actions, \d+ blocked\./);
    assert.match(now, /# Kept, not in the snapshot/, 'the sandbox\'s own channels are listed as kept');
    assert.ok(after.startsWith(now.slice(0, now.indexOf('\n\n'))), 'both sides carry the same header');
    for (const role of await roles(demoId)) {
      if (role.managed || role.id === demoId) continue;
      assert.match(after, new RegExp(`^@${role.name.replace(/[^\w ]/g, '.')} \\((new )?\\d+\\)$`, 'm'), `@${role.name} on the after side`);
    }
    assert.match(after, /\(new \d+\)/, 'what the restore creates is marked new');
    assert.ok(!/\(new \d+\)/.test(now), 'the "now" side is the live sandbox');
    assert.deepEqual(names(await channels(sandboxId)), names(sandboxChannelsBefore), 'the sandbox is untouched');
  });

  it('shows the engine\'s own plan, computed in a job worker (the result crosses the thread whole)', async () => {
    const result = await runCommand<RestoreCommandResult>('guildVault.restoreSnapshot', snapshot, { targetGuildId: sandboxId, answer: 'cancel' });
    assert.ok(result, 'the plan is returned when the modal is cancelled');
    const client = new DiscordClient({ token: env.emulator.token, apiBaseUrl: env.emulator.apiBaseUrl, cdnBaseUrl: env.emulator.cdnBaseUrl });
    try {
      const vault = new VaultStore(env.vaultRoot).open(demoId, { mode: 'read' });
      try {
        assert.deepEqual(result.plan, await planRestore(vault, client, { snapshotId: snapshot.snapshotId, targetGuildId: sandboxId, include: [] }));
      } finally {
        vault.close();
      }
    } finally {
      client.dispose();
    }
    assert.deepEqual(names(await channels(sandboxId)), names(sandboxChannelsBefore), 'a cancelled modal changes nothing');
  });

  it('applies in a job worker, which holds the vault lock; Cancel stops its requests and frees the lock', async function () {
    this.timeout(60_000);
    const lockPath = join(env.vaultRoot, demoId, LOCK_FILE);
    const creates = () => env.emulator.requestLog.filter((entry) => entry.method === 'POST' && entry.path.startsWith(`/guilds/${sandboxId}/`)).length;
    // Each create takes a while, so the restore is still running when Cancel comes.
    env.emulator.faults.slow({ method: 'POST', route: /^\/guilds\/\{guild_id\}\/(roles|channels)$/, delayMs: 300, times: 10_000 });
    try {
      const restore = startCommand<RestoreCommandResult>('guildVault.restoreSnapshot', snapshot, { targetGuildId: sandboxId, answer: 'keep' });
      const holder = await waitFor('the restore to hold the vault lock', () => readOwner(lockPath), 30_000);
      assert.equal(holder.purpose, 'restore');
      assert.equal(holder.pid, process.pid, 'held by the extension host\'s process...');
      assert.notEqual(holder.threadId, threadId, '...from a worker thread, not the extension host\'s');
      await waitFor('the first object to be created', () => creates() > 0, 30_000);
      const row = findItem(await readServersTree(/^connection/, 1), (item) => item.id === `server:${env.botId}:${sandboxId}`, 'the sandbox\'s row');
      assert.match(row.description, /^restoring: step \d+ of \d+$/, 'the target\'s row says what the restore does');
      const cancelledAt = Date.now();
      assert.equal(await runCommand('guildVault.cancelJob', sandboxId), true, 'a job ran on the sandbox');
      const result = await restore;
      const stoppedAfterMs = Date.now() - cancelledAt;
      assert.ok(result, 'the command returns the plan');
      assert.equal(result.report, undefined, 'a cancelled restore has no report');
      assert.ok(stoppedAfterMs < 5_000, `stopped ${stoppedAfterMs} ms after Cancel`);
      assert.ok(!fs.existsSync(lockPath), 'the worker released the vault lock');
      // The request in flight at the cancel is answered (and logged) after its delay; nothing follows it.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const sent = creates();
      const planned = result.plan.actions.filter((action) => !action.blocked && /^(role|channel)\.create$/.test(action.kind)).length;
      assert.ok(sent < planned, `stopped part way (${sent} of ${planned} creates sent)`);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      assert.equal(creates(), sent, 'no request after the worker stopped');
    } finally {
      env.emulator.faults.clear();
    }
  });

  it('restores, keeping the extra channels: the demo roles and channels arrive in the sandbox', async () => {
    const result = await runCommand<RestoreCommandResult>('guildVault.restoreSnapshot', snapshot, { targetGuildId: sandboxId, answer: 'keep' });
    assert.ok(result?.report, 'the restore ran');
    assert.equal(result.plan.prune, false);
    assert.equal(result.report.failed, 0, JSON.stringify(result.report.outcomes.filter((o) => o.status === 'failed')));
    const blocked = new Set(result.plan.actions.filter((action) => action.blocked).map((action) => action.label));
    const sandboxRoles = names(await roles(sandboxId));
    for (const role of await roles(demoId)) {
      if (role.managed || role.id === demoId || blocked.has(`@${role.name}`)) continue;
      assert.ok(sandboxRoles.has(role.name), `role ${role.name} arrived`);
    }
    const sandboxChannels = names(await channels(sandboxId));
    for (const channel of await channels(demoId)) assert.ok(sandboxChannels.has(channel.name), `channel ${channel.name} arrived`);
    for (const channel of sandboxChannelsBefore) assert.ok(sandboxChannels.has(channel.name), `the sandbox's own ${channel.name} is kept`);
  });

  it('a second restore finds nothing left to create', async () => {
    const result = await runCommand<RestoreCommandResult>('guildVault.restoreSnapshot', snapshot, { targetGuildId: sandboxId, answer: 'cancel' });
    assert.ok(result);
    assert.deepEqual(result.plan.actions.filter((action) => action.kind.endsWith('.create') && !action.blocked).map((action) => action.label), []);
  });

  it('restores and deletes what the snapshot lacks only on that explicit choice', async () => {
    const result = await runCommand<RestoreCommandResult>('guildVault.restoreSnapshot', snapshot, { targetGuildId: sandboxId, answer: 'prune' });
    assert.ok(result?.report, 'the restore ran');
    assert.equal(result.plan.prune, true);
    assert.equal(result.report.failed, 0);
    const demoChannels = names(await channels(demoId));
    const left = names(await channels(sandboxId));
    for (const channel of sandboxChannelsBefore) {
      if (!demoChannels.has(channel.name)) assert.ok(!left.has(channel.name), `${channel.name} was deleted`);
    }
    assert.deepEqual(left, demoChannels, 'the sandbox now has exactly the demo\'s channels');
  });
});
