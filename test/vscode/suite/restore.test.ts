// Restore Structure… on a snapshot: the demo server's snapshot restored into the emulator's sandbox
// server, checked through the emulator's API: the preview diff, nothing without a confirmation,
// "keep" creates without deleting, "prune" deletes what the snapshot lacks.
import * as assert from 'node:assert/strict';
import type { RestoreCommandResult } from '../../../src/vscode/restore/restoreCommand';
import { runCommand } from '../helpers/commands';
import { connectTo, discordApi, startTestEmulator, type Emulator } from '../helpers/emulator';
import { freshDir } from '../helpers/files';
import { resetSetting, setSetting } from '../helpers/settings';
import { activeDiffTab, documentText } from '../helpers/tabs';
import { vaultSnapshots } from '../helpers/vault';
import { closeAllEditors } from '../helpers/views';

interface Named {
  id: string;
  name: string;
  managed?: boolean;
  type?: number;
}

describe('Restore Structure', () => {
  let emulator: Emulator;
  let botId: string;
  let vaultRoot: string;
  let demoId: string;
  let sandboxId: string;
  let snapshot: { guildId: string; snapshotId: number };
  let sandboxChannelsBefore: Named[];

  const roles = (guildId: string) => discordApi<Named[]>(emulator, 'GET', `/guilds/${guildId}/roles`);
  const channels = (guildId: string) => discordApi<Named[]>(emulator, 'GET', `/guilds/${guildId}/channels`);
  const names = (list: Named[]) => new Set(list.map((item) => item.name));

  before(async () => {
    emulator = await startTestEmulator({ size: 'demo' });
    [demoId, sandboxId] = emulator.guildIds as [string, string];
    vaultRoot = freshDir('restore-vaults');
    await setSetting('vaultDirectory', vaultRoot);
    const connected = await connectTo(emulator);
    assert.ok(connected);
    botId = connected.id;
    assert.ok(await runCommand('guildVault.takeSnapshot', demoId));
    snapshot = { guildId: demoId, snapshotId: vaultSnapshots(vaultRoot, demoId)[0]!.id };
    sandboxChannelsBefore = await channels(sandboxId);
  });

  after(async () => {
    await closeAllEditors();
    if (botId) await runCommand('guildVault.disconnect', botId, { skipConfirmation: true });
    await resetSetting('vaultDirectory');
    await emulator?.close();
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
