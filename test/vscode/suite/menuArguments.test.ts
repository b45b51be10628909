// Every command accepts what VS Code actually passes from each place package.json contributes it:
// a view-title command gets the selected row (Connect Bot Token failed with "entered.trim is not a
// function" when a row was selected), an inline or context-menu command gets the row it is on.
// Each contributed place is run with the rows its `when` clause matches, and no run may end in an
// error notification.
import * as assert from 'node:assert/strict';
import { runCommand, startCommand } from '../helpers/commands';
import { useConnectedEmulator } from '../helpers/connectedEmulator';
import { guildVaultExtension } from '../helpers/extension';
import { allItems, readServersTree, type ShownItem } from '../helpers/tree';
import { parts, requireUi, ui } from '../helpers/ui';
import { clearNotifications, closeAllEditors, showNotifications, showServersView } from '../helpers/views';

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

/** The viewItem conditions of a `when` clause, as tests on a row's contextValue. */
function rowMatcher(when: string | undefined): (contextValue: string) => boolean {
  const tests: ((value: string) => boolean)[] = [];
  for (const match of (when ?? '').matchAll(/(!\()?viewItem =~ \/(.+?)\/(?=\)|\s|$)/g)) {
    const pattern = new RegExp(match[2]!);
    const negated = Boolean(match[1]);
    tests.push((value) => pattern.test(value) !== negated);
  }
  return (value) => tests.length > 0 && tests.every((test) => test(value));
}

const errorNotifications = `${parts.notification}:has(.codicon-error)`;

/**
 * Runs a command; whenever it opens an input box, pick or file dialog (as it may, asking for what
 * it needs), dismisses it, until the command ends. An input may come late: a command can read the
 * vault or start a job first, and a loaded machine makes that take seconds.
 */
async function runDismissingInput(command: string, ...args: unknown[]): Promise<void> {
  const running = startCommand(command, ...args);
  let done = false;
  void running.finally(() => (done = true));
  const deadline = Date.now() + 60_000;
  while (!done && Date.now() < deadline) {
    const visible = await ui.texts(`${parts.quickInput}:visible`).catch(() => []);
    if (visible.length > 0) await ui.press('Escape');
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 150));
  }
  assert.ok(done, `${command} still runs after a minute of dismissing its inputs`);
  await running;
}

describe('Commands take what VS Code passes from each menu', () => {
  const env = useConnectedEmulator('menu-argument-vaults');
  const menus = () => guildVaultExtension().packageJSON.contributes.menus as Record<string, MenuEntry[]>;

  before(async function () {
    requireUi(this);
    this.timeout(120_000);
    // Two snapshots (one with a previous) and archived channels: every kind of row exists.
    assert.ok(await runCommand('guildVault.backUpServer', env.guildId));
    assert.ok(await runCommand('guildVault.takeSnapshot', env.guildId));
    await clearNotifications();
    await showServersView();
  });

  after(async () => {
    await ui.press('Escape').catch(() => undefined);
  });

  async function assertNoErrorShown(context: string): Promise<void> {
    await showNotifications();
    // Under test VS Code refuses modal dialogs and throws; a person gets the dialog.
    const errors = (await ui.texts(errorNotifications)).filter((text) => !text.includes('refused to show dialog in tests'));
    await clearNotifications();
    assert.deepEqual(errors, [], `error notifications after ${context}`);
  }

  it('opens the token box from the title bar while a row is selected', async () => {
    await ui.waitFor(parts.serversRows, env.emulator.world.guild(env.guildId)!.guild.name, 15_000);
    await ui.click(parts.serversRows, env.emulator.world.guild(env.guildId)!.guild.name);
    await ui.click('.sidebar .title-actions .action-label[aria-label^="Connect Bot Token"]');
    await ui.waitFor(parts.quickInput, 'Paste the bot token');
    await ui.press('Escape');
    await assertNoErrorShown('Connect Bot Token from the title bar');
  });

  it('runs every view-title command with the selected row as its argument', async function () {
    this.timeout(120_000);
    const tree = allItems(await readServersTree());
    const selected = tree.find((item) => item.contextValue.startsWith('server'))!;
    let demo: { connectionId: string } | undefined;
    for (const entry of menus()['view/title']!) {
      if (entry.command === 'guildVault.tryDemo') {
        demo = await runCommand<{ connectionId: string }>(entry.command, selected.node);
        assert.ok(demo, 'Try the Demo Server ran with a row passed');
        continue;
      }
      await runDismissingInput(entry.command, selected.node);
    }
    if (demo) await runCommand('guildVault.disconnect', demo.connectionId);
    await closeAllEditors();
    await assertNoErrorShown('the view-title commands');
  });

  it('runs every inline and context-menu command on each kind of row its when clause names', async function () {
    this.timeout(240_000);
    const rows = allItems(await readServersTree());
    const ran: string[] = [];
    const seen = new Set<string>();
    for (const entry of menus()['view/item/context']!) {
      const matches = rowMatcher(entry.when);
      // One row per distinct contextValue is enough: the command sees the same kind of node.
      const targets: ShownItem[] = [];
      const kinds = new Set<string>();
      for (const row of rows) {
        if (!matches(row.contextValue) || kinds.has(row.contextValue)) continue;
        kinds.add(row.contextValue);
        targets.push(row);
      }
      for (const target of targets) {
        const key = `${entry.command} on ${target.contextValue}`;
        if (seen.has(key)) continue;
        seen.add(key);
        await runDismissingInput(entry.command, target.node);
        ran.push(key);
      }
    }
    await closeAllEditors();
    assert.ok(ran.length >= 15, `ran ${ran.join('; ')}`);
    await assertNoErrorShown(`the menu commands (${ran.join('; ')})`);
  });
});
