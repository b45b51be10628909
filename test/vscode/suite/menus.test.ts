// The Servers view as a person uses it: rows to expand, right-click menus whose entries depend on
// what a node is (online server, oldest or newer snapshot, pinned or not), and a command run
// from such a menu.
import * as assert from 'node:assert/strict';
import { runCommand } from '../helpers/commands';
import { useConnectedEmulator } from '../helpers/connectedEmulator';
import { parts, requireUi, ui } from '../helpers/ui';
import { vaultSnapshots } from '../helpers/vault';
import { clearNotifications, showServersView } from '../helpers/views';
import { waitFor } from '../helpers/wait';

/** A row of the Servers view, by text it shows. */
interface Row {
  text: string;
}
const row = (text: string): Row => ({ text });
const menuItems = '.monaco-menu .action-item:not(.disabled) .action-label';

describe('Servers view menus', () => {
  const env = useConnectedEmulator('menu-vaults');
  let serverName: string;

  before(async function () {
    requireUi(this);
    serverName = env.emulator.world.guild(env.guildId)!.guild.name;
    assert.ok(await runCommand('guildVault.takeSnapshot', env.guildId));
    assert.ok(await runCommand('guildVault.takeSnapshot', env.guildId));
    await clearNotifications(); // an open notifications center would cover the view
    await showServersView();
  });

  after(async () => {
    await ui.press('Escape').catch(() => undefined);
  });

  async function openMenu(target: Row): Promise<string[]> {
    // A row's tooltip (shown while the mouse rests on it) would take the click.
    await ui.hover('.part.sidebar .composite.title');
    await ui.rightClick(parts.serversRows, target.text);
    await ui.waitFor(menuItems);
    const items = await ui.texts(menuItems);
    return items.map((item) => item.trim()).filter(Boolean);
  }

  async function closeMenu(): Promise<void> {
    await ui.press('Escape');
    await ui.waitForHidden('.monaco-menu');
  }

  it('offers the server actions on a connected server with snapshots', async () => {
    await ui.waitFor(parts.serversRows, serverName, 15_000);
    const items = await openMenu(row(serverName));
    await closeMenu();
    for (const expected of ['Back Up Server', 'Sync Messages', 'Take Snapshot', 'Compare Snapshot with Live Server...', 'Compare Two Snapshots...', 'Check Bot Access (Health Report)...', 'Open Vault Folder...']) {
      assert.ok(items.includes(expected), `"${expected}" in [${items.join(', ')}]`);
    }
  });

  it('offers Compare with Previous on a newer snapshot only, Pin on an unpinned one', async () => {
    // Expand the server the keyboard way (a click would toggle): focus it, then the right arrow.
    await openMenu(row(serverName));
    await closeMenu();
    await ui.press('ArrowRight');
    await ui.waitFor(parts.serversRows, '#2 manual', 10_000);
    const newer = await openMenu(row('#2 manual'));
    await closeMenu();
    const oldest = await openMenu(row('#1 manual'));
    await closeMenu();
    assert.ok(newer.includes('Compare with Previous'), newer.join(', '));
    assert.ok(!oldest.includes('Compare with Previous'), oldest.join(', '));
    for (const items of [newer, oldest]) {
      assert.ok(items.includes('Pin Snapshot') && !items.includes('Unpin Snapshot'), items.join(', '));
      assert.ok(items.includes('Delete Snapshot') && items.includes('Label Snapshot...'), items.join(', '));
    }
  });

  it('offers the inline actions of "Snapshots" and "Channels" on their menus too', async () => {
    const snapshots = await openMenu(row('Snapshots'));
    await closeMenu();
    assert.ok(snapshots.includes('Take Snapshot') && snapshots.includes('Compare Two Snapshots...'), snapshots.join(', '));
    const channels = await openMenu(row('Channels'));
    await closeMenu();
    assert.ok(channels.includes('Sync Messages') && channels.includes('Open Transcript...'), channels.join(', '));
  });

  it('pins a snapshot from its menu, after which the menu offers Unpin', async () => {
    await ui.rightClick(parts.serversRows, '#1 manual');
    await ui.chooseMenuItem('Pin Snapshot');
    await waitFor('snapshot #1 to be pinned in the vault', () => vaultSnapshots(env.vaultRoot, env.guildId).find((snapshot) => snapshot.id === 1)?.pinned);
    await waitFor('the menu to offer Unpin', async () => {
      const items = await openMenu(row('#1 manual'));
      await closeMenu();
      return items.includes('Unpin Snapshot') && !items.includes('Pin Snapshot');
    });
  });
});
