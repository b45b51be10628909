import * as vscode from 'vscode';
import { GuildVaultError, VaultStore, type Vault } from '../engine';
import { readSettings, resolveVaultRoot } from '../settings/settings';
import { inertLinks } from '../../presentation/notificationText';

/**
 * Opens vaults for the UI: briefly, and closed again right after, so a
 * backup (which holds the write lock for its whole run) and the tree (which
 * reads through WAL) never wait on each other.
 */
export class VaultAccess {
  constructor(private readonly context: vscode.ExtensionContext) {}

  /** The vault folder for the current settings (they may change at any time). */
  store(): VaultStore {
    return new VaultStore(resolveVaultRoot(this.context, readSettings()));
  }

  has(guildId: string): boolean {
    return this.store().has(guildId);
  }

  dirFor(guildId: string): string {
    return this.store().dirFor(guildId);
  }

  /** Runs `fn` on a read-only view of the vault; undefined if the server has no vault yet. */
  read<T>(guildId: string, fn: (vault: Vault) => T): T | undefined {
    const store = this.store();
    if (!store.has(guildId)) return undefined;
    const vault = store.open(guildId, { mode: 'read' });
    try {
      return fn(vault);
    } finally {
      vault.close();
    }
  }

  /** read() for async work (a live capture filled in from the newest snapshot). */
  async readAsync<T>(guildId: string, fn: (vault: Vault | undefined) => Promise<T>): Promise<T> {
    const store = this.store();
    const vault = store.has(guildId) ? store.open(guildId, { mode: 'read' }) : undefined;
    try {
      return await fn(vault);
    } finally {
      vault?.close();
    }
  }

  /** Like read(), but a missing vault is an error the user sees. */
  readExisting<T>(guildId: string, fn: (vault: Vault) => T): T {
    this.requireVault(guildId);
    return this.read(guildId, fn) as T;
  }

  /** Throws the error a user sees when the server has no vault (yet) in the vault folder. */
  requireVault(guildId: string): void {
    const store = this.store();
    if (!store.has(guildId)) {
      throw new GuildVaultError('VAULT_NOT_FOUND', `There is no vault for server ${guildId} in ${store.root}.`, 'Back up the server first, or check the "guildVault.vaultDirectory" setting.');
    }
  }

  /** Runs `fn` holding the vault's write lock; creates the vault if needed. */
  async write<T>(guildId: string, purpose: string, fn: (vault: Vault) => T | Promise<T>): Promise<T> {
    const vault = this.store().open(guildId, { mode: 'write', purpose });
    try {
      return await fn(vault);
    } finally {
      vault.close();
    }
  }

  /** The server's name as the vault last recorded it (links made inert: it reaches notifications). */
  guildName(guildId: string): string | undefined {
    try {
      const name = this.read(guildId, (vault) => vault.getMeta('guild_name'));
      return name === undefined ? undefined : inertLinks(name);
    } catch {
      return undefined;
    }
  }

  guildIds(): string[] {
    return this.store().guildIds();
  }
}
