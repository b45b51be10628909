// Structure snapshots: take, open, compare (VS Code's diff editor with two guildvault: documents),
// compare with the live server, pin, label, delete, and the retention setting.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { renderSnapshot, type SnapshotInfo } from '../../../src/vscode/engine';
import { runCommand, startCommand } from '../helpers/commands';
import { useConnectedEmulator } from '../helpers/connectedEmulator';
import { discordApi } from '../helpers/emulator';
import { resetSetting, setSetting } from '../helpers/settings';
import { activeDiffTab, documentText } from '../helpers/tabs';
import { findItem, readServersTree } from '../helpers/tree';
import { readVault, vaultSnapshots } from '../helpers/vault';
import { hasUi, parts, requireUi, ui } from '../helpers/ui';
import { closeAllEditors } from '../helpers/views';
import { waitFor } from '../helpers/wait';

describe('Structure snapshots', () => {
  const env = useConnectedEmulator('snapshot-vaults');
  let first: SnapshotInfo;
  let second: SnapshotInfo;
  const newRole = 'Night Shift Moderators';

  after(() => resetSetting('snapshots.retention'));

  function snapshotArg(snapshot: SnapshotInfo): { guildId: string; snapshotId: number } {
    return { guildId: env.guildId, snapshotId: snapshot.id };
  }

  function stored(id: number): SnapshotInfo | undefined {
    return vaultSnapshots(env.vaultRoot, env.guildId).find((snapshot) => snapshot.id === id);
  }

  it('takes a snapshot with a label', async () => {
    const taken = await runCommand<SnapshotInfo>('guildVault.takeSnapshot', env.guildId, 'before the reorg');
    assert.ok(taken);
    first = taken;
    assert.equal(stored(first.id)?.label, 'before the reorg');
    const tree = await readServersTree();
    const item = findItem(tree, (candidate) => candidate.id === `snapshot:${env.guildId}:${first.id}`, 'the new snapshot');
    assert.match(item.label, /before the reorg/);
  });

  it('opens a snapshot as a read-only guildvault: document showing what the vault holds', async () => {
    const uri = await runCommand<vscode.Uri>('guildVault.openSnapshot', snapshotArg(first));
    assert.ok(uri);
    assert.equal(uri.scheme, 'guildvault');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    const expected = readVault(env.vaultRoot, env.guildId, (vault) => renderSnapshot(vault, first.id));
    assert.equal(vscode.window.activeTextEditor!.document.getText(), expected);
  });

  it('compares a snapshot with the previous one in the diff editor', async () => {
    await discordApi(env.emulator, 'POST', `/guilds/${env.guildId}/roles`, { name: newRole });
    const taken = await runCommand<SnapshotInfo>('guildVault.takeSnapshot', env.guildId);
    assert.ok(taken);
    second = taken;
    assert.ok(second.summary.created >= 1, 'the new role counts as created');
    const title = await runCommand<string>('guildVault.compareWithPrevious', snapshotArg(second));
    const tab = await activeDiffTab();
    assert.equal(tab.label, title);
    assert.equal(tab.original.scheme, 'guildvault');
    assert.equal(tab.modified.scheme, 'guildvault');
    assert.match(tab.original.path, new RegExp(`/snapshot/${first.id}/`));
    assert.match(tab.modified.path, new RegExp(`/snapshot/${second.id}/`));
    assert.ok(!(await documentText(tab.original)).includes(newRole));
    assert.ok((await documentText(tab.modified)).includes(newRole));
  });

  it('compares two chosen snapshots, older on the left', async () => {
    await closeAllEditors();
    await runCommand('guildVault.compareWith', snapshotArg(second), first.id);
    const tab = await activeDiffTab();
    assert.match(tab.original.path, new RegExp(`/snapshot/${first.id}/`));
    assert.match(tab.modified.path, new RegExp(`/snapshot/${second.id}/`));
  });

  it('asks which two snapshots to compare when run from the Command Palette', async function () {
    requireUi(this);
    await closeAllEditors();
    const comparing = startCommand<string>('guildVault.compareWith', env.guildId);
    await ui.waitFor(parts.quickInput, 'compare which snapshot');
    await ui.type(`#${second.id} `);
    await ui.press('Enter');
    await ui.waitFor(parts.quickInput, `compare #${second.id} with`);
    await ui.type(`#${first.id} `);
    await ui.press('Enter');
    assert.ok(await comparing);
    const tab = await activeDiffTab();
    assert.match(tab.original.path, new RegExp(`/snapshot/${first.id}/`));
    assert.match(tab.modified.path, new RegExp(`/snapshot/${second.id}/`));
  });

  it('compares the previous snapshot section by section (one entry per changed section)', async function () {
    await closeAllEditors();
    const title = await runCommand<string>('guildVault.compareSectionsWithPrevious', snapshotArg(second));
    assert.ok(title, 'the command returns its title');
    const tab = await waitFor('the multi-diff editor tab', () => {
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      return active?.label.startsWith(title) ? active : undefined; // VS Code adds "(1 file)"
    });
    assert.ok(!(tab.input instanceof vscode.TabInputText), 'not a plain text editor');
    if (!hasUi) return;
    // The changes view lists the changed sections: the new role is in Roles.
    const headers = await waitFor('the changed sections', async () => {
      const texts = await ui.texts('.multiDiffEditor .multiDiffEntry .header');
      return texts.length > 0 ? texts : undefined;
    });
    assert.ok(headers.some((header) => /Roles/.test(header)), `sections shown: ${headers.join(' | ')}`);
  });

  it('compares a snapshot with the live server', async () => {
    await closeAllEditors();
    const renamed = 'Night Shift Moderators (renamed)';
    const roles = await discordApi<{ id: string; name: string }[]>(env.emulator, 'GET', `/guilds/${env.guildId}/roles`);
    const role = roles.find((candidate) => candidate.name === newRole)!;
    await discordApi(env.emulator, 'PATCH', `/guilds/${env.guildId}/roles/${role.id}`, { name: renamed });
    const title = await runCommand<string>('guildVault.compareWithLive', snapshotArg(second));
    const tab = await activeDiffTab();
    assert.equal(tab.label, title);
    assert.match(tab.original.path, new RegExp(`/snapshot/${second.id}/`));
    assert.match(tab.modified.path, /\/live\//);
    assert.ok((await documentText(tab.modified)).includes(renamed), 'the live side shows the server as it is now');
    assert.equal(vaultSnapshots(env.vaultRoot, env.guildId).length, 2, 'comparing with live stores nothing');
  });

  it('pins and unpins', async () => {
    assert.equal(await runCommand('guildVault.pinSnapshot', snapshotArg(first)), true);
    assert.equal(stored(first.id)?.pinned, true);
    let item = findItem(await readServersTree(), (candidate) => candidate.id === `snapshot:${env.guildId}:${first.id}`, 'pinned snapshot');
    assert.match(item.contextValue, /\.pinned\b/);
    assert.equal(await runCommand('guildVault.unpinSnapshot', item.node), true);
    assert.equal(stored(first.id)?.pinned, false);
    item = findItem(await readServersTree(), (candidate) => candidate.id === `snapshot:${env.guildId}:${first.id}`, 'unpinned snapshot');
    assert.match(item.contextValue, /\.unpinned\b/);
  });

  it('labels a snapshot', async () => {
    await runCommand('guildVault.labelSnapshot', snapshotArg(second), 'after the reorg');
    assert.equal(stored(second.id)?.label, 'after the reorg');
  });

  it('asks for the label in an input box when none is given', async function () {
    requireUi(this);
    const labelling = startCommand('guildVault.labelSnapshot', snapshotArg(first));
    await ui.waitFor(parts.quickInput, `Label snapshot #${first.id}`);
    await ui.press('Control+A');
    await ui.type('typed by hand');
    await ui.press('Enter');
    await labelling;
    assert.equal(stored(first.id)?.label, 'typed by hand');
  });

  it('keeps only as many snapshots as the retention setting says, pinned ones aside', async () => {
    await runCommand('guildVault.pinSnapshot', snapshotArg(first));
    await setSetting('snapshots.retention', 2);
    for (let i = 0; i < 2; i++) assert.ok(await runCommand('guildVault.takeSnapshot', env.guildId));
    const left = vaultSnapshots(env.vaultRoot, env.guildId);
    assert.ok(left.some((snapshot) => snapshot.id === first.id), 'the pinned snapshot is kept');
    assert.equal(left.filter((snapshot) => !snapshot.pinned).length, 2, `kept: ${left.map((snapshot) => `#${snapshot.id}`).join(' ')}`);
  });

  it('asks before deleting a snapshot: not confirmed, nothing is deleted', async () => {
    // Under test, VS Code refuses to show modal dialogs ("refused to show dialog in tests"): the
    // command gets no confirmation, as if the user had cancelled.
    const newest = vaultSnapshots(env.vaultRoot, env.guildId)[0]!;
    assert.notEqual(await runCommand('guildVault.deleteSnapshot', snapshotArg(newest)), true);
    assert.ok(stored(newest.id), 'still in the vault');
  });

  it('deletes a snapshot', async () => {
    const newest = vaultSnapshots(env.vaultRoot, env.guildId)[0]!;
    await runCommand('guildVault.deleteSnapshot', snapshotArg(newest), { skipConfirmation: true });
    assert.equal(stored(newest.id), undefined);
    const tree = await readServersTree();
    assert.ok(!tree.some(function shows(item): boolean {
      return item.id === `snapshot:${env.guildId}:${newest.id}` || item.children.some(shows);
    }), 'the tree no longer shows it');
  });
});
