// Back Up Server as a person sees it: a notification that shows progress while the backup runs
// (Discord's rate limits on, so it takes a while), whose Cancel button stops it within seconds
// and keeps what was done; running it again completes the vault.
import * as assert from 'node:assert/strict';
import { runCommand, startCommand } from '../helpers/commands';
import { useConnectedEmulator } from '../helpers/connectedEmulator';
import { freshDir } from '../helpers/files';
import { setSetting } from '../helpers/settings';
import { findItem, readServersTree } from '../helpers/tree';
import { parts, requireUi, ui } from '../helpers/ui';
import { hasVault, lastArchiveRun, pendingMedia, vaultChannels, vaultSnapshots } from '../helpers/vault';
import { clearNotifications, showNotifications } from '../helpers/views';
import { waitFor } from '../helpers/wait';

describe('Back Up Server', () => {
  // Discord's own rate limits: the demo-sized server takes long enough to watch and cancel.
  const env = useConnectedEmulator('backup-vaults', { size: 'demo', rateLimits: true });

  before(() => clearNotifications());

  it('shows its progress in a notification, and Cancel stops it within seconds, keeping what was done', async function () {
    requireUi(this);
    // Slower than Discord allows, so the backup is still running when Cancel is clicked on a busy machine.
    env.emulator.rateLimits.setGlobalPerSecond(5);
    const backup = startCommand('guildVault.backUpServer', env.guildId);
    // The notification names the job and counts what it has done (the center is opened until it shows it).
    const toast = await waitFor('the backup notification', async () => {
      await showNotifications();
      return (await ui.texts(parts.notification)).find((text) => text.includes('Backing up'));
    }, 20_000);
    assert.match(toast, /Backing up/);
    await ui.waitFor(parts.notification, 'messages', 30_000);
    const clickedAt = Date.now();
    await ui.click(`${parts.notification} .monaco-button`, 'Cancel');
    assert.equal(await backup, undefined, 'a cancelled backup returns no report');
    const stoppedAfterMs = Date.now() - clickedAt;
    assert.ok(stoppedAfterMs < 5_000, `stopped ${stoppedAfterMs} ms after Cancel`);
    await showNotifications(); // the center closes by itself when the progress notification goes
    await ui.waitFor(parts.notification, 'cancelled');
    assert.ok(hasVault(env.vaultRoot, env.guildId), 'the vault stays');
    const archived = vaultChannels(env.vaultRoot, env.guildId).reduce((sum, channel) => sum + channel.messageCount, 0);
    assert.ok(archived > 0 || vaultSnapshots(env.vaultRoot, env.guildId).length > 0, 'what was done before the cancel is kept');
  });

  it('runs to the end when started again, and the tree shows the backup', async () => {
    env.emulator.rateLimits.setGlobalPerSecond(50); // Discord's own limit
    const report = await runCommand('guildVault.backUpServer', env.guildId);
    assert.ok(report, 'the backup finished with a report');
    assert.ok(vaultSnapshots(env.vaultRoot, env.guildId).length >= 1);
    const channels = vaultChannels(env.vaultRoot, env.guildId);
    assert.ok(channels.filter((channel) => channel.messageCount > 0).length >= 2);
    const tree = await readServersTree(/^(connection|server)/, 2);
    const server = findItem(tree, (item) => item.id === `server:${env.botId}:${env.guildId}`, 'backed-up server');
    assert.match(server.contextValue, /\bhasSnapshots\b/);
  });

  it('cancelled while downloading media, says cancelled (not "Backed up") and records the run as cancelled', async function () {
    requireUi(this);
    const otherRoot = freshDir('backup-media-cancel');
    await setSetting('vaultDirectory', otherRoot);
    // Slow attachment downloads: the messages are done long before the files.
    env.emulator.faults.slow({ route: /^cdn:\/attachments/, delayMs: 1_500, times: 100_000 });
    try {
      await clearNotifications();
      const backup = startCommand('guildVault.backUpServer', env.guildId);
      await showNotifications();
      await ui.waitFor(parts.notification, 'files left', 90_000);
      await ui.click(`${parts.notification} .monaco-button`, 'Cancel');
      assert.equal(await backup, undefined, 'a cancelled backup returns no report');
      await showNotifications();
      const shown = await ui.waitFor(parts.notification, 'cancelled');
      assert.doesNotMatch(shown, /Backed up/);
      assert.equal(lastArchiveRun(otherRoot, env.guildId), 'cancelled');
      assert.ok(pendingMedia(otherRoot, env.guildId) > 0, 'files were still to download: the backup did not finish');
    } finally {
      env.emulator.faults.clear();
      await setSetting('vaultDirectory', env.vaultRoot);
      await clearNotifications();
    }
  });

  it('syncs messages only, leaving the snapshots alone', async () => {
    const before = vaultSnapshots(env.vaultRoot, env.guildId).length;
    const report = await runCommand('guildVault.syncMessages', env.guildId);
    assert.ok(report, 'the sync finished with a report');
    assert.equal(vaultSnapshots(env.vaultRoot, env.guildId).length, before);
  });
});
