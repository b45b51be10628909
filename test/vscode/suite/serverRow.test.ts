// A server's row tells the truth: what a running job is doing ("backing up: channel 13 of 44"),
// with Cancel where Back Up was; afterwards what happened last ("incomplete: cancelled",
// "backed up just now", "synced just now"), with Resume on the cancelled job's notification. A
// job refreshes only its own row, and every row knows its parent so the view can reveal it.
import * as assert from 'node:assert/strict';
import { runCommand, startCommand } from '../helpers/commands';
import { useConnectedEmulator } from '../helpers/connectedEmulator';
import { activateGuildVault } from '../helpers/extension';
import { resetSetting, setSetting } from '../helpers/settings';
import { findItem, readServersTree, type ShownItem } from '../helpers/tree';
import { parts, requireUi, ui } from '../helpers/ui';
import { clearNotifications, showNotifications, showServersView } from '../helpers/views';
import { waitFor } from '../helpers/wait';

describe('A server row', () => {
  const env = useConnectedEmulator('row-vaults', { size: 'demo', rateLimits: true });
  let otherGuildId: string;
  let serverName: string;

  before(async () => {
    otherGuildId = env.emulator.guildIds[1]!;
    serverName = env.emulator.world.guild(env.guildId)!.guild.name;
    await clearNotifications();
  });

  after(() => resetSetting('backup.autoIntervalHours'));

  async function row(id = env.guildId): Promise<ShownItem> {
    return findItem(await readServersTree(/^connection/, 1), (item) => item.id === `server:${env.botId}:${id}`, 'the server row');
  }

  it('says a snapshot alone is not a backup', async () => {
    assert.equal((await row()).description, 'not backed up');
    assert.ok(await runCommand('guildVault.takeSnapshot', env.guildId));
    assert.equal((await row()).description, 'snapshot just now, messages not synced');
  });

  it('shows what a running backup does, refreshing only its own row, and offers Cancel inline', async function () {
    requireUi(this);
    this.timeout(90_000);
    env.emulator.rateLimits.setGlobalPerSecond(5); // slow enough to watch
    const tree = (await activateGuildVault()).serversTree;
    const fired: unknown[] = [];
    const listener = tree.onDidChangeTreeData!((node) => fired.push(node));
    await showServersView();
    const backup = startCommand('guildVault.backUpServer', env.guildId);
    try {
      const busy = await waitFor('the row to say what the backup does', async () => {
        const item = await row();
        return /^backing up: channel \d+ of \d+$/.test(item.description) ? item : undefined;
      }, 60_000);
      assert.match(busy.contextValue, /\.busy\b/);
      // On screen: the row's inline button is Cancel, not Back Up.
      await ui.hover(parts.serversRows, serverName);
      const inline = await ui.texts(`${parts.serversRows}:has-text("${serverName}") .actions .action-label`).catch(() => []);
      const labels = await ui.texts(`${parts.serversRows}:has-text("${serverName}") .actions .action-label[aria-label^="Cancel Running Backup"]`);
      assert.equal(labels.length, 1, `inline actions: ${inline.join(', ')}`);
      assert.equal((await ui.texts(`${parts.serversRows}:has-text("${serverName}") .actions .action-label[aria-label^="Back Up Server"]`)).length, 0);
      assert.ok(!fired.includes(undefined), 'a running job never rebuilds the whole tree');
      assert.ok(fired.length > 0, 'the row was refreshed while the job ran');
      await ui.click(`${parts.serversRows}:has-text("${serverName}") .actions .action-label[aria-label^="Cancel Running Backup"]`);
      assert.equal(await backup, undefined, 'cancelled');
    } finally {
      listener.dispose();
    }
    await waitFor('the row to say the backup was cancelled', async () => /^incomplete: cancelled just now$/.test((await row()).description));
  });

  it('offers Resume on the cancelled backup\'s notification, which finishes it', async function () {
    requireUi(this);
    this.timeout(90_000);
    env.emulator.rateLimits.setGlobalPerSecond(50);
    await showNotifications();
    await ui.click(`${parts.notification} .monaco-button`, 'Resume');
    await waitFor('the resumed backup to finish', async () => (await row()).description === 'backed up just now', 60_000);
  });

  it('says "synced" after Sync Messages alone', async () => {
    // The newest snapshot belongs to the backup before: this run is a sync.
    assert.ok(await runCommand('guildVault.syncMessages', env.guildId));
    assert.equal((await row()).description, 'synced just now');
    assert.match((await row()).tooltip, /completed/);
  });

  it('can be revealed: every row knows its parent', async () => {
    const api = await activateGuildVault();
    assert.equal(await api.revealServer(env.guildId), true);
    const tree = api.serversTree;
    const item = await row();
    const parent = await tree.getParent!(item.node as never);
    assert.ok(parent, 'a server under a bot has the bot as parent');
    assert.equal((await tree.getTreeItem(parent as never)).id, `connection:${env.botId}`);
  });

  it('gives every row a label for screen readers', async () => {
    const items = await readServersTree(/^(connection|server|snapshots|channels)/, 3);
    const missing = (function walk(list: ShownItem[]): string[] {
      return list.flatMap((item) => [...(item.accessibility ? [] : [item.id || item.label]), ...walk(item.children)]);
    })(items);
    assert.deepEqual(missing, []);
  });

  it('runs the scheduled backup of every server with a vault, skipping a busy one', async function () {
    this.timeout(90_000);
    const api = await activateGuildVault();
    await setSetting('backup.autoIntervalHours', 0.0001); // due after 0.36 s
    // The other server has no vault: the schedule keeps up the servers the user backs up, not every server.
    const later = Date.now() + 60_000;
    assert.equal(await api.runScheduledBackups(later), 1);
    assert.equal((await row(otherGuildId)).description, 'not backed up');
    assert.match((await row()).description, /^backed up just now$/);
    // While a job runs on the server, the schedule leaves it alone.
    env.emulator.rateLimits.setGlobalPerSecond(5);
    const busy = startCommand('guildVault.syncMessages', env.guildId);
    await waitFor('the sync to run', async () => /^syncing/.test((await row()).description));
    assert.equal(await api.runScheduledBackups(later + 60_000), 0);
    env.emulator.rateLimits.setGlobalPerSecond(50);
    await runCommand('guildVault.cancelJob', env.guildId);
    await busy;
    await resetSetting('backup.autoIntervalHours');
  });
});
