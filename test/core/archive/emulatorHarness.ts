import * as fs from 'node:fs';
import { DiscordClient } from '../../../src/core/discord';
import { Vault } from '../../../src/core/vault';
import type { Emulator } from '../../../src/emulator';
import { tempDir } from '../../support/tempDir';

export function tempVault(prefix = 'gv-sync-'): Vault {
  return Vault.open(tempDir(prefix));
}

export function clientFor(emu: Emulator, options: { retryBackoffMs?: number } = {}): DiscordClient {
  return new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl, retryBackoffMs: options.retryBackoffMs ?? 20 });
}

/** Archived message ids of a channel, oldest first, with duplicates kept (there must be none). */
export function archivedIds(vault: Vault, channelId: string): string[] {
  return (vault.db.prepare('SELECT CAST(id AS TEXT) AS id FROM messages WHERE channel_id = ? ORDER BY id').all(channelId) as { id: string }[]).map((r) => r.id);
}

/**
 * Asserts the archive holds exactly the emulator's messages in every channel
 * the bot can read (ground truth), and returns how many that is.
 */
export function expectMatchesWorld(vault: Vault, emu: Emulator, guildId: string, assertEqual: (a: unknown, b: unknown, m?: string) => void): number {
  let total = 0;
  for (const channelId of emu.world.readableChannelIds(guildId)) {
    const expected = [...emu.world.messageIds(channelId)];
    assertEqual(archivedIds(vault, channelId), expected, `channel ${channelId}`);
    total += expected.length;
  }
  const stored = (vault.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
  assertEqual(stored, total, 'no message from elsewhere');
  return total;
}
