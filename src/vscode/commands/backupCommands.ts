import * as vscode from 'vscode';
import type { ArchiveOptions, BackupReport, SyncReport } from '../engine';
import { mediaSizeCapBytes, readSettings } from '../settings/settings';
import type { ServerRef } from '../servers/server';
import type { Services } from '../services';
import { registerCommand } from './registerCommand';
import { botForServer, ensureIdle, resolveServer } from './targets';

/** Back Up Server (structure snapshot + message archive) and Sync Messages (archive only). */
export function registerBackupCommands(services: Services): vscode.Disposable[] {
  return [
    registerCommand(services, 'guildVault.backUpServer', 'Back Up Server', (arg?: unknown) => backUp(services, arg)),
    registerCommand(services, 'guildVault.syncMessages', 'Sync Messages', (arg?: unknown) => sync(services, arg)),
  ];
}

function archiveOptions(): ArchiveOptions {
  const settings = readSettings();
  return { concurrency: settings.concurrency, recheckDays: settings.recheckDays, mediaSizeCapBytes: mediaSizeCapBytes(settings) };
}

async function backUp(services: Services, arg: unknown): Promise<BackupReport | undefined> {
  const server = await resolveServer(services, arg, true);
  if (!server) return undefined;
  ensureIdle(services, server);
  const bot = await botForServer(services, server);
  const vaultRoot = services.vaults.store().root;
  const retention = readSettings().snapshotRetention;
  const report = await whileRefreshing(services, () =>
    services.jobs.run({
      key: server.guildId,
      title: `Backing up ${server.name}`,
      // The structure snapshot is quick next to the archive.
      phaseWeights: { snapshot: [0, 10], '*': [10, 100] },
      work: (job) => services.workers.run({ kind: 'backup', vaultRoot, params: { guildId: server.guildId, options: { ...archiveOptions(), retention } } }, bot, job),
    }),
  );
  finished(services, server, 'Backed up', report, Boolean(report && (report.snapshotError || report.archive.unreadable.length || report.archive.contentIntentMissing)));
  return report;
}

async function sync(services: Services, arg: unknown): Promise<SyncReport | undefined> {
  const server = await resolveServer(services, arg, true);
  if (!server) return undefined;
  ensureIdle(services, server);
  const bot = await botForServer(services, server);
  const vaultRoot = services.vaults.store().root;
  const report = await whileRefreshing(services, () =>
    services.jobs.run({
      key: server.guildId,
      title: `Syncing messages of ${server.name}`,
      work: (job) => services.workers.run({ kind: 'sync', vaultRoot, params: { guildId: server.guildId, options: archiveOptions() } }, bot, job),
    }),
  );
  finished(services, server, 'Synced', report, Boolean(report && (report.unreadable.length || report.contentIntentMissing)));
  return report;
}

/** How often the tree re-reads the vault during a long job, so channels fill in as they sync. */
const TREE_REFRESH_MS = 5000;

async function whileRefreshing<T>(services: Services, job: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => services.tree.refresh(), TREE_REFRESH_MS);
  try {
    return await job();
  } finally {
    clearInterval(timer);
  }
}

/** Whatever the outcome, the tree shows what is in the vault now (a cancelled job keeps its work). */
function finished(services: Services, server: ServerRef, verb: string, report: { summary: string } | undefined, hasGaps: boolean): void {
  services.tree.refresh();
  services.documents.refreshOpen(server.guildId);
  if (!report) return;
  const summary = report.summary ? `: ${report.summary}` : '.';
  // Gaps (unreadable channels, a missing intent) are worth a look at what the bot lacks.
  const actions = hasGaps ? ['Show Health', 'Show Log'] : ['Show Log'];
  const text = `${verb} ${server.name}${summary}`;
  const shown = hasGaps ? vscode.window.showWarningMessage(text, ...actions) : vscode.window.showInformationMessage(text, ...actions);
  void shown.then((choice) => {
    if (choice === 'Show Log') services.log.show();
    if (choice === 'Show Health') void vscode.commands.executeCommand('guildVault.showHealth', server);
  });
}
