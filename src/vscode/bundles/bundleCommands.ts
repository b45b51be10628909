import * as path from 'node:path';
import * as vscode from 'vscode';
import { bundleFileName, isEncrypted, type BundleSummary, type RestoredVault } from '../engine';
import { formatBytes, plural } from '../../core/text';
import { registerCommand } from '../commands/registerCommand';
import { resolveServer } from '../commands/targets';
import type { Services } from '../services';
import { askNewPassphrase, askPassphrase, OFFSITE_PASSPHRASE_KEY } from './passphrase';

/** What the bundle commands take from automation (and the tests) instead of asking. */
export interface BundleCommandOptions {
  /** The bundle file to write or read. */
  file?: string;
  /** For Export: encrypt (the passphrase is asked unless given). */
  encrypt?: boolean;
  passphrase?: string;
  /** For Export: an earlier bundle of the server; only what changed since is written. */
  since?: string;
}

/** Export Vault Bundle... (a server), Restore Vault Bundle... and the passphrase of scheduled off-site copies. */
export function registerBundleCommands(services: Services): vscode.Disposable[] {
  return [
    registerCommand(services, 'guildVault.exportVaultBundle', 'Export Vault Bundle', (arg?: unknown, options?: BundleCommandOptions) => exportBundle(services, arg, options)),
    registerCommand(services, 'guildVault.restoreVaultBundle', 'Restore Vault Bundle', (_arg?: unknown, options?: BundleCommandOptions) => restoreBundleCommand(services, options)),
    registerCommand(services, 'guildVault.setOffsitePassphrase', 'Set Off-site Copy Passphrase', (passphrase?: unknown) => setOffsitePassphrase(services, passphrase)),
  ];
}

async function exportBundle(services: Services, arg: unknown, given: BundleCommandOptions = {}): Promise<BundleSummary | undefined> {
  const server = await resolveServer(services, arg, { needs: 'vault' });
  if (!server) return undefined;
  if (!services.vaults.has(server.guildId)) {
    void vscode.window.showWarningMessage(`Guild Vault: ${server.name} has no vault yet.`, 'Back Up Now').then((choice) => {
      if (choice) void vscode.commands.executeCommand('guildVault.backUpServer', server);
    });
    return undefined;
  }
  const file = given.file ?? (await chooseBundleFile(server.name));
  if (!file) return undefined;
  let encrypt = given.encrypt;
  if (encrypt === undefined) {
    const choice = await vscode.window.showQuickPick(
      [
        { label: 'Encrypted', description: 'AES-256-GCM with a passphrase: for a disk or cloud you do not trust', encrypt: true },
        { label: 'Not encrypted', description: 'anyone with the file can read the archive', encrypt: false },
      ],
      { title: `Export the vault of ${server.name}` },
    );
    if (!choice) return undefined;
    encrypt = choice.encrypt;
  }
  const passphrase = encrypt ? (given.passphrase ?? (await askNewPassphrase())) : undefined;
  if (encrypt && passphrase === undefined) return undefined;
  const summary = await services.jobs.run({
    key: `bundle:${server.guildId}`,
    title: `Exporting the vault of ${server.name}`,
    work: (job) =>
      services.workers.run(
        { kind: 'bundleCreate', vaultRoot: services.vaults.store().root, params: { guildId: server.guildId, options: { out: file, passphrase, since: given.since, force: given.file === undefined } } },
        undefined,
        job,
      ),
  });
  if (!summary) return undefined;
  const text = `Guild Vault: wrote ${path.basename(file)}, ${describeBundle(summary)}.`;
  services.log.info(`${text} (${file})`);
  void vscode.window.showInformationMessage(text, 'Reveal File').then((choice) => {
    if (choice) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(file));
  });
  return summary;
}

async function chooseBundleFile(serverName: string): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  // The server's name is a member's text: ".." or 30 letters of a fancy font must still make one visible, whole name.
  const suggested = bundleFileName(serverName, new Date());
  const uri = await vscode.window.showSaveDialog({
    title: `Export the vault of ${serverName} into one file`,
    defaultUri: folder ? vscode.Uri.joinPath(folder, suggested) : undefined,
    filters: { 'Guild Vault bundle': ['gvbundle'] },
    saveLabel: 'Export',
  });
  return uri?.fsPath;
}

function describeBundle(summary: BundleSummary): string {
  const m = summary.manifest;
  const kind = m.mode === 'full' ? 'a full bundle' : `only what changed (${plural(m.pagesIncluded, 'database page')}, ${plural(m.mediaIncluded, 'new file')})`;
  return `${kind} of ${m.guildName}, ${formatBytes(summary.bytes)}${summary.encrypted ? ', encrypted' : ''}`;
}

async function restoreBundleCommand(services: Services, given: BundleCommandOptions = {}): Promise<RestoredVault | undefined> {
  let file = given.file;
  if (!file) {
    const picked = await vscode.window.showOpenDialog({
      title: 'Restore a vault from a bundle (the bundles it builds on must be in the same folder)',
      canSelectMany: false,
      filters: { 'Guild Vault bundle': ['gvbundle'], 'All files': ['*'] },
      openLabel: 'Restore',
    });
    file = picked?.[0]?.fsPath;
  }
  if (!file) return undefined;
  const encrypted = isEncrypted(file);
  const passphrase = encrypted ? (given.passphrase ?? (await askPassphrase(`Passphrase of ${path.basename(file)}`))) : undefined;
  if (encrypted && passphrase === undefined) return undefined;
  const restored = await services.jobs.run({
    key: `bundle-restore:${file}`,
    title: `Restoring a vault from ${path.basename(file)}`,
    work: (job) => services.workers.run({ kind: 'bundleRestore', vaultRoot: services.vaults.store().root, params: { file: file!, passphrase } }, undefined, job),
  });
  if (!restored) return undefined;
  services.tree.refresh();
  const text = `Guild Vault: restored the vault of ${restored.guildName} from ${plural(restored.chain.length, 'bundle')}, with ${plural(restored.mediaFiles, 'media file')}.`;
  services.log.info(`${text} (${restored.dir})`);
  void vscode.window.showInformationMessage(text);
  return restored;
}

async function setOffsitePassphrase(services: Services, given: unknown): Promise<boolean> {
  const passphrase = typeof given === 'string' ? given : await askNewPassphrase('The passphrase scheduled off-site copies are encrypted with');
  if (passphrase === undefined) return false;
  await services.extension.secrets.store(OFFSITE_PASSPHRASE_KEY, passphrase);
  services.log.info('The off-site copy passphrase was saved in VS Code\'s secret storage.');
  void vscode.window.showInformationMessage('Guild Vault: off-site copies will be encrypted with this passphrase. Keep it elsewhere too: without it the copies cannot be read.');
  return true;
}
