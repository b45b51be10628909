import * as vscode from 'vscode';
import { describeDestructive, describeReport, destructiveActions, GuildVaultError, type RestoreInclude, type RestorePlan, type RestoreReport } from '../engine';
import { ensureIdle, resolveServer, resolveSnapshot } from '../commands/targets';
import { registerCommand } from '../commands/registerCommand';
import { snapshotShortName } from '../../presentation/snapshotText';
import type { ServerRef } from '../servers/server';
import type { Services } from '../services';
import { KEEP_CHOICE, previewHeader, PRUNE_CHOICE, reportSummary, RESTORE_CHOICE } from './restoreText';
import { formatCount, plural } from '../../core/text';

/**
 * What `guildVault.restoreSnapshot` takes from automation and the tests instead
 * of asking: the target, and the answer to the modal (VS Code refuses modal
 * dialogs under test, which reads as "cancel").
 */
export interface RestoreCommandOptions {
  targetGuildId?: string;
  answer?: 'keep' | 'prune' | 'cancel';
  include?: RestoreInclude[];
}

export interface RestoreCommandResult {
  plan: RestorePlan;
  report?: RestoreReport;
  /** The diff editor's title. */
  title: string;
}

/** Restore Structure… on a snapshot: target, preview diff, modal, cancellable job, report. */
export function registerRestoreCommands(services: Services): vscode.Disposable[] {
  return [registerCommand(services, 'guildVault.restoreSnapshot', 'Restore Structure', (arg?: unknown, options?: RestoreCommandOptions) => restoreSnapshot(services, arg, options))];
}

async function restoreSnapshot(services: Services, arg: unknown, options: RestoreCommandOptions = {}): Promise<RestoreCommandResult | undefined> {
  const source = await resolveSnapshot(services, arg);
  if (!source) return undefined;
  const target = await pickTarget(services, source.server, options.targetGuildId);
  if (!target) return undefined;
  ensureIdle(services, target);
  ensureIdle(services, source.server);
  const connection = target.connectionId ? services.connections.get(target.connectionId) : undefined;
  if (!connection) throw new GuildVaultError('MISSING_ACCESS', `No connected bot can reach ${target.name}.`, 'Connect the token of a bot that is in that server.');
  const bot = await services.clients.botFor(connection);
  services.vaults.requireVault(source.server.guildId);
  const vaultRoot = services.vaults.store().root;
  const what = `snapshot #${source.snapshot.id} of ${source.server.name} into ${target.name}`;
  const include = options.include ?? [];

  // Both plans up front, in a worker: the modal names what pruning would delete; the diff shows the plan that keeps.
  const planned = await services.jobs.run({
    key: `restore-plan:${target.guildId}`,
    title: `Planning the restore of ${what}`,
    work: (job) =>
      services.workers.run({ kind: 'restorePlan', vaultRoot, params: { guildId: source.server.guildId, options: { snapshotId: source.snapshot.id, targetGuildId: target.guildId, include } } }, bot, job),
  });
  if (!planned) return undefined;
  const { keep, prune, preview } = planned;

  const header = previewHeader(keep, preview, what);
  const title = `${target.name}: now ↔ after restoring ${snapshotShortName(source.snapshot)}${source.server.guildId === target.guildId ? '' : ` of ${source.server.name}`}`;
  const nowUri = services.documents.hold({ kind: 'live', guildId: target.guildId, title: `${target.name} now` }, header + preview.now);
  const afterUri = services.documents.hold({ kind: 'live', guildId: target.guildId, title: `${target.name} after restore` }, header + preview.after);
  await vscode.commands.executeCommand('vscode.diff', nowUri, afterUri, title, { preview: true });

  const plan = await confirm(keep, prune, what, options.answer);
  if (!plan) return { plan: keep, title };
  const confirmed = destructiveActions(plan).length > 0;
  ensureIdle(services, target);
  const report = await services.jobs.run({
    key: target.guildId,
    title: `Restoring ${what}`,
    activity: 'restoring',
    work: (job) => services.workers.run({ kind: 'restore', vaultRoot, params: { guildId: source.server.guildId, plan, confirmed } }, bot, job),
  });
  services.tree.refresh();
  if (!report) return { plan, title };
  for (const line of describeReport(report)) services.log.info(line);
  const message = `Restored ${what}: ${reportSummary(report)}.`;
  const show = report.failed > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(message, 'Show Log').then((choice) => {
    if (choice === 'Show Log') services.log.show();
  });
  return { plan, report, title };
}

/**
 * The modal: "keep" applies the plan that deletes nothing the snapshot lacks,
 * "prune" the one that does; each names what it deletes or bans. Returns the
 * plan to apply, or undefined when the user cancelled.
 */
async function confirm(keep: RestorePlan, prune: RestorePlan | undefined, what: string, given: RestoreCommandOptions['answer']): Promise<RestorePlan | undefined> {
  const runnable = keep.actions.filter((action) => !action.blocked).length;
  const blocked = keep.actions.length - runnable;
  const keepHarm = describeDestructive(destructiveActions(keep));
  const pruneHarm = prune ? describeDestructive(destructiveActions(prune)) : '';
  const detail = [
    `${plural(runnable, 'change')} to make${blocked ? `, ${formatCount(blocked)} blocked (not made: the diff's header says why)` : ''}. The diff editor shows the server now and after.`,
    `"${prune ? KEEP_CHOICE : RESTORE_CHOICE}": ${keepHarm ? `will ${keepHarm}.` : 'deletes nothing.'}`,
    ...(prune ? [`"${PRUNE_CHOICE}": will ${pruneHarm || 'delete nothing more'}. Deleted channels lose their messages.`] : []),
  ].join('\n\n');
  let answer = given;
  if (!answer) {
    const buttons = prune ? [KEEP_CHOICE, PRUNE_CHOICE] : [RESTORE_CHOICE];
    const choice = await vscode.window.showWarningMessage(`Restore ${what}?`, { modal: true, detail }, ...buttons);
    answer = choice === PRUNE_CHOICE ? 'prune' : choice ? 'keep' : 'cancel';
  }
  if (answer === 'cancel') return undefined;
  return answer === 'prune' && prune ? prune : keep;
}

/** The server to restore into: given, or picked among the servers a connected bot reaches (this one first). */
async function pickTarget(services: Services, source: ServerRef, targetGuildId: string | undefined): Promise<ServerRef | undefined> {
  if (targetGuildId) return resolveServer(services, targetGuildId, { needs: 'connection' });
  const servers = (await services.catalog.allServers()).filter((server) => server.connectionId);
  if (servers.length === 0) throw new GuildVaultError('NOT_FOUND', 'No connected bot can reach a server to restore into.', 'Connect a bot token (Guild Vault: Connect Bot Token).');
  const ordered = [...servers.filter((server) => server.guildId === source.guildId), ...servers.filter((server) => server.guildId !== source.guildId)];
  const picked = await vscode.window.showQuickPick(
    ordered.map((server) => ({
      label: server.name,
      description: server.guildId === source.guildId ? 'this server (restore in place)' : services.connections.get(server.connectionId!)?.name,
      detail: server.guildId,
      server,
    })),
    { title: `Restore snapshot of ${source.name} into…`, placeHolder: 'Target server', matchOnDetail: true },
  );
  return picked?.server;
}
