// A server's row follows the job's phase, as its notification does: during a backup's media
// downloads it says "media", never the channel count it left behind. Names from Discord
// ($(bug), markdown links, bidi overrides) show as text in the row during every phase.
import * as assert from 'node:assert/strict';
import { runCommand, startCommand } from '../helpers/commands';
import { useConnectedEmulator, type ConnectedEmulator } from '../helpers/connectedEmulator';
import { activateGuildVault } from '../helpers/extension';
import { findItem, readServersTree, type ShownItem } from '../helpers/tree';
import { hasUi, parts, ui } from '../helpers/ui';
import { clearNotifications, showNotifications, showServersView } from '../helpers/views';
import { waitFor } from '../helpers/wait';

const CDN = /^cdn:/;

async function serverRow(env: ConnectedEmulator): Promise<ShownItem> {
  return findItem(await readServersTree(/^connection/, 1), (item) => item.id === `server:${env.botId}:${env.guildId}`, 'the server row');
}

describe('A server row during the media phase of a backup', () => {
  const env = useConnectedEmulator('row-media-vaults', { size: 'demo', rateLimits: false });
  const row = () => serverRow(env);
  afterEach(() => env.emulator.faults.clear());

  it('says media, not a channel, while a backup downloads its media', async function () {
    this.timeout(120_000);
    await clearNotifications();
    await showServersView();
    // Slow downloads: the media queue has files left when the channels are done.
    env.emulator.faults.slow({ route: CDN, delayMs: 300, times: 100_000 });
    const backup = startCommand('guildVault.backUpServer', env.guildId);
    const during = await waitFor('the media phase', async () => {
      const description = (await row()).description;
      return /^backing up: media · [\d,]+ files? left$/.test(description) ? description : undefined;
    }, 90_000);
    assert.doesNotMatch(during, /channel/i);
    if (hasUi) {
      // On screen too: the row the person sees names the media downloads.
      const shown = await ui.waitFor(`${parts.serversRows} .label-description`, 'backing up: media ·', 15_000);
      assert.doesNotMatch(shown, /channel \d/i);
    }
    env.emulator.faults.clear();
    assert.ok(await backup, 'the backup finishes once the downloads are quick again');
    assert.equal((await row()).description, 'backed up just now');
  });
});

describe('A server row with hostile names', () => {
  const env = useConnectedEmulator('row-hostile-vaults', { size: 'demo', rateLimits: false });
  const row = () => serverRow(env);
  afterEach(() => env.emulator.faults.clear());

  it('shows hostile server and channel names as text in the row during every phase of a backup', async function () {
    this.timeout(180_000);
    const guild = env.emulator.world.guild(env.guildId)!;
    const hostile = '$(bug) **Raid** [click](command:workbench.action.quit) \u202eevil';
    guild.guild.name = `Hostile ${hostile}`;
    for (const channel of [...guild.channels.values()].filter((c) => c.type === 0).slice(0, 3)) channel.name = `${channel.name}-${hostile}`;
    await runCommand('guildVault.refresh');
    await waitFor('the renamed row', async () => (await row()).label.startsWith('Hostile'));
    await showServersView();
    // Slow enough to watch every phase: each request waits a little, downloads more.
    env.emulator.faults.slow({ route: /^(?!cdn:)/, delayMs: 30, times: 100_000 });
    env.emulator.faults.slow({ route: CDN, delayMs: 200, times: 100_000 });
    const descriptions = new Set<string>();
    const problems: string[] = [];
    const check = (item: { label: string; description: string; tooltip: string }) => {
      descriptions.add(item.description);
      // As it reads: a zero-width space between "]" and "(" is what keeps a notification from making a link of it.
      if (!item.label.replace(/\u200b/g, '').includes('$(bug) **Raid** [click](command:workbench.action.quit)')) problems.push(`label: ${JSON.stringify(item.label)}`);
      for (const text of [item.label, item.description, item.tooltip]) if (/[\u202a-\u202e\u2066-\u2069]/.test(text)) problems.push(`bidi control in ${JSON.stringify(text)}`);
    };
    // Every refresh of the row the view gets (each phase change is one), and what the page shows between them.
    const tree = (await activateGuildVault()).serversTree;
    const listener = tree.onDidChangeTreeData!(async (node) => {
      if (!node) return;
      const item = await tree.getTreeItem(node as never);
      if (item.id !== `server:${env.botId}:${env.guildId}`) return;
      const text = (value: unknown) => (typeof value === 'string' ? value : ((value as { label?: string; value?: string } | undefined)?.label ?? (value as { value?: string } | undefined)?.value ?? ''));
      check({ label: text(item.label), description: text(item.description), tooltip: text(item.tooltip) });
    });
    const backup = startCommand('guildVault.backUpServer', env.guildId);
    let ended = false;
    void backup.finally(() => (ended = true));
    while (!ended) {
      const item = await row();
      check(item);
      if (hasUi) {
        const rowSelector = `${parts.serversRows}:has-text("Hostile")`;
        const shown = (await ui.texts(rowSelector))[0] ?? '';
        if (shown && !shown.includes('$(bug)')) problems.push(`on screen: ${JSON.stringify(shown)}`);
        if ((await ui.texts(`${rowSelector} .codicon-bug`)).length) problems.push('a $(bug) rendered as an icon');
        if ((await ui.texts(`${rowSelector} .monaco-icon-label a[href]`)).length) problems.push('a markdown link rendered as a link');
      }
      if (descriptions.size > 1 && /media/.test(item.description)) env.emulator.faults.clear();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    listener.dispose();
    assert.ok(await backup);
    assert.deepEqual(problems.slice(0, 5), []);
    if (hasUi) {
      // The notification that says how it went names the server as text too: no link, no reversed line.
      await showNotifications();
      const done = `${parts.notification}:has-text("backed up Hostile")`;
      const message = await ui.waitFor(done, undefined, 15_000);
      assert.match(message, /\$\(bug\) \*\*Raid\*\* \[click\]\u200b?\(command:workbench\.action\.quit\)  ?evil: snapshot #1/, message);
      assert.deepEqual(await ui.texts(`${done} .notification-list-item-message a`), []);
      await clearNotifications();
    }
    const seen = [...descriptions].join(' | ');
    assert.match(seen, /backing up: structure snapshot · /, seen);
    assert.match(seen, /backing up: channel \d+ of \d+/, seen);
    assert.match(seen, /backing up: media · [\d,]+ files? left/, seen);
  });
});
