import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../engine';
import type { ServerRef } from '../servers/server';
import type { Services } from '../services';
import { OFFSITE_PASSPHRASE_KEY } from './passphrase';
import { plural } from '../../core/text';

/** The guildVault.offsite.* settings, read fresh each time. */
export interface OffsiteSettings {
  /** Empty: no off-site copies. */
  folder: string;
  keep: number;
  encrypt: boolean;
}

export function readOffsiteSettings(): OffsiteSettings {
  const config = vscode.workspace.getConfiguration('guildVault.offsite');
  return {
    folder: config.get<string>('folder', '').trim().replace(/^~(?=$|[\\/])/, process.env.HOME ?? '~'),
    keep: Math.max(1, Math.floor(config.get<number>('keep', 7))),
    encrypt: config.get<boolean>('encrypt', true),
  };
}

/**
 * After a scheduled job: a full bundle of the server's vault into the off-site folder (one
 * sub-folder per server), keeping the newest `keep`. Encrypted with the passphrase kept in VS
 * Code's secret storage; without one it writes nothing and says how to set it (never a plain copy
 * the person did not ask for). Returns the file written.
 */
export async function writeOffsiteCopy(services: Services, server: ServerRef): Promise<string | undefined> {
  const settings = readOffsiteSettings();
  if (!settings.folder || !services.vaults.has(server.guildId)) return undefined;
  if (!path.isAbsolute(settings.folder)) {
    services.log.warn(`Off-site copies: "${settings.folder}" is not an absolute folder path; no copy written.`);
    return undefined;
  }
  const passphrase = settings.encrypt ? await services.extension.secrets.get(OFFSITE_PASSPHRASE_KEY) : undefined;
  if (settings.encrypt && !passphrase) {
    services.log.warn('Off-site copies are to be encrypted, but no passphrase is set; no copy written.');
    void vscode.window.showWarningMessage('Guild Vault: set the passphrase for encrypted off-site copies (or turn guildVault.offsite.encrypt off).', 'Set Passphrase').then((choice) => {
      if (choice) void vscode.commands.executeCommand('guildVault.setOffsitePassphrase');
    });
    return undefined;
  }
  const dir = path.join(settings.folder, server.guildId);
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.gvbundle`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    await services.jobs.runOrThrow({
      key: `bundle:${server.guildId}`,
      title: `Off-site copy of ${server.name}`,
      background: true,
      work: (job) => services.workers.run({ kind: 'bundleCreate', vaultRoot: services.vaults.store().root, params: { guildId: server.guildId, options: { out: file, passphrase } } }, undefined, job),
    });
    const removed = pruneCopies(dir, settings.keep);
    services.log.info(`Off-site copy of ${server.name} written to ${file}${removed ? `; ${plural(removed, 'older one')} removed` : ''}.`);
    return file;
  } catch (error) {
    services.log.warn(`Off-site copy of ${server.name} failed: ${describeError(error)}`);
    return undefined;
  }
}

/** Keeps the newest `keep` bundles of a server's folder (names sort by time); returns how many went. */
function pruneCopies(dir: string, keep: number): number {
  const bundles = fs.readdirSync(dir).filter((name) => name.endsWith('.gvbundle')).sort();
  const doomed = bundles.slice(0, Math.max(0, bundles.length - keep));
  for (const name of doomed) fs.rmSync(path.join(dir, name), { force: true });
  return doomed.length;
}
