import * as vscode from 'vscode';
import { describeMigrationPlan, GuildVaultError, type MigratePlan, type MigrateReport } from '../engine';
import { formatCount, formatDuration, plural } from '../../core/text';
import { readSettings } from '../settings/settings';
import type { Services } from '../services';
import { registerCommand } from './registerCommand';
import type { ServerRef } from '../servers/server';
import { botForServer, ensureIdle, resolveServer } from './targets';

/** For automation and tests: what the pickers and the confirmation would ask. */
export interface MigrateArgs {
  targetGuildId?: string;
  channelIds?: string[];
  skipConfirmation?: boolean;
}

/** "Migrate Messages To...": a server's archive replayed into another server of the same bot. */
export function registerMigrateCommands(services: Services): vscode.Disposable[] {
  return [registerCommand(services, 'guildVault.migrateMessages', 'Migrate Messages', (arg?: unknown, args?: MigrateArgs) => migrate(services, arg, args ?? {}))];
}

async function migrate(services: Services, arg: unknown, args: MigrateArgs): Promise<MigrateReport | undefined> {
  const server = await resolveServer(services, arg, { needs: 'vault' });
  if (!server) return undefined;
  if (!services.vaults.has(server.guildId)) throw new GuildVaultError('VAULT_NOT_FOUND', `${server.name} has no vault yet.`, 'Back up the server first: its archive is what gets migrated.');
  ensureIdle(services, server);
  const bot = await botForServer(services, server);
  const targetGuildId = args.targetGuildId ?? (await pickTarget(services, server));
  if (!targetGuildId) return undefined;
  const vaultRoot = services.vaults.store().root;
  const aliases = readSettings().privacyAliases;
  const planned = await services.jobs.run({
    key: `migrate-plan:${server.guildId}`,
    title: `Planning the migration of ${server.name}`,
    work: (job) => services.workers.run({ kind: 'migrationPlan', vaultRoot, params: { guildId: server.guildId, options: { targetGuildId, aliases } } }, bot, job),
  });
  if (!planned) return undefined;
  services.log.info(describeMigrationPlan(planned).join('\n'));
  const channelIds = args.channelIds ?? (await pickChannels(planned));
  if (!channelIds || channelIds.length === 0) return undefined;
  if (!args.skipConfirmation && !(await confirm(planned, channelIds))) return undefined;
  const report = await services.jobs.run({
    key: server.guildId,
    title: `Migrating ${server.name} to ${planned.targetName}`,
    activity: 'migrating',
    work: (job) => services.workers.run({ kind: 'migrate', vaultRoot, params: { guildId: server.guildId, options: { targetGuildId, channelIds, aliases } } }, bot, job),
  });
  if (!report) return undefined;
  services.log.info(`Migration of ${server.name}: ${report.summary}`);
  for (const problem of report.problems) services.log.warn(`migration: ${problem}`);
  for (const f of report.failed) services.log.warn(`migration: not sent: ${f.channel} message ${f.sourceMessageId}: ${f.reason}`);
  const text = `Migrated ${server.name}: ${report.summary}.`;
  const shown = report.failed.length || report.problems.length ? vscode.window.showWarningMessage(text, 'Show Log') : vscode.window.showInformationMessage(text, 'Show Log');
  void shown.then((choice) => choice === 'Show Log' && services.log.show());
  return report;
}

/** The bot's other servers, for the target. */
async function pickTarget(services: Services, server: ServerRef): Promise<string | undefined> {
  const connection = server.connectionId ? services.connections.get(server.connectionId) : undefined;
  const list = connection ? await services.catalog.guildsOf(connection) : undefined;
  const guilds = list?.ok ? list.guilds.filter((g) => g.id !== server.guildId) : [];
  if (guilds.length === 0) throw new GuildVaultError('NOT_FOUND', 'The bot is in no other server to migrate into.', 'Invite the bot to the new server (with Manage Webhooks), restore the structure there, then migrate.');
  const picked = await vscode.window.showQuickPick(
    guilds.map((g) => ({ label: g.name, description: g.id, id: g.id })),
    { title: 'Migrate messages into which server?', placeHolder: 'Its structure should be restored from this server first' },
  );
  return picked?.id;
}

/** The channels to migrate, all of those that can go picked at first. */
async function pickChannels(plan: MigratePlan): Promise<string[] | undefined> {
  const items = plan.channels.map((c) => ({
    label: c.label,
    description: `${plural(c.messages, 'message')}${c.threads ? `, ${plural(c.threads, 'thread')}` : ''}${c.files ? `, ${plural(c.files, 'file')}` : ''}`,
    detail: c.problem ? `Cannot go: ${c.problem}` : undefined,
    picked: !c.problem && c.messages > 0,
    id: c.sourceId,
  }));
  const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: `Channels to migrate into ${plan.targetName}` });
  return picked?.map((p) => p.id);
}

async function confirm(plan: MigratePlan, channelIds: string[]): Promise<boolean> {
  const chosen = plan.channels.filter((c) => channelIds.includes(c.sourceId) && !c.problem);
  const messages = chosen.reduce((n, c) => n + c.messages, 0);
  const seconds = Math.ceil((plan.estimatedSeconds * messages) / Math.max(1, plan.messages));
  const go = 'Migrate';
  const answer = await vscode.window.showInformationMessage(
    `Post ${plural(messages, 'message')} from ${plural(chosen.length, 'channel')} into ${plan.targetName}?`,
    { modal: true, detail: `About ${formatDuration(seconds * 1000)} at Discord's webhook limits. Messages show their author's name and original time, ping nobody and are sent silently; a stopped migration continues where it stopped.` },
    go,
  );
  return answer === go;
}
