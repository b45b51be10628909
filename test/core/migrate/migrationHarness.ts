import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiscordClient } from '../../../src/core/discord';
import { backupGuild } from '../../../src/core/jobs/backup';
import { applyRestore, planRestore } from '../../../src/core/restore';
import { latestSnapshotId } from '../../../src/core/snapshots';
import { VaultStore, type Vault } from '../../../src/core/vault';
import type { Emulator } from '../../../src/emulator';

type Json = Record<string, any>;

export function clientFor(emu: Emulator): DiscordClient {
  // Limits off in the emulator: the client need not hold back to Discord's 50 requests/s either.
  return new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl, retryBackoffMs: 20, globalRequestsPerSecond: 2000 });
}

/** Backs up the emulator's first server into a fresh vault folder and restores its structure into `targetGuildId`. */
export async function backedUpAndRestored(emu: Emulator, targetGuildId: string, options: { restoreThreads?: boolean } = { restoreThreads: true }): Promise<{ store: VaultStore; sourceGuildId: string }> {
  const store = new VaultStore(fs.mkdtempSync(path.join(os.tmpdir(), 'gv-migrate-')));
  const sourceGuildId = emu.guildIds[0]!;
  const client = clientFor(emu);
  await backupGuild(store, client, sourceGuildId, { recheckDays: 0 });
  const vault = store.open(sourceGuildId, { purpose: 'restore' });
  try {
    const plan = await planRestore(vault, client, { snapshotId: latestSnapshotId(vault)!, targetGuildId });
    await applyRestore(vault, client, plan);
    if (!options.restoreThreads) {
      // As a restore that made no threads would leave it: the migration then makes them itself.
      const rows = vault.db.prepare("SELECT target_id FROM id_map WHERE kind = 'thread' AND target_guild_id = ?").all(targetGuildId) as Array<{ target_id: string }>;
      for (const { target_id } of rows) emu.world.guild(targetGuildId)!.threads.delete(target_id);
      vault.db.prepare("DELETE FROM id_map WHERE kind = 'thread' AND target_guild_id = ?").run(targetGuildId);
    }
  } finally {
    vault.close();
  }
  return { store, sourceGuildId };
}

/** Every message of a target channel or thread through the API, oldest first. */
export async function targetMessages(emu: Emulator, channelId: string): Promise<Json[]> {
  const all: Json[] = [];
  for (let before = ''; ; ) {
    const res = await fetch(`${emu.apiBaseUrl}/v10/channels/${channelId}/messages?limit=100${before}`, { headers: { Authorization: `Bot ${emu.token}` } });
    const page = (await res.json()) as Json[];
    all.push(...page);
    if (page.length < 100) break;
    before = `&before=${page[page.length - 1]!.id}`;
  }
  return all.reverse();
}

/** Where a source channel or thread went (channels by the restore; threads by the restore or the migration). */
export function mappedChannel(vault: Vault, sourceId: string, targetGuildId: string): string | undefined {
  return mapped(vault, 'channel', sourceId, targetGuildId) ?? mapped(vault, 'thread', sourceId, targetGuildId);
}

export function mapped(vault: Vault, kind: string, sourceId: string, targetGuildId: string): string | undefined {
  return (vault.db.prepare('SELECT target_id FROM id_map WHERE kind = ? AND source_id = ? AND target_guild_id = ?').get(kind, sourceId, targetGuildId) as { target_id: string } | undefined)?.target_id;
}

/** Source messages the migration replays (a person's, not deleted), oldest first. */
export function replayedSourceIds(vault: Vault, channelId: string): string[] {
  return (vault.db.prepare('SELECT CAST(id AS TEXT) AS id FROM messages WHERE channel_id = ? AND type IN (0, 19, 20, 23) AND deleted_at IS NULL ORDER BY id').all(channelId) as Array<{ id: string }>).map((r) => r.id);
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
