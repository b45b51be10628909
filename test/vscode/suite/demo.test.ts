// The demo server: Try the Demo Server starts the emulator inside VS Code and connects to it; a
// backup of it fills the tree with snapshots and channels that match the vault, and transcripts
// open from the tree.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runCommand } from '../helpers/commands';
import { freshDir } from '../helpers/files';
import { resetSetting, setSetting } from '../helpers/settings';
import { allItems, describeTree, findItem, readServersTree, type ShownItem } from '../helpers/tree';
import { vaultChannels, vaultSnapshots } from '../helpers/vault';
import { closeAllEditors } from '../helpers/views';

describe('Try the Demo Server', () => {
  let vaultRoot: string;
  let demo: { connectionId: string; guildIds: string[]; apiBaseUrl: string };
  let guildId: string;

  before(async () => {
    vaultRoot = freshDir('demo-vaults');
    await setSetting('vaultDirectory', vaultRoot);
  });

  after(async () => {
    if (demo) await runCommand('guildVault.disconnect', demo.connectionId, { skipConfirmation: true });
    await resetSetting('vaultDirectory');
    await closeAllEditors();
  });

  function demoServerItem(tree: ShownItem[]): ShownItem {
    return findItem(tree, (item) => item.id === `server:${demo.connectionId}:${guildId}`, 'demo server');
  }

  it('starts the emulator and connects to it', async () => {
    const started = await runCommand<typeof demo>('guildVault.tryDemo');
    assert.ok(started, 'the command returns the demo connection');
    demo = started;
    guildId = demo.guildIds[0]!;
    assert.match(demo.apiBaseUrl, /^http:\/\/127\.0\.0\.1:\d+\//);
    const tree = await readServersTree(/^connection/, 1);
    const bot = findItem(tree, (item) => item.id === `connection:${demo.connectionId}`, 'demo bot');
    assert.equal(bot.contextValue, 'connection.demo');
    assert.match(bot.description, /demo/);
    // A name of its own: "Disconnect Guild Vault?" would read like removing the extension.
    assert.equal(bot.label, 'Demo Bot');
    // On a port VS Code is told not to forward (a forwarded port would publish the demo's token).
    const port = Number(new URL(demo.apiBaseUrl).port);
    const ranges = vscode.workspace.getConfiguration('remote').get<Record<string, { onAutoForward?: string }>>('portsAttributes') ?? {};
    const range = Object.entries(ranges).find(([key]) => {
      const [first, last] = key.split('-').map(Number);
      return port >= first! && port <= last!;
    });
    assert.equal(range?.[1].onAutoForward, 'ignore', `port ${port} in ${JSON.stringify(ranges)}`);
    assert.equal(demoServerItem(tree).label, 'Guild Vault Demo');
    assert.match(demoServerItem(tree).description, /not backed up/);
  });

  it('backs up the demo server', async () => {
    const report = await runCommand('guildVault.backUpServer', guildId);
    assert.ok(report, 'the backup finished with a report');
    assert.equal(vaultSnapshots(vaultRoot, guildId).length, 1);
    assert.ok(vaultChannels(vaultRoot, guildId).some((channel) => channel.messageCount > 0), 'messages were archived');
  });

  it('shows the snapshots the vault holds, newest first', async () => {
    const tree = await readServersTree();
    const server = demoServerItem(tree);
    assert.match(server.contextValue, /\bhasVault\b/);
    assert.match(server.contextValue, /\bhasSnapshots\b/);
    const snapshots = findItem(server.children, (item) => item.label === 'Snapshots', 'Snapshots node');
    const stored = vaultSnapshots(vaultRoot, guildId);
    assert.deepEqual(
      snapshots.children.map((item) => item.label.split(' ')[0]),
      stored.map((snapshot) => `#${snapshot.id}`),
      describeTree(snapshots.children),
    );
    assert.ok(snapshots.children.every((item) => item.command?.command === 'guildVault.openSnapshot'));
  });

  it('shows every archived channel with its message count, threads under their parents', async () => {
    const tree = await readServersTree();
    const channelsNode = findItem(demoServerItem(tree).children, (item) => item.label === 'Channels', 'Channels node');
    const shown = allItems(channelsNode.children);
    const stored = vaultChannels(vaultRoot, guildId);
    assert.deepEqual(shown.map((item) => item.id.split(':').pop()).sort(), stored.map((channel) => channel.id).sort(), describeTree(channelsNode.children));
    for (const channel of stored) {
      const item = shown.find((candidate) => candidate.id.endsWith(`:${channel.id}`))!;
      if (channel.parentId && stored.some((parent) => parent.id === channel.parentId)) {
        const parent = shown.find((candidate) => candidate.id.endsWith(`:${channel.parentId}`))!;
        assert.ok(parent.children.includes(item), `${item.label} sits under ${parent.label}`);
      }
      if (channel.type !== 4 && channel.messageCount > 0) {
        assert.match(item.description, new RegExp(`\\b${channel.messageCount.toLocaleString('en-US')} msgs?\\b`), `${item.label}: ${item.description}`);
      }
    }
    const messages = stored.reduce((sum, channel) => sum + channel.messageCount, 0);
    assert.match(channelsNode.description, new RegExp(`${messages.toLocaleString('en-US')} msgs`));
  });

  it('opens a channel transcript from the tree', async () => {
    const tree = await readServersTree();
    const channelsNode = findItem(demoServerItem(tree).children, (item) => item.label === 'Channels', 'Channels node');
    const channel = findItem(channelsNode.children, (item) => /\barchived\b/.test(item.contextValue), 'archived channel');
    assert.equal(channel.command?.command, 'guildVault.openTranscript');
    const uri = await runCommand<vscode.Uri>('guildVault.openTranscript', ...(channel.command!.arguments ?? []));
    assert.ok(uri);
    assert.equal(uri.scheme, 'guildvault');
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), uri.toString());
    const text = editor!.document.getText();
    assert.ok(text.length > 200, 'the transcript has the messages');
    const stored = vaultChannels(vaultRoot, guildId).find((candidate) => channel.id.endsWith(`:${candidate.id}`))!;
    assert.ok(text.includes(stored.name), `the transcript names #${stored.name}`);
  });
});
