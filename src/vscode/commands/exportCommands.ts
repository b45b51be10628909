import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXPORT_FORMATS, GuildVaultError, type ExportFormat, type ExportReport, type MediaMode } from '../engine';
import { channelLabel } from '../../presentation/channelText';
import { readSettings } from '../settings/settings';
import type { Services } from '../services';
import { ChannelNode } from '../tree/nodes/channelNode';
import { registerCommand } from './registerCommand';
import { plainOptions, resolveServer } from './targets';

/** What `guildVault.export` takes from automation (and the tests) instead of asking. */
export interface ExportCommandOptions {
  format?: ExportFormat;
  outDir?: string;
  media?: MediaMode;
  /** Open the page (HTML) or the folder when done; default true. */
  open?: boolean;
}

const FORMAT_PICKS: { label: string; description: string; format: ExportFormat }[] = [
  { label: 'HTML pages', description: 'looks like Discord, works offline, dark and light', format: 'html' },
  { label: 'JSON (DiscordChatExporter)', description: 'for chat-analytics, DCE-frontend and scripts', format: 'json' },
  { label: 'Plain text', description: 'as DiscordChatExporter writes it', format: 'txt' },
  { label: 'CSV', description: 'one row per message, for spreadsheets', format: 'csv' },
];

/** Export... on a server (everything) or a channel (with its threads): format, folder, then a cancellable job. */
export function registerExportCommands(services: Services): vscode.Disposable[] {
  return [registerCommand(services, 'guildVault.export', 'Export', (arg?: unknown, options?: unknown) => runExport(services, arg, plainOptions<ExportCommandOptions>(options)))];
}

async function runExport(services: Services, arg: unknown, given: ExportCommandOptions = {}): Promise<ExportReport | undefined> {
  const channel = arg instanceof ChannelNode ? arg.channel : undefined;
  const target = arg instanceof ChannelNode ? arg.server : (arg as { channelId?: unknown } | undefined)?.channelId ? { guildId: (arg as { guildId: string }).guildId } : arg;
  const server = await resolveServer(services, target, { needs: 'vault' });
  if (!server) return undefined;
  if (!services.vaults.has(server.guildId)) throw new GuildVaultError('VAULT_NOT_FOUND', `${server.name} has no vault yet.`, 'Back up the server first.');
  const channelId = channel?.id ?? (typeof (arg as { channelId?: unknown } | undefined)?.channelId === 'string' ? (arg as { channelId: string }).channelId : undefined);
  const what = channel ? `${server.name} ${channelLabel(channel)}` : server.name;

  let format = given.format;
  if (!format) {
    const picked = await vscode.window.showQuickPick(FORMAT_PICKS, { title: `Export ${what} as` });
    if (!picked) return undefined;
    format = picked.format;
  }
  if (!EXPORT_FORMATS.includes(format)) throw new GuildVaultError('INVALID_ARGUMENT', `Unknown export format "${format}".`, `Use one of ${EXPORT_FORMATS.join(', ')}.`);
  let outDir = given.outDir;
  if (!outDir) {
    const folders = await vscode.window.showOpenDialog({
      title: `Export ${what}: choose a folder (exporting again into it rewrites only what changed)`,
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Export Here',
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    if (!folders?.length) return undefined;
    outDir = folders[0]!.fsPath;
  }

  const aliases = readSettings().privacyAliases;
  const report = await services.jobs.run({
    key: `export:${server.guildId}`,
    title: `Exporting ${what} as ${format.toUpperCase()}`,
    work: (job) => {
      const options = { format: format!, outDir: outDir!, media: given.media, aliases, channelIds: channelId ? [channelId] : undefined };
      return services.workers.run({ kind: 'export', vaultRoot: services.vaults.store().root, params: { guildId: server.guildId, options } }, undefined, job);
    },
  });
  if (!report) return undefined;
  services.log.info(report.summary);
  if (given.open !== false) await openResult(report, channelId);
  else void vscode.window.showInformationMessage(report.summary);
  return report;
}

/**
 * The page in the browser (HTML) or the folder in the file manager. On a remote
 * host neither is on this machine: the message says where the export is, with a
 * Copy Path button.
 */
async function openResult(report: ExportReport, channelId: string | undefined): Promise<void> {
  const target = report.format === 'html' ? channelPage(report, channelId) : report.outDir;
  if (vscode.env.remoteName) {
    const copy = 'Copy Path';
    void vscode.window.showInformationMessage(`${report.summary} It is at ${target} on the remote host.`, copy).then((choice) => {
      if (choice === copy) void vscode.env.clipboard.writeText(target);
    });
    return;
  }
  void vscode.window.showInformationMessage(report.summary);
  if (report.format === 'html') await vscode.env.openExternal(vscode.Uri.file(target));
  else await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(target));
}

/** The page to open: the channel's own page when one channel was exported, else the index. */
function channelPage(report: ExportReport, channelId: string | undefined): string {
  if (!channelId) return report.entry;
  const page = report.files?.find((file) => file.includes(`-${channelId}.`));
  return page ? path.join(report.outDir, page) : report.entry;
}
