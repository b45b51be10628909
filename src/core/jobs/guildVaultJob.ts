import { checkGuildAccess } from '../connect';
import type { DiscordClient } from '../discord';
import type { Job } from '../job';
import type { Vault, VaultStore } from '../vault';

export interface GuildVaultJobOptions {
  /** Shown to a second writer in the "vault in use" error: "backup", "sync", "snapshot". */
  purpose: string;
}

/**
 * Runs a job that writes a guild's vault: first asks Discord whether the bot
 * can reach the server, then opens (or creates) the vault for writing, and
 * closes it whatever happens. Asking first means a rejected token or a wrong
 * server id fails with its own clear error and never leaves an empty vault.
 */
export async function withGuildVault<T>(
  store: VaultStore,
  client: DiscordClient,
  guildId: string,
  options: GuildVaultJobOptions,
  job: Job,
  work: (vault: Vault) => Promise<T>,
): Promise<T> {
  await checkGuildAccess(client.forJob(job), guildId);
  const vault = store.open(guildId, { mode: 'write', purpose: options.purpose });
  try {
    return await work(vault);
  } finally {
    vault.close();
  }
}
