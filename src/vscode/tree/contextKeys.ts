import * as vscode from 'vscode';
import type { ConnectionStore } from '../connections/connectionStore';
import type { JobRunner } from '../jobs/jobRunner';
import type { Log } from '../log/log';
import type { VaultAccess } from '../vaults/vaultAccess';

/**
 * The context keys the Command Palette's `when` clauses read (package.json
 * menus.commandPalette), so it offers only what can work now:
 * guildVault.connected (a bot is connected), guildVault.hasVault (a server has
 * a vault), guildVault.hasSnapshots (one has a snapshot), guildVault.jobRunning.
 */
export class ContextKeys implements vscode.Disposable {
  private readonly listeners: vscode.Disposable[];
  private readonly values = new Map<string, boolean>();

  constructor(private readonly services: { connections: ConnectionStore; vaults: VaultAccess; jobs: JobRunner; log: Log }) {
    this.listeners = [
      services.connections.onDidChange(() => void this.update()),
      // A job may have made the first vault, the first snapshot; and it starts and ends.
      services.jobs.onDidChange(({ change }) => {
        if (change === 'started' || change === 'ended') void this.update();
      }),
    ];
    void this.update();
  }

  async update(): Promise<void> {
    const { connections, vaults, jobs, log } = this.services;
    let guildIds: string[] = [];
    try {
      guildIds = vaults.guildIds();
    } catch (error) {
      log.debug(`Context keys: cannot list vaults: ${String(error)}`);
    }
    const hasSnapshots = guildIds.some((guildId) => {
      try {
        return (vaults.read(guildId, (vault) => vault.db.prepare('SELECT 1 FROM snapshots LIMIT 1').get()) ?? undefined) !== undefined;
      } catch {
        return false;
      }
    });
    await this.set('guildVault.connected', connections.list().length > 0);
    await this.set('guildVault.hasVault', guildIds.length > 0);
    await this.set('guildVault.hasSnapshots', hasSnapshots);
    await this.set('guildVault.jobRunning', jobs.anyRunning);
  }

  private async set(key: string, value: boolean): Promise<void> {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    this.services.log.debug(`context ${key} = ${value}`);
    await vscode.commands.executeCommand('setContext', key, value);
  }

  dispose(): void {
    for (const listener of this.listeners) listener.dispose();
  }
}
