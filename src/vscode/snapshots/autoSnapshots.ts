import * as vscode from 'vscode';
import { writeOffsiteCopy } from '../bundles/offsiteCopies';
import { describeError } from '../engine';
import { takeAndPrune } from '../commands/snapshotCommands';
import { snapshotsOf } from '../commands/targets';
import { isSnapshotDue, scheduleCheckIntervalMs } from '../../presentation/schedule';
import { readSettings } from '../settings/settings';
import type { Services } from '../services';

/**
 * Automatic snapshots while VS Code runs (`guildVault.snapshots.autoIntervalHours`,
 * off by default). Each check snapshots every reachable server that has a
 * vault and whose newest snapshot is older than the interval; it runs in the
 * background (status bar only) and skips servers a job is busy with.
 */
export class AutoSnapshots implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private firstCheck: NodeJS.Timeout | undefined;
  private checking = false;
  private readonly configListener: vscode.Disposable;

  constructor(private readonly services: Services) {
    this.configListener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('guildVault.snapshots.autoIntervalHours')) this.schedule();
    });
    this.schedule();
  }

  /** (Re)arms the timer for the current setting. */
  schedule(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.firstCheck) clearTimeout(this.firstCheck);
    this.timer = this.firstCheck = undefined;
    const hours = readSettings().autoSnapshotIntervalHours;
    if (!(hours > 0)) return;
    this.services.log.info(`Automatic snapshots every ${hours} h`);
    this.timer = setInterval(() => void this.check(), scheduleCheckIntervalMs(hours));
    // A first look shortly after start-up, once connections are loaded.
    this.firstCheck = setTimeout(() => void this.check(), 30_000);
  }

  /** Takes the snapshots that are due. Returns how many were taken. */
  async check(now: number = Date.now()): Promise<number> {
    const hours = readSettings().autoSnapshotIntervalHours;
    if (!(hours > 0) || this.checking) return 0;
    this.checking = true;
    let taken = 0;
    try {
      for (const server of await this.services.catalog.allServers()) {
        if (!server.connectionId || this.services.jobs.isBusy(server.guildId)) continue;
        try {
          const newest = snapshotsOf(this.services, server).sort((a, b) => b.id - a.id)[0];
          if (!isSnapshotDue(newest?.checkedAt, hours, now)) continue; // an unchanged automatic snapshot moves checkedAt only
          const snapshot = await takeAndPrune(this.services, server, 'automatic', undefined, true);
          if (snapshot) taken++;
          if (snapshot) await writeOffsiteCopy(this.services, server);
        } catch (error) {
          // One server failing (token revoked, bot kicked) must not stop the others.
          this.services.log.warn(`Automatic snapshot of ${server.name} failed: ${describeError(error)}`);
        }
      }
    } finally {
      this.checking = false;
    }
    return taken;
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.firstCheck) clearTimeout(this.firstCheck);
    this.configListener.dispose();
  }
}
