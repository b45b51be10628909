import * as vscode from 'vscode';
import { describeError, type ArchiveOptions, type BackupReport, type Job, type SyncReport } from '../engine';
import { formatCount, plural } from '../../core/text';
import { mediaSizeCapBytes, readSettings } from '../settings/settings';
import type { ServerRef } from '../servers/server';
import type { Services } from '../services';
import { registerCommand } from './registerCommand';
import { botForServer, ensureIdle, resolveServer } from './targets';

/** Back Up Server (structure snapshot + message archive), Back Up All Servers, Sync Messages (archive only), Cancel. */
export function registerBackupCommands(services: Services): vscode.Disposable[] {
  return [
    registerCommand(services, 'guildVault.backUpServer', 'Back Up Server', (arg?: unknown) => backUp(services, arg)),
    registerCommand(services, 'guildVault.backUpAll', 'Back Up All Servers', () => backUpAll(services)),
    registerCommand(services, 'guildVault.syncMessages', 'Sync Messages', (arg?: unknown) => sync(services, arg)),
    registerCommand(services, 'guildVault.cancelJob', 'Cancel Running Backup', (arg?: unknown) => cancel(services, arg)),
  ];
}

function archiveOptions(): ArchiveOptions {
  const settings = readSettings();
  return { concurrency: settings.concurrency, recheckDays: settings.recheckDays, mediaSizeCapBytes: mediaSizeCapBytes(settings) };
}

/**
 * The full backup of one server. In the foreground: a cancellable notification, the outcome
 * told, Resume offered after a cancel. In the background (the schedule): the status bar only,
 * failures thrown to the caller.
 */
export async function runBackup(
  services: Services,
  server: ServerRef,
  options: { background?: boolean; kind?: 'manual' | 'automatic'; quiet?: boolean; title?: string } = {},
): Promise<BackupReport | undefined> {
  const bot = await botForServer(services, server);
  const vaultRoot = services.vaults.store().root;
  const retention = readSettings().snapshotRetention;
  const spec = {
    key: server.guildId,
    title: options.title ?? `Backing up ${server.name}`,
    activity: 'backing up',
    background: options.background,
    // The structure snapshot is quick next to the archive.
    phaseWeights: { snapshot: [0, 10], '*': [10, 100] } as const,
    resume: () => vscode.commands.executeCommand('guildVault.backUpServer', server),
    work: (job: Job) => services.workers.run({ kind: 'backup', vaultRoot, params: { guildId: server.guildId, options: { ...archiveOptions(), retention, kind: options.kind } } }, bot, job),
  };
  if (options.background) return services.jobs.runOrThrow(spec);
  const report = await services.jobs.run(spec);
  if (options.quiet) return report;
  finished(services, server, 'backed up', report, Boolean(report && (report.snapshotError || report.archive.unreadable.length || report.archive.contentIntentMissing)));
  return report;
}

async function backUp(services: Services, arg: unknown): Promise<BackupReport | undefined> {
  const server = await resolveServer(services, arg, { needs: 'connection' });
  if (!server) return undefined;
  ensureIdle(services, server);
  return runBackup(services, server);
}

/** Every server a connected bot reaches, one after the other; busy ones are skipped. Returns how many were backed up. */
async function backUpAll(services: Services): Promise<number> {
  const servers = (await services.catalog.allServers()).filter((server) => server.connectionId);
  let done = 0;
  const skipped: string[] = [];
  for (const server of servers) {
    if (services.jobs.isBusy(server.guildId)) {
      skipped.push(server.name);
      continue;
    }
    const report = await runBackup(services, server, { quiet: true, title: `Backing up ${server.name} (${formatCount(done + skipped.length + 1)} of ${formatCount(servers.length)})` }).catch((error) => {
      services.log.warn(`Back Up All Servers: ${server.name}: ${describeError(error)}`);
      return undefined;
    });
    if (report) done++;
  }
  void vscode.window.showInformationMessage(`Guild Vault: backed up ${plural(done, 'server')} of ${formatCount(servers.length)}${skipped.length ? ` (${skipped.join(', ')} busy, skipped)` : ''}.`);
  return done;
}

async function sync(services: Services, arg: unknown): Promise<SyncReport | undefined> {
  const server = await resolveServer(services, arg, { needs: 'connection' });
  if (!server) return undefined;
  ensureIdle(services, server);
  const bot = await botForServer(services, server);
  const vaultRoot = services.vaults.store().root;
  const report = await services.jobs.run({
    key: server.guildId,
    title: `Syncing messages of ${server.name}`,
    activity: 'syncing',
    resume: () => vscode.commands.executeCommand('guildVault.syncMessages', server),
    work: (job) => services.workers.run({ kind: 'sync', vaultRoot, params: { guildId: server.guildId, options: archiveOptions() } }, bot, job),
  });
  finished(services, server, 'synced', report, Boolean(report && (report.unreadable.length || report.contentIntentMissing)));
  return report;
}

/** Cancels the job on a server (its row's inline button while it runs, or a pick from the palette). */
async function cancel(services: Services, arg: unknown): Promise<boolean> {
  const server = await resolveServer(services, arg, { needs: 'job' });
  if (!server) return false;
  return services.jobs.cancel(server.guildId);
}

/** Tells how it went; the tree re-reads the server's vault when the job ends (a cancelled job keeps its work). */
function finished(services: Services, server: ServerRef, verb: string, report: { summary: string } | undefined, hasGaps: boolean): void {
  services.documents.refreshOpen(server.guildId);
  if (!report) return;
  const summary = report.summary ? `: ${report.summary}` : '.';
  // Gaps (unreadable channels, a missing intent) are worth a look at what the bot lacks.
  const actions = hasGaps ? ['Check Bot Access', 'Show Log'] : ['Show Log'];
  const text = `Guild Vault: ${verb} ${server.name}${summary}`;
  const shown = hasGaps ? vscode.window.showWarningMessage(text, ...actions) : vscode.window.showInformationMessage(text, ...actions);
  void shown.then((choice) => {
    if (choice === 'Show Log') services.log.show();
    if (choice === 'Check Bot Access') void vscode.commands.executeCommand('guildVault.showHealth', server);
  });
}
