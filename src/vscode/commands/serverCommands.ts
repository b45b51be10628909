import * as path from 'node:path';
import * as vscode from 'vscode';
import { GuildVaultError, renderHealthDocument } from '../engine';
import { formatFullDateTime } from '../../core/text';
import type { Services } from '../services';
import { withNextStep } from '../log/nextStep';
import { registerCommand } from './registerCommand';
import { botForServer, resolveServer } from './targets';

/** Show Health, Open Vault Folder, Show Log. */
export function registerServerCommands(services: Services): vscode.Disposable[] {
  return [
    registerCommand(services, 'guildVault.showHealth', 'Show Health', (arg?: unknown) => showHealth(services, arg)),
    registerCommand(services, 'guildVault.openVaultFolder', 'Open Vault Folder', (arg?: unknown) => openVaultFolder(services, arg)),
    registerCommand(services, 'guildVault.showLog', 'Show Log', () => services.log.show()),
    registerCommand(services, 'guildVault.openSettings', 'Open Settings', () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:guildvault.guild-vault')),
  ];
}

/** Which permissions and intents the bot lacks on a server, and what each costs the backup. */
async function showHealth(services: Services, arg: unknown): Promise<vscode.Uri | undefined> {
  const server = await resolveServer(services, arg, { needs: 'connection' });
  if (!server) return undefined;
  const bot = await botForServer(services, server);
  const report = await services.jobs.run({
    key: `health:${server.guildId}`,
    title: `Checking what the bot can read in ${server.name}`,
    activity: 'checking bot access',
    work: (job) => services.workers.run({ kind: 'health', vaultRoot: services.vaults.store().root, params: { guildId: server.guildId } }, bot, job),
  });
  if (report === undefined) return undefined;
  const text = renderHealthDocument(report, formatFullDateTime(new Date()));
  const uri = services.documents.hold({ kind: 'health', guildId: server.guildId, title: `${server.name} bot access` }, text);
  await vscode.window.showTextDocument(uri, { preview: true });
  return uri;
}

/** Reveals the vault in the OS file manager; on a remote host, shows its path instead. */
async function openVaultFolder(services: Services, arg: unknown): Promise<string | undefined> {
  const server = await resolveServer(services, arg, { needs: 'vault' });
  if (!server) return undefined;
  if (!services.vaults.has(server.guildId)) {
    throw withNextStep(new GuildVaultError('VAULT_NOT_FOUND', `${server.name} has no vault yet.`, 'Back up the server first.'), { title: 'Back Up Now', command: 'guildVault.backUpServer', args: [server] });
  }
  const dir = services.vaults.dirFor(server.guildId);
  if (vscode.env.remoteName) {
    const copy = 'Copy Path';
    void vscode.window.showInformationMessage(`Guild Vault: the vault of ${server.name} is at ${dir} on the remote host.`, copy).then((choice) => {
      if (choice === copy) void vscode.env.clipboard.writeText(dir);
    });
  } else {
    await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(path.join(dir, 'vault.db')));
  }
  return dir;
}
