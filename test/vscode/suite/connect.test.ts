// Connecting a bot token: checked against the API before anything is stored, a bad one refused
// with a clear message, a good one shows its bot and servers in the tree; Disconnect forgets it.
import * as assert from 'node:assert/strict';
import { runCommand, startCommand } from '../helpers/commands';
import { connectTo, startTestEmulator, type Emulator } from '../helpers/emulator';
import { freshDir } from '../helpers/files';
import { resetSetting, setSetting } from '../helpers/settings';
import { describeTree, readServersTree } from '../helpers/tree';
import { parts, requireUi, ui } from '../helpers/ui';
import { clearNotifications, showNotifications } from '../helpers/views';

describe('Connect Bot Token', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startTestEmulator();
    // An empty vault folder: no offline servers from other tests' vaults in the tree.
    await setSetting('vaultDirectory', freshDir('connect-vaults'));
  });

  after(async () => {
    await resetSetting('apiBaseUrl');
    await resetSetting('vaultDirectory');
    await emulator?.close();
  });

  it('refuses a bad token and stores nothing', async () => {
    const result = await connectTo(emulator, 'not.a-valid.token');
    assert.equal(result, undefined);
    assert.deepEqual(await readServersTree(), []);
  });

  it('refuses a token that cannot be one (a line break, non-ASCII, 100,000 characters) without sending it anywhere', async () => {
    emulator.requestLog.clear();
    for (const token of [`${emulator.token}\r\nX-Injected: 1`, `${emulator.token}\u00e9`, 'x'.repeat(100_000)]) {
      assert.equal(await connectTo(emulator, token), undefined);
    }
    assert.equal(emulator.requestLog.length, 0, 'no request was made');
    assert.deepEqual(await readServersTree(), []);
  });

  it('refuses a bad token typed into its input box, telling the user why', async function () {
    requireUi(this);
    await clearNotifications();
    // Typed into the box, the token goes to the API the setting names.
    await setSetting('apiBaseUrl', emulator.apiBaseUrl);
    const connecting = startCommand('guildVault.connect');
    await ui.waitFor(parts.quickInput, 'Paste the bot token');
    await ui.type('Bot wrong-token-typed-by-hand');
    await ui.press('Enter');
    assert.equal(await connecting, undefined);
    await showNotifications();
    const message = await ui.waitFor(parts.notification, 'Connect Bot Token');
    assert.match(message, /token/i);
    assert.doesNotMatch(message, /wrong-token-typed-by-hand/, 'the notification repeats no token');
    assert.deepEqual(await readServersTree(), []);
  });

  it('connects a good token typed into its input box, through the API the setting names', async function () {
    requireUi(this);
    await setSetting('apiBaseUrl', emulator.apiBaseUrl);
    const connecting = startCommand<{ id: string; servers: number }>('guildVault.connect');
    await ui.waitFor(parts.quickInput, 'Paste the bot token');
    await ui.type(emulator.token);
    await ui.press('Enter');
    const connected = await connecting;
    assert.ok(connected, 'the command returns the connection');
    assert.equal(connected.servers, emulator.guildIds.length);
    assert.equal(await runCommand('guildVault.disconnect', connected.id, { skipConfirmation: true }), true);
  });

  it('connects a good token and shows the bot with its servers', async () => {
    const connected = await connectTo(emulator);
    assert.ok(connected);
    assert.equal(connected.servers, emulator.guildIds.length);
    const tree = await readServersTree(/^connection/, 1);
    const bot = tree.find((item) => item.id === `connection:${connected.id}`);
    assert.ok(bot, `the bot is in the tree:\n${describeTree(tree)}`);
    assert.equal(bot.label, connected.name);
    assert.deepEqual(
      bot.children.map((server) => server.id.split(':').pop()).sort(),
      [...emulator.guildIds].sort(),
      'one server node per guild the bot is in',
    );
    assert.ok(bot.children.every((server) => /^server\.online\b/.test(server.contextValue)));
  });

  it('disconnects: the bot leaves the tree', async () => {
    const tree = await readServersTree(/^$/);
    const bot = tree.find((item) => item.contextValue.startsWith('connection'));
    assert.ok(bot);
    assert.equal(await runCommand('guildVault.disconnect', bot.node, { skipConfirmation: true }), true);
    assert.deepEqual(await readServersTree(), []);
  });
});
