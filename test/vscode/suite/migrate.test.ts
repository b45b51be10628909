// Migrate Messages To...: a backed-up server's archive replayed into another server of the same bot.
import * as assert from 'node:assert/strict';
import { DiscordClient } from '../../../src/core/discord';
import type { MigrateReport } from '../../../src/core/migrate';
import { applyRestore, planRestore } from '../../../src/core/restore';
import { latestSnapshotId } from '../../../src/core/snapshots';
import { VaultStore } from '../../../src/core/vault';
import { guildSpecsForSize } from '../../../src/emulator';
import { runCommand, startCommand } from '../helpers/commands';
import { useConnectedEmulator } from '../helpers/connectedEmulator';
import { discordApi } from '../helpers/emulator';
import { findItem, readServersTree } from '../helpers/tree';
import { vaultChannels } from '../helpers/vault';
import { waitFor } from '../helpers/wait';

describe('Migrate Messages', () => {
  const [demo, sandbox] = guildSpecsForSize('demo');
  const env = useConnectedEmulator('migrate-vaults', { guilds: [{ ...demo!, messageScale: 0.1 }, { ...sandbox!, botOwnsGuild: true }] });
  let sourceId: string;
  let targetId: string;

  before(() => ([sourceId, targetId] = env.emulator.guildIds as [string, string]));

  it('refuses a server with no vault yet, then posts a channel into the restored target', async () => {
    assert.equal(await runCommand('guildVault.migrateMessages', sourceId, { targetGuildId: targetId, skipConfirmation: true }), undefined, 'nothing to migrate without a backup');
    assert.ok(await runCommand('guildVault.backUpServer', sourceId));

    // The structure first, as a person would with restore.
    const client = new DiscordClient({ token: env.emulator.token, apiBaseUrl: env.emulator.apiBaseUrl, cdnBaseUrl: env.emulator.cdnBaseUrl });
    const vault = new VaultStore(env.vaultRoot).open(sourceId, { purpose: 'restore in test' });
    let channel: { id: string; n: number };
    let targetChannel: string;
    try {
      await applyRestore(vault, client, await planRestore(vault, client, { snapshotId: latestSnapshotId(vault)!, targetGuildId: targetId }));
      // A channel small enough for Discord's 30 webhook messages a minute, without threads.
      channel = vault.db
        .prepare(
          `SELECT CAST(c.id AS TEXT) AS id, (SELECT count(*) FROM messages m WHERE m.channel_id = c.id AND m.type IN (0, 19) AND m.deleted_at IS NULL) AS n
           FROM archive_channels c WHERE c.type = 0 AND c.is_thread = 0 AND NOT EXISTS (SELECT 1 FROM archive_channels t WHERE t.parent_id = c.id) ORDER BY n`,
        )
        .all()
        .map((r) => r as { id: string; n: number })
        .find((r) => r.n > 0 && r.n <= 25)!;
      targetChannel = (vault.db.prepare("SELECT target_id FROM id_map WHERE kind = 'channel' AND source_id = ? AND target_guild_id = ?").get(channel.id, targetId) as { target_id: string }).target_id;
    } finally {
      vault.close();
      client.dispose();
    }

    const report = await runCommand<MigrateReport>('guildVault.migrateMessages', sourceId, { targetGuildId: targetId, channelIds: [channel.id], skipConfirmation: true });
    assert.ok(report, 'the migration ran');
    assert.equal(report.sent, channel.n);
    assert.deepEqual(report.failed, []);
    const posted = (await discordApi<Array<{ webhook_id?: string; content: string; flags: number }>>(env.emulator, 'GET', `/channels/${targetChannel}/messages?limit=100`)).filter((m) => m.webhook_id);
    assert.equal(posted.length, channel.n);
    assert.ok(posted.every((m) => /^-# <t:\d+:f>/.test(m.content) && (m.flags & 4096) === 4096), 'original time shown, sent silently');

    const again = await runCommand<MigrateReport>('guildVault.migrateMessages', sourceId, { targetGuildId: targetId, channelIds: [channel.id], skipConfirmation: true });
    assert.equal(again?.sent, 0, 'nothing twice');
  });

  it('shows its progress on the server\'s row ("migrating: channel 1 of 2"), like a backup, until it is cancelled', async function () {
    this.timeout(60_000);
    const row = async () => findItem(await readServersTree(/^connection/, 1), (item) => item.id === `server:${env.botId}:${sourceId}`, 'the source server row');
    // Two text channels with messages to send; each post is slow, so the migration is still running when the row is read.
    const channelIds = vaultChannels(env.vaultRoot, sourceId)
      .filter((channel) => channel.type === 0 && !channel.isThread && channel.messageCount > 0)
      .slice(0, 2)
      .map((channel) => channel.id);
    assert.equal(channelIds.length, 2);
    env.emulator.faults.slow({ method: 'POST', route: '/webhooks/{webhook_id}/{webhook_token}', delayMs: 500, times: 10_000 });
    try {
      const migration = startCommand<MigrateReport>('guildVault.migrateMessages', sourceId, { targetGuildId: targetId, channelIds, skipConfirmation: true });
      const busy = await waitFor('the row to say what the migration does', async () => {
        const item = await row();
        return /^migrating: channel \d+ of \d+$/.test(item.description) && item;
      }, 30_000);
      assert.match(busy.contextValue, /\bbusy\b/, 'the row offers Cancel while it runs');
      assert.match(busy.tooltip, /Now migrating: channel \d+ of \d+\./);
      assert.equal(await runCommand('guildVault.cancelJob', sourceId), true);
      assert.equal(await migration, undefined, 'a cancelled migration has no report');
      await waitFor('the row to stop saying it migrates', async () => !/migrating/.test((await row()).description));
    } finally {
      env.emulator.faults.clear();
    }
  });
});
