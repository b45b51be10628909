// The bot token is kept in VS Code's secret storage only: never in settings, the vault, the log
// or any other file VS Code or the extension writes, even after it was used for a backup and a
// bad token was refused.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runCommand } from '../helpers/commands';
import { connectTo, startTestEmulator, type Emulator } from '../helpers/emulator';
import { filesContaining, filesUnder, freshDir, testRoot } from '../helpers/files';
import { allSettingValues, resetSetting, setSetting } from '../helpers/settings';
import { requireUi, ui } from '../helpers/ui';
import { waitFor } from '../helpers/wait';

describe('Secrets', () => {
  let emulator: Emulator;
  let vaultRoot: string;
  let botId: string;
  const wrongToken = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.wrong0.this-token-must-not-be-written-anywhere';

  before(async () => {
    emulator = await startTestEmulator();
    vaultRoot = freshDir('secret-vaults');
    await setSetting('vaultDirectory', vaultRoot);
    const connected = await connectTo(emulator);
    assert.ok(connected);
    botId = connected.id;
    assert.ok(await runCommand('guildVault.backUpServer', emulator.guildIds[0]), 'a backup used the token');
    assert.equal(await connectTo(emulator, wrongToken), undefined, 'the wrong token is refused');
    await runCommand('guildVault.showLog');
  });

  after(async () => {
    if (botId) await runCommand('guildVault.disconnect', botId, { skipConfirmation: true });
    await resetSetting('vaultDirectory');
    await emulator?.close();
  });

  it('never writes a token into settings', () => {
    const leaks = allSettingValues().filter((value) => value.includes(emulator.token) || value.includes(wrongToken));
    assert.deepEqual(leaks, []);
  });

  it("writes the connection to the Guild Vault log, without the token", async () => {
    // The log file must exist and hold the connection, or the scan below would prove nothing.
    const log = await waitFor(
      'the Guild Vault log file to mention the connection',
      () => filesUnder(testRoot).find((file) => /Guild Vault\.log$/.test(file) && readFileSync(file, 'utf8').includes('Connected')),
      20_000,
    );
    const text = readFileSync(log, 'utf8');
    assert.ok(!text.includes(emulator.token), 'the good token is not in the log');
    assert.ok(!text.includes(wrongToken), 'the refused token is not in the log');
  });

  it("keeps only the bot's id and name in VS Code's state, not its token", async function () {
    requireUi(this);
    // A browser workbench keeps VS Code's state (each extension's globalState) in the browser.
    const storage = await ui.browserStorage();
    const state = storage.split('\n').find((line) => line.includes('guildVault.connections'));
    assert.ok(state?.includes(botId), 'the connection is in the extension\'s global state');
    assert.ok(!storage.includes(emulator.token), 'the token is in no browser storage');
    assert.ok(!storage.includes(wrongToken));
  });

  it('never writes a token into any file: VS Code data, logs, workspace, vaults', () => {
    assert.deepEqual(filesContaining(testRoot, emulator.token), []);
    assert.deepEqual(filesContaining(testRoot, wrongToken), []);
  });
});
