// Search Messages as a person uses it: a picker that searches the vault as they type, shows
// channel, author, time and a snippet, and opens the transcript at the chosen message with that
// message highlighted; from the palette, the view's title bar or a server's menu; one server or
// all vaults. Message text is untrusted: it must show as text, never as icons or escapes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runCommand, startCommand } from '../helpers/commands';
import { useConnectedEmulator } from '../helpers/connectedEmulator';
import type { APIMessage } from 'discord-api-types/v10';
import { parts, requireUi, ui } from '../helpers/ui';
import { clearNotifications, showServersView } from '../helpers/views';
import { waitFor } from '../helpers/wait';

interface RevealedMessage {
  uri: string;
  messageId: string;
  startLine: number;
  endLine: number;
}

const rows = '.quick-input-widget .monaco-list-row';

describe('Search Messages', () => {
  const env = useConnectedEmulator('search-vaults');
  let serverName: string;
  let walrus: APIMessage;
  let hostile: APIMessage;

  before(async function () {
    this.timeout(120_000);
    serverName = env.emulator.world.guild(env.guildId)!.guild.name;
    const channelId = env.emulator.world.readableChannelIds(env.guildId).find((id) => env.emulator.world.channel(id)?.channel.type === 0 && env.emulator.world.messageCount(id) > 5)!;
    walrus = post(channelId, 'The walrus migration report is attached');
    hostile = post(channelId, '$(bug) narwhal <script>alert(1)</script> \u202eevil');
    assert.ok(await runCommand('guildVault.backUpServer', env.guildId), 'backed up');
    await clearNotifications();
  });

  /** A message someone posts in the channel (straight into the emulator's world). */
  function post(channelId: string, content: string): APIMessage {
    const store = env.emulator.world.messageStore(channelId)!;
    const template = store.get(store.lastMessageId()!)!;
    const message = { ...template, id: env.emulator.world.liveIds.next(), content, timestamp: new Date().toISOString(), attachments: [], embeds: [], reactions: undefined } as APIMessage;
    store.append(message);
    env.emulator.world.channel(channelId)!.channel.last_message_id = message.id;
    return message;
  }

  after(async () => {
    await ui.press('Escape').catch(() => undefined);
  });

  it('searches as you type and opens the transcript at the chosen message, highlighted', async function () {
    requireUi(this);
    const chosen = startCommand<RevealedMessage>('guildVault.searchMessages', env.guildId);
    await ui.waitFor(parts.quickInput, `Search Messages in ${serverName}`);
    await ui.type('walr'); // still typing: the last word is a prefix
    const row = await ui.waitFor(rows, 'walrus migration', 10_000);
    assert.match(row, /UTC/, 'the time');
    assert.match(row, /#/, 'the channel');
    await ui.press('Enter');
    const revealed = await chosen;
    assert.ok(revealed, 'a result was opened');
    assert.equal(revealed.messageId, walrus.id);
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), revealed.uri);
    assert.equal(editor.selection.active.line, revealed.startLine);
    assert.match(editor.document.lineAt(revealed.startLine).text, /^\[\d{4}-\d\d-\d\d \d\d:\d\d\]/, 'the message header');
    const lines = Array.from({ length: revealed.endLine - revealed.startLine + 1 }, (_, i) => editor.document.lineAt(revealed.startLine + i).text).join('\n');
    assert.match(lines, /walrus migration report/);
    await waitFor('the message scrolled into view', () => vscode.window.activeTextEditor?.visibleRanges.some((range) => range.contains(new vscode.Position(revealed.startLine, 0))));
    assert.ok(revealed.startLine > 0 || editor.document.lineCount > revealed.endLine + 1, 'with the messages around it');
  });

  it('shows message text as text: no icons, no script, no bidi overrides', async function () {
    requireUi(this);
    const chosen = startCommand<RevealedMessage>('guildVault.searchMessages', { guildId: env.guildId, query: 'narwhal' });
    const row = await ui.waitFor(rows, 'narwhal', 10_000);
    assert.ok(row.includes('$(bug)'), `the "$(bug)" in the message stays text: ${row}`);
    assert.ok(row.includes('<script>'), 'markup is shown, not run');
    assert.ok(!row.includes('\u202e'), 'no bidi override');
    await ui.press('Enter');
    assert.equal((await chosen)?.messageId, hostile.id);
  });

  it('says what in a query it cannot use', async function () {
    requireUi(this);
    const chosen = startCommand<RevealedMessage>('guildVault.searchMessages', { guildId: env.guildId, query: 'walrus has:everything' });
    await ui.waitFor(rows, 'has:everything is not known', 10_000);
    await ui.press('Escape');
    assert.equal(await chosen, undefined, 'dismissed: nothing opened');
  });

  it('searches all vaults from the title bar, and switches to one server and back', async function () {
    requireUi(this);
    await showServersView();
    // The only view of its container: its title actions sit in the side bar's title.
    await ui.hover('.part.sidebar .composite.title');
    await ui.click('.part.sidebar .action-label[aria-label^="Search Messages"]');
    await ui.waitFor(parts.quickInput, 'Search Messages in all vaults');
    await ui.type('walrus');
    const row = await ui.waitFor(rows, 'walrus migration', 10_000);
    assert.ok(row.includes(serverName), `all vaults name the server: ${row}`);
    await ui.press('Escape');

    const chosen = startCommand<RevealedMessage>('guildVault.searchMessages', { guildId: env.guildId, query: 'walrus' });
    await ui.waitFor(parts.quickInput, `Search Messages in ${serverName}`);
    await ui.click('.quick-input-widget .quick-input-titlebar .action-label[aria-label="Search all vaults"]');
    await ui.waitFor(parts.quickInput, 'Search Messages in all vaults');
    await ui.waitFor(rows, 'walrus migration', 10_000);
    await ui.press('Enter');
    assert.equal((await chosen)?.messageId, walrus.id);
  });

  it('is on the menu of a backed-up server', async function () {
    requireUi(this);
    await showServersView();
    await ui.rightClick(parts.serversRows, serverName);
    await ui.chooseMenuItem('Search Messages...');
    await ui.waitFor(parts.quickInput, `Search Messages in ${serverName}`);
    await ui.press('Escape');
  });
});
