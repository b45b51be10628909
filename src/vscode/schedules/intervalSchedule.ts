import * as vscode from 'vscode';
import { describeError, scheduleCheckIntervalMs } from '../engine';
import type { ServerRef } from '../servers/server';
import type { Services } from '../services';

/** What one schedule does: automatic snapshots, scheduled backups. */
export interface ScheduledWork {
  /** "Automatic snapshots": for the log. */
  name: string;
  /** The setting that holds the interval in hours (0: off), under `guildVault.`. */
  setting: string;
  intervalHours(): number;
  /** Whether the server is due now. */
  isDue(server: ServerRef, intervalHours: number, now: number): boolean;
  /** Does the work on one server in the background; resolves to whether it did any. */
  run(server: ServerRef): Promise<boolean>;
}

/**
 * Runs a piece of work on a schedule while VS Code runs. Each check goes over
 * every reachable server that has a vault and is due, in the background (status
 * bar only), skipping servers a job is busy with: they are looked at again on
 * the next check.
 */
export class IntervalSchedule implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private firstCheck: NodeJS.Timeout | undefined;
  private checking = false;
  private readonly configListener: vscode.Disposable;

  constructor(
    private readonly services: Services,
    private readonly work: ScheduledWork,
  ) {
    this.configListener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`guildVault.${work.setting}`)) this.schedule();
    });
    this.schedule();
  }

  /** (Re)arms the timer for the current setting. */
  schedule(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.firstCheck) clearTimeout(this.firstCheck);
    this.timer = this.firstCheck = undefined;
    const hours = this.work.intervalHours();
    if (!(hours > 0)) return;
    this.services.log.info(`${this.work.name} every ${hours} h`);
    this.timer = setInterval(() => void this.check(), scheduleCheckIntervalMs(hours));
    // A first look shortly after start-up, once connections are loaded.
    this.firstCheck = setTimeout(() => void this.check(), 30_000);
  }

  /** Does the work that is due. Returns on how many servers it was done. */
  async check(now: number = Date.now()): Promise<number> {
    const hours = this.work.intervalHours();
    if (!(hours > 0) || this.checking) return 0;
    this.checking = true;
    let done = 0;
    try {
      for (const server of await this.services.catalog.allServers()) {
        if (!server.connectionId || !this.services.vaults.has(server.guildId)) continue;
        if (this.services.jobs.isBusy(server.guildId)) {
          this.services.log.info(`${this.work.name}: ${server.name} skipped, a job on it is running`);
          continue;
        }
        try {
          if (!this.work.isDue(server, hours, now)) continue;
          if (await this.work.run(server)) done++;
        } catch (error) {
          // One server failing (token revoked, bot kicked) must not stop the others.
          this.services.log.warn(`${this.work.name}: ${server.name} failed: ${describeError(error)}`);
        }
      }
    } finally {
      this.checking = false;
    }
    return done;
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.firstCheck) clearTimeout(this.firstCheck);
    this.configListener.dispose();
  }
}
