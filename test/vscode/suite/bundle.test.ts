// Export Vault Bundle..., Restore Vault Bundle... and scheduled off-site copies: the whole vault in
// one encrypted file, back into a new vaults folder, and a copy after each scheduled job.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BundleSummary, RestoredVault } from '../../../src/vscode/engine';
import { runCommand } from '../helpers/commands';
import { useConnectedEmulator } from '../helpers/connectedEmulator';
import { activateGuildVault } from '../helpers/extension';
import { freshDir } from '../helpers/files';
import { resetSetting, setSetting } from '../helpers/settings';
import { readVault } from '../helpers/vault';

describe('Vault bundles', () => {
  const env = useConnectedEmulator('bundle-vaults');
  const passphrase = 'a passphrase for the test';

  const messageCount = (root: string) => readVault(root, env.guildId, (vault) => (vault.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n);

  before(async () => {
    assert.ok(await runCommand('guildVault.backUpServer', env.guildId));
  });

  after(async () => {
    for (const key of ['offsite.folder', 'offsite.keep', 'snapshots.autoIntervalHours']) await resetSetting(key);
  });

  it('exports the vault into one encrypted file and restores it into another vaults folder', async () => {
    const file = path.join(freshDir('bundle-out'), 'server.gvbundle');
    const summary = await runCommand<BundleSummary>('guildVault.exportVaultBundle', env.guildId, { file, encrypt: true, passphrase });
    assert.ok(summary, 'the command returns what it wrote');
    assert.equal(summary.encrypted, true);
    assert.equal(summary.manifest.guildId, env.guildId);
    assert.equal(fs.readFileSync(file).includes(Buffer.from(env.guildId)), false, 'nothing of the server in the clear');

    const elsewhere = freshDir('bundle-restored');
    await setSetting('vaultDirectory', elsewhere);
    const wrong = await runCommand<RestoredVault>('guildVault.restoreVaultBundle', undefined, { file, passphrase: 'not it' });
    assert.equal(wrong, undefined, 'a wrong passphrase restores nothing');
    assert.equal(fs.existsSync(path.join(elsewhere, env.guildId)), false);
    const restored = await runCommand<RestoredVault>('guildVault.restoreVaultBundle', undefined, { file, passphrase });
    assert.ok(restored);
    assert.equal(restored.dir, path.join(elsewhere, env.guildId));
    assert.equal(messageCount(elsewhere), messageCount(env.vaultRoot));
    await setSetting('vaultDirectory', env.vaultRoot);
  });

  it('writes an encrypted off-site copy after each scheduled job, keeping the newest N', async () => {
    assert.equal(await runCommand<boolean>('guildVault.setOffsitePassphrase', passphrase), true);
    const offsite = freshDir('bundle-offsite');
    await setSetting('offsite.folder', offsite);
    await setSetting('offsite.keep', 1);
    await setSetting('snapshots.autoIntervalHours', 1);
    const api = await activateGuildVault();
    const later = Date.now() + 3 * 3_600_000;
    await api.runAutomaticSnapshots(later);
    await api.runAutomaticSnapshots(later + 3 * 3_600_000);
    const copies = fs.readdirSync(path.join(offsite, env.guildId));
    assert.equal(copies.length, 1, `the newest copy only: ${copies.join(', ')}`);
    const restoredRoot = freshDir('bundle-offsite-restored');
    await setSetting('vaultDirectory', restoredRoot);
    const restored = await runCommand<RestoredVault>('guildVault.restoreVaultBundle', undefined, { file: path.join(offsite, env.guildId, copies[0]!), passphrase });
    assert.ok(restored, 'the off-site copy restores with the saved passphrase');
    assert.equal(messageCount(restoredRoot), messageCount(env.vaultRoot));
    await setSetting('vaultDirectory', env.vaultRoot);
  });
});
