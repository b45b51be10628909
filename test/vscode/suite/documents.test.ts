// What Guild Vault's documents and its palette look like to a person: snapshot documents with an
// outline, titles that tell snapshots of one day apart, no ".txt" names, nested role fields on
// lines of their own, a readable health report; a palette that offers only what can work and
// failures that offer the next step; the walkthrough; the CDN setting for an emulator.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SnapshotInfo } from '../../../src/vscode/engine';
import { runCommand, startCommand } from '../helpers/commands';
import { connectTo, discordApi, startTestEmulator, type Emulator } from '../helpers/emulator';
import { guildVaultExtension } from '../helpers/extension';
import { freshDir } from '../helpers/files';
import { resetSetting, setSetting } from '../helpers/settings';
import { activeDiffTab, documentText } from '../helpers/tabs';
import { parts, requireUi, ui } from '../helpers/ui';
import { readVault } from '../helpers/vault';
import { clearNotifications, closeAllEditors, showNotifications } from '../helpers/views';
import { waitFor } from '../helpers/wait';

/** The palette's entries for a search, as a person sees them. */
async function paletteOffers(search: string): Promise<string[]> {
  // A pick left open (by an earlier test) or the palette of a previous look must be gone, or its
  // rows would be read.
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  await ui.waitForHidden(parts.quickInput);
  void vscode.commands.executeCommand('workbench.action.quickOpen', `>${search}`);
  await ui.waitFor(parts.quickInput);
  const read = async () => (await ui.texts(`${parts.quickInput} .monaco-list-row .label-name`)).map((text) => text.trim());
  // The list fills and filters as it opens: read it until it stops changing.
  let rows = await read();
  for (let settled = 0; settled < 3; ) {
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 250));
    const again = await read();
    settled = JSON.stringify(again) === JSON.stringify(rows) ? settled + 1 : 0;
    rows = again;
  }
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  await ui.waitForHidden(parts.quickInput);
  return rows;
}

