// Export... on a server or a channel: the format, the folder, a job with progress, and the files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExportReport } from '../../../src/vscode/engine';
import { runCommand, startCommand } from '../helpers/commands';
import { useConnectedEmulator } from '../helpers/connectedEmulator';
import { freshDir } from '../helpers/files';
import { resetSetting, setSetting } from '../helpers/settings';
import { parts, requireUi, ui } from '../helpers/ui';
import { readVault, vaultChannels } from '../helpers/vault';
import { clearNotifications, showNotifications, showServersView } from '../helpers/views';

describe('Export', () => {
  const env = useConnectedEmulator('export-vaults');
  let serverName: string;

  before(async () => {
    serverName = env.emulator.world.guild(env.guildId)!.guild.name;
    assert.ok(await runCommand('guildVault.backUpServer', env.guildId));
  });

  after(async () => {
    await ui.press('Escape').catch(() => undefined);
    await resetSetting('privacy.aliases');
  });

  it('exports the whole server as HTML pages holding every archived message', async () => {
    const outDir = freshDir('export-html');
    const report = await runCommand<ExportReport>('guildVault.export', env.guildId, { format: 'html', outDir, open: false });
    assert.ok(report, 'the command returns its report');
    const archived = readVault(env.vaultRoot, env.guildId, (vault) => (vault.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n);
    assert.equal(report.messages, archived);
    assert.ok(fs.existsSync(path.join(outDir, 'index.html')));
    let anchors = 0;
    for (const file of report.files) anchors += fs.readFileSync(path.join(outDir, file), 'utf8').match(/ id="m\d+"/g)?.length ?? 0;
    assert.equal(anchors, archived);
    assert.ok(fs.readdirSync(path.join(outDir, 'media')).length > 0, 'media copied beside the pages');
  });

  it('exports one channel with its threads, and honours the privacy aliases setting', async () => {
    await setSetting('privacy.aliases', true);
    const general = vaultChannels(env.vaultRoot, env.guildId).find((c) => c.name === 'general')!;
    const outDir = freshDir('export-channel');
    const report = await runCommand<ExportReport>('guildVault.export', { guildId: env.guildId, channelId: general.id }, { format: 'json', outDir, open: false });
    assert.ok(report);
    const threads = vaultChannels(env.vaultRoot, env.guildId).filter((c) => c.parentId === general.id && c.messageCount > 0);
    assert.equal(report.files.length, 1 + threads.length);
    const json = JSON.parse(fs.readFileSync(path.join(outDir, report.files[0]!), 'utf8')) as { channel: { id: string }; messages: { author: { name: string } }[] };
    assert.equal(json.channel.id, general.id);
    const realNames = readVault(env.vaultRoot, env.guildId, (vault) => (vault.db.prepare('SELECT username FROM users').all() as { username: string }[]).map((u) => u.username));
    assert.ok(json.messages.every((m) => !realNames.includes(m.author.name)), 'authors are aliases');
    await resetSetting('privacy.aliases');
  });

  it('says where the export is when done (here a remote host: with the path to copy)', async function () {
    requireUi(this);
    await clearNotifications();
    const outDir = freshDir('export-opened');
    const report = await runCommand<ExportReport>('guildVault.export', env.guildId, { format: 'csv', outDir });
    assert.ok(report);
    await showNotifications();
    const message = await ui.waitFor(parts.notification, 'Copy Path', 10_000);
    assert.ok(message.includes(outDir), message);
    await clearNotifications();
  });

  it('asks for the format first, and does nothing when the pick is dismissed', async function () {
    requireUi(this);
    await clearNotifications(); // an open notifications center would take the Escape
    const running = startCommand<ExportReport>('guildVault.export', env.guildId);
    await ui.waitFor(parts.quickInput, 'JSON (DiscordChatExporter)');
    await dismissQuickInput();
    assert.equal(await running, undefined);
  });

  it('is on the right-click menu of a server with a vault', async function () {
    requireUi(this);
    await clearNotifications();
    await showServersView();
    await ui.waitFor(parts.serversRows, serverName, 15_000);
    await ui.rightClick(parts.serversRows, serverName);
    await ui.chooseMenuItem('Export...');
    await ui.waitFor(parts.quickInput, 'HTML pages');
    await dismissQuickInput();
  });
});

/** Escape in the quick input, as a person does (clicked first: a key pressed before it has the focus goes elsewhere). */
async function dismissQuickInput(): Promise<void> {
  await ui.click(parts.quickInputBox);
  await ui.press('Escape');
  await ui.waitForHidden(parts.quickInput, undefined, 10_000);
}
