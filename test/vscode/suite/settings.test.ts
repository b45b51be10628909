// Settings a user changes are honoured: where vaults go (default: this workspace's storage),
// privacy aliases in transcripts, automatic snapshots. (The API address and retention are
// covered in connect.test.ts and snapshots.test.ts.)
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { MediaPool } from '../../../src/core/media';
import { DEFAULTS, listArchivedChannels } from '../../../src/vscode/engine';
import { readSettings } from '../../../src/vscode/settings/settings';
import { SETTING_DEFAULTS, settingDefault, type SettingKey } from '../../../src/vscode/settings/settingDefaults';
import { runCommand } from '../helpers/commands';
import { connectTo, discordApi, startTestEmulator, type Emulator } from '../helpers/emulator';
import { freshDir, testRoot, vaultDirsUnder } from '../helpers/files';
import { resetSetting, setSetting } from '../helpers/settings';
import { readVault, vaultSnapshots } from '../helpers/vault';
import { closeAllEditors } from '../helpers/views';
import { waitFor } from '../helpers/wait';

describe('Settings', () => {
  let emulator: Emulator;
  let botId: string;
  let guildId: string;

  before(async () => {
    emulator = await startTestEmulator();
    guildId = emulator.guildIds[0]!;
    const connected = await connectTo(emulator);
    assert.ok(connected);
    botId = connected.id;
  });

  after(async () => {
    if (botId) await runCommand('guildVault.disconnect', botId, { skipConfirmation: true });
    for (const key of ['vaultDirectory', 'privacy.aliases', 'snapshots.autoIntervalHours', 'media.maxFileSizeMB']) await resetSetting(key);
    await emulator?.close();
    await closeAllEditors();
  });

  it("contributes the engine's defaults, and holds a value out of range to the engine's range", async () => {
    const config = vscode.workspace.getConfiguration('guildVault');
    for (const key of Object.keys(SETTING_DEFAULTS) as SettingKey[]) {
      const engine: unknown = settingDefault(key);
      const expected = typeof engine === 'object' && engine !== null ? (engine as { value: unknown }).value : engine;
      assert.deepEqual(config.inspect(key)?.defaultValue, expected, `guildVault.${key} as VS Code loaded it`);
    }
    try {
      await setSetting('concurrency', DEFAULTS.channelConcurrency.max + 10);
      assert.equal(readSettings().concurrency, DEFAULTS.channelConcurrency.max);
      await setSetting('concurrency', 'many');
      assert.equal(readSettings().concurrency, DEFAULTS.channelConcurrency.value, 'a value of the wrong type reads as the default');
    } finally {
      await resetSetting('concurrency');
    }
  });

  it('keeps vaults in the workspace storage when guildVault.vaultDirectory is empty', async () => {
    await resetSetting('vaultDirectory');
    assert.ok(await runCommand('guildVault.takeSnapshot', guildId));
    // Other tests chose their own vault folders (under the test root too): look at VS Code's storage.
    const vaults = vaultDirsUnder(join(testRoot, 'user-data')).filter((dir) => dir.endsWith(`/${guildId}`));
    assert.equal(vaults.length, 1, `one vault for the server in VS Code's storage: ${vaults.join(', ')}`);
    assert.match(vaults[0]!, /workspaceStorage/);
  });

  it('keeps vaults in guildVault.vaultDirectory when set', async () => {
    const root = freshDir('chosen-vaults');
    await setSetting('vaultDirectory', root);
    assert.ok(await runCommand('guildVault.takeSnapshot', guildId));
    assert.equal(vaultSnapshots(root, guildId).length, 1);
  });

  it('shows authors as privacy aliases in transcripts when guildVault.privacy.aliases is on', async () => {
    const root = freshDir('alias-vaults');
    await setSetting('vaultDirectory', root);
    assert.ok(await runCommand('guildVault.backUpServer', guildId));
    const channel = readVault(root, guildId, (vault) => listArchivedChannels(vault))
      .filter((candidate) => candidate.messageCount > 0)
      .sort((a, b) => a.messageCount - b.messageCount)[0]!;
    const open = async (): Promise<string> => {
      const uri = await runCommand<vscode.Uri>('guildVault.openTranscript', { guildId, channelId: channel.id });
      assert.ok(uri);
      return (await vscode.workspace.openTextDocument(uri)).getText();
    };
    await setSetting('privacy.aliases', false);
    const plain = await open();
    await setSetting('privacy.aliases', true);
    const aliased = await open();
    assert.notEqual(aliased, plain, 'the transcript changes');
    // The authors as Discord names them (the emulator's API is the ground truth).
    const messages = await discordApi<{ author: { username: string; global_name?: string | null } }[]>(emulator, 'GET', `/channels/${channel.id}/messages?limit=100`);
    const authors = [...new Set(messages.flatMap((message) => [message.author.global_name, message.author.username]).filter((name): name is string => Boolean(name)))];
    assert.ok(authors.some((name) => plain.includes(name)), 'the plain transcript names its authors');
    const left = authors.filter((name) => aliased.includes(name) && !channel.name.includes(name));
    assert.deepEqual(left, [], 'no real author name in the aliased transcript');
  });

  it('skips media larger than guildVault.media.maxFileSizeMB, and records the skip', async () => {
    const mediaRefs = (root: string) => readVault(root, guildId, (vault) => new MediaPool(vault).stats().refs);
    const capped = freshDir('capped-vaults');
    await setSetting('vaultDirectory', capped);
    await setSetting('media.maxFileSizeMB', 0.001); // about 1 KB
    assert.ok(await runCommand('guildVault.backUpServer', guildId));
    const uncapped = freshDir('uncapped-vaults');
    await setSetting('vaultDirectory', uncapped);
    await resetSetting('media.maxFileSizeMB'); // 50 MB
    assert.ok(await runCommand('guildVault.backUpServer', guildId));
    const withCap = mediaRefs(capped);
    const withoutCap = mediaRefs(uncapped);
    assert.ok(withCap.skipped > 0, `skipped with a 1 KB cap: ${JSON.stringify(withCap)}`);
    assert.equal(withoutCap.skipped, 0, `skipped with the default cap: ${JSON.stringify(withoutCap)}`);
    assert.ok(withoutCap.stored > withCap.stored, 'without the cap more files are stored');
  });

  it('takes automatic snapshots while VS Code runs when guildVault.snapshots.autoIntervalHours is set', async function () {
    this.timeout(180_000);
    const root = freshDir('auto-vaults');
    await setSetting('vaultDirectory', root);
    assert.ok(await runCommand('guildVault.takeSnapshot', guildId));
    const [manual] = vaultSnapshots(root, guildId);
    await setSetting('snapshots.autoIntervalHours', 0.0001); // due after 0.36 s; the first check runs ~30 s after the change
    // Nothing changed on the server: the check stores nothing and marks the newest snapshot as still current.
    await waitFor('the schedule to check the unchanged server', () => vaultSnapshots(root, guildId).find((snapshot) => snapshot.id === manual!.id && snapshot.checkedAt > manual!.createdAt), 75_000);
    assert.deepEqual(vaultSnapshots(root, guildId).map((snapshot) => snapshot.id), [manual!.id], 'an unchanged server adds no snapshot');
    // A change on the server: the next check stores an automatic snapshot of it.
    await discordApi(emulator, 'PATCH', `/guilds/${guildId}`, { name: 'Renamed Between Checks' });
    const automatic = await waitFor('an automatic snapshot', () => vaultSnapshots(root, guildId).find((snapshot) => snapshot.kind === 'automatic'), 75_000);
    assert.equal(automatic.kind, 'automatic');
    assert.equal(automatic.summary.changed, 1, 'the renamed server');
    await resetSetting('snapshots.autoIntervalHours');
  });
});