describe('Documents, palette and walkthrough', () => {
  let emulator: Emulator;
  let vaultRoot: string;
  let botId: string | undefined;
  let guildId: string;
  let first: SnapshotInfo;
  let second: SnapshotInfo;

  before(async () => {
    emulator = await startTestEmulator({ size: 'demo' }); // two servers
    guildId = emulator.guildIds[0]!;
    vaultRoot = freshDir('document-vaults');
    await setSetting('vaultDirectory', vaultRoot);
  });

  after(async () => {
    if (botId) await runCommand('guildVault.disconnect', botId, { skipConfirmation: true });
    await resetSetting('vaultDirectory');
    await resetSetting('apiBaseUrl');
    await resetSetting('cdnBaseUrl');
    await emulator?.close();
    await closeAllEditors();
  });

  it('offers in the palette only what can work before a bot is connected', async function () {
    requireUi(this);
    const offered = await paletteOffers('Guild Vault: ');
    assert.ok(offered.some((title) => /Connect Bot Token/.test(title)), offered.join(' | '));
    for (const absent of ['Back Up Server', 'Compare Two Snapshots...', 'Cancel Running Backup', 'Disconnect Bot...']) {
      assert.ok(!offered.some((title) => title.endsWith(absent)), `"${absent}" offered: ${offered.join(' | ')}`);
    }
  });

  it('downloads media from guildVault.cdnBaseUrl when connected through the settings', async () => {
    await setSetting('apiBaseUrl', emulator.apiBaseUrl);
    await setSetting('cdnBaseUrl', emulator.cdnBaseUrl);
    const connected = await runCommand<{ id: string }>('guildVault.connect', emulator.token);
    assert.ok(connected);
    botId = connected.id;
    assert.ok(await runCommand('guildVault.backUpServer', guildId));
    const stored = readVault(vaultRoot, guildId, (vault) => (vault.db.prepare("SELECT count(*) AS n FROM media_refs WHERE status = 'stored'").get() as { n: number }).n);
    assert.ok(stored > 0, 'media came from the emulator\'s CDN');
  });

  it('offers the server commands in the palette once a bot is connected, Compare Two Snapshots once there are snapshots', async function () {
    requireUi(this);
    const offered = await paletteOffers('Guild Vault: ');
    assert.ok(offered.some((title) => title.endsWith('Back Up Server')), offered.join(' | '));
    assert.ok((await paletteOffers('Guild Vault: Compare Two')).some((title) => title.endsWith('Compare Two Snapshots...')));
    assert.ok(!(await paletteOffers('Guild Vault: Cancel Running')).some((title) => title.endsWith('Cancel Running Backup')), 'no job runs');
  });

  it('lists only servers that have a vault when a command needs one', async () => {
    // Two servers, one backed up: Open Vault Folder asks nothing, it opens that one.
    assert.ok(emulator.guildIds.length >= 2);
    const dir = await runCommand<string>('guildVault.openVaultFolder');
    assert.ok(dir?.endsWith(guildId), `opened ${dir}`);
  });

  it('titles diffs so two snapshots of the same day are told apart, in documents without ".txt"', async () => {
    first = (await runCommand<SnapshotInfo>('guildVault.takeSnapshot', guildId))!;
    await discordApi(emulator, 'POST', `/guilds/${guildId}/roles`, { name: 'Same Day Role', colors: { primary_color: 0xff0000, secondary_color: 0x00ff00 } });
    second = (await runCommand<SnapshotInfo>('guildVault.takeSnapshot', guildId))!;
    const title = await runCommand<string>('guildVault.compareWithPrevious', { guildId, snapshotId: second.id });
    assert.ok(title);
    const times = [...title.matchAll(/\(([^)]+)\)/g)].map((match) => match[1]);
    assert.equal(times.length, 2, title);
    assert.match(times[0]!, /\d\d:\d\d$/, 'each side says its time of day');
    const tab = await activeDiffTab();
    for (const uri of [tab.original, tab.modified]) assert.doesNotMatch(uri.path, /\.txt$/);
    assert.equal((await vscode.workspace.openTextDocument(tab.modified)).languageId, 'guildvault-snapshot');
  });

  it('writes nested role fields on lines of their own', async () => {
    const uri = await runCommand<vscode.Uri>('guildVault.openSnapshot', { guildId, snapshotId: second.id });
    const text = await documentText(uri!);
    const block = text.slice(text.indexOf('@Same Day Role'));
    assert.match(block, /\n {2}colors:\n {4}primary_color: #ff0000\n/);
    assert.doesNotMatch(text, /colors: \{/);
  });

  it('gives snapshot documents an outline: sections, then roles and channels', async () => {
    const uri = await runCommand<vscode.Uri>('guildVault.openSnapshot', { guildId, snapshotId: second.id });
    const symbols = await waitFor('the outline', async () => {
      const found = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
      return found?.length ? found : undefined;
    });
    const names = symbols.map((symbol) => symbol.name);
    assert.ok(names.some((name) => name.startsWith('Roles')) && names.some((name) => name.startsWith('Channels')), names.join(', '));
    const roles = symbols.find((symbol) => symbol.name.startsWith('Roles'))!;
    assert.ok(roles.children.some((child) => child.name.startsWith('@Same Day Role')), roles.children.map((child) => child.name).join(', '));
  });

  it('shows changed sections as modified, not renamed', async function () {
    requireUi(this);
    await closeAllEditors();
    await runCommand('guildVault.compareSectionsWithPrevious', { guildId, snapshotId: second.id });
    const headers = await waitFor('the changed sections', async () => {
      const texts = await ui.texts('.multiDiffEditor .multiDiffEntry .header');
      return texts.length > 0 ? texts : undefined;
    });
    assert.ok(headers.some((header) => /Roles/.test(header)), headers.join(' | '));
    assert.ok(headers.every((header) => !header.includes('→')), `a rename arrow in: ${headers.join(' | ')}`);
  });

  it('opens the health report in a language of its own that wraps its lines', async () => {
    const uri = await runCommand<vscode.Uri>('guildVault.showHealth', guildId);
    const document = await vscode.workspace.openTextDocument(uri!);
    await waitFor('the health report language', () => document.languageId === 'guildvault-health');
    assert.equal(vscode.workspace.getConfiguration('editor', { languageId: 'guildvault-health' }).get('wordWrap'), 'on');
  });

  it('offers the next step as a button when a command cannot work yet', async function () {
    requireUi(this);
    await clearNotifications();
    // The other server has no vault yet: Open Vault Folder on it says so and offers Back Up Now.
    await runCommand('guildVault.openVaultFolder', emulator.guildIds[1]);
    await showNotifications();
    const message = await ui.waitFor(parts.notification, 'has no vault yet');
    assert.match(message, /^Guild Vault: Open Vault Folder: .* has no vault yet/m);
    assert.deepEqual(
      (await ui.texts(`${parts.notification}:has-text("has no vault yet") .monaco-button`)).map((text) => text.trim()),
      ['Back Up Now', 'Show Log'],
    );
    await clearNotifications();
  });

  it('opens its settings from the view menu', async () => {
    await runCommand('guildVault.openSettings');
    await waitFor('the Settings editor', () => vscode.window.tabGroups.activeTabGroup.activeTab?.label.includes('Settings'));
    await closeAllEditors();
  });

  it('has a walkthrough whose steps link only to its own commands', async function () {
    const walkthroughs = guildVaultExtension().packageJSON.contributes.walkthroughs as { id: string; title: string; steps: { description: string }[] }[];
    const commands = new Set((guildVaultExtension().packageJSON.contributes.commands as { command: string }[]).map((entry) => entry.command));
    const linked = walkthroughs.flatMap((walkthrough) => walkthrough.steps.flatMap((step) => [...step.description.matchAll(/\(command:([\w.]+)/g)].map((match) => match[1]!)));
    assert.ok(linked.length >= 5);
    assert.deepEqual(linked.filter((command) => !commands.has(command)), []);
    requireUi(this);
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${guildVaultExtension().id}#${walkthroughs[0]!.id}`, false);
    await ui.waitFor('.gettingStartedContainer', walkthroughs[0]!.title, 15_000);
    await closeAllEditors();
  });
});
