// Back Up Server as a person sees it: a notification that shows progress while the backup runs
// (Discord's rate limits on, so it takes a while), whose Cancel button stops it within seconds
// and keeps what was done; running it again completes the vault.
import * as assert from 'node:assert/strict';
import { runCommand, startCommand } from '../helpers/commands';
import { connectTo, startTestEmulator, type Emulator } from '../helpers/emulator';
import { freshDir } from '../helpers/files';
import { resetSetting, setSetting } from '../helpers/settings';
import { findItem, readServersTree } from '../helpers/tree';
import { parts, requireUi, ui } from '../helpers/ui';
import { hasVault, lastArchiveRun, pendingMedia, vaultChannels, vaultSnapshots } from '../helpers/vault';
import { clearNotifications, showNotifications } from '../helpers/views';
import { waitFor } from '../helpers/wait';

describe('Back Up Server', () => {
  let emulator: Emulator;
  let vaultRoot: string;
  let botId: string;
  let guildId: string;

  before(async () => {
    // Discord's own rate limits: the demo-sized server takes long enough to watch and cancel.
    emulator = await startTestEmulator({ size: 'demo', rateLimits: true });
    guildId = emulator.guildIds[0]!;
    vaultRoot = freshDir('backup-vaults');
    await setSetting('vaultDirectory', vaultRoot);
    const connected = await connectTo(emulator);
    assert.ok(connected);
    botId = connected.id;
    await clearNotifications();
  });

  after(async () => {
    if (botId) await runCommand('guildVault.disconnect', botId, { skipConfirmation: true });
    await resetSetting('vaultDirectory');
    await emulator?.close();
  });

  it('shows its progress in a notification, and Cancel stops it within seconds, keeping what was done', async function () {
    requireUi(this);
    // Slower than Discord allows, so the backup is still running when Cancel is clicked on a busy machine.
    emulator.rateLimits.setGlobalPerSecond(5);
    const backup = startCommand('guildVault.backUpServer', guildId);
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
    assert.ok(hasVault(vaultRoot, guildId), 'the vault stays');
    const archived = vaultChannels(vaultRoot, guildId).reduce((sum, channel) => sum + channel.messageCount, 0);
    assert.ok(archived > 0 || vaultSnapshots(vaultRoot, guildId).length > 0, 'what was done before the cancel is kept');
  });

  it('runs to the end when started again, and the tree shows the backup', async () => {
    emulator.rateLimits.setGlobalPerSecond(50); // Discord's own limit
    const report = await runCommand('guildVault.backUpServer', guildId);
    assert.ok(report, 'the backup finished with a report');
    assert.ok(vaultSnapshots(vaultRoot, guildId).length >= 1);
    const channels = vaultChannels(vaultRoot, guildId);
    assert.ok(channels.filter((channel) => channel.messageCount > 0).length >= 2);
    const tree = await readServersTree(/^(connection|server)/, 2);
    const server = findItem(tree, (item) => item.id === `server:${botId}:${guildId}`, 'backed-up server');
    assert.match(server.contextValue, /\bhasSnapshots\b/);
  });

  it('cancelled while downloading media, says cancelled (not "Backed up") and records the run as cancelled', async function () {
    requireUi(this);
    const otherRoot = freshDir('backup-media-cancel');
    await setSetting('vaultDirectory', otherRoot);
    // Slow attachment downloads: the messages are done long before the files.
    emulator.faults.slow({ route: /^cdn:\/attachments/, delayMs: 1_500, times: 100_000 });
    try {
      await clearNotifications();
      const backup = startCommand('guildVault.backUpServer', guildId);
      await showNotifications();
      await ui.waitFor(parts.notification, 'files left', 90_000);
      await ui.click(`${parts.notification} .monaco-button`, 'Cancel');
      assert.equal(await backup, undefined, 'a cancelled backup returns no report');
      await showNotifications();
      const shown = await ui.waitFor(parts.notification, 'cancelled');
      assert.doesNotMatch(shown, /Backed up/);
      assert.equal(lastArchiveRun(otherRoot, guildId), 'cancelled');
      assert.ok(pendingMedia(otherRoot, guildId) > 0, 'files were still to download: the backup did not finish');
    } finally {
      emulator.faults.clear();
      await setSetting('vaultDirectory', vaultRoot);
      await clearNotifications();
    }
  });

  it('syncs messages only, leaving the snapshots alone', async () => {
    const before = vaultSnapshots(vaultRoot, guildId).length;
    const report = await runCommand('guildVault.syncMessages', guildId);
    assert.ok(report, 'the sync finished with a report');
    assert.equal(vaultSnapshots(vaultRoot, guildId).length, before);
  });
});
