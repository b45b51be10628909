import * as vscode from 'vscode';
import { botInviteUrl, cleanBotToken, DEFAULTS, tokenShapeProblem } from '../engine';
import type { Connection } from '../connections/connection';
import { plural } from '../../core/text';
import { readSettings } from '../settings/settings';
import type { Services } from '../services';
import { registerCommand } from './registerCommand';
import { shownText } from '../text/shownText';
import { plainOptions, resolveConnection, stringArg } from './targets';

export interface ConnectOptions {
  /** API base URL for this connection (a proxy or an emulator); default: the setting. */
  apiBaseUrl?: string;
  cdnBaseUrl?: string;
  /** In memory only (the demo emulator). */
  demo?: boolean;
}

/** Connect, Disconnect, Try the Demo Server, Refresh. */
export function registerConnectionCommands(services: Services): vscode.Disposable[] {
  return [
    // From the view's title bar VS Code passes the selected row, not a token: only a string is one.
    registerCommand(services, 'guildVault.connect', 'Connect Bot Token', (token?: unknown, options?: unknown) => connect(services, stringArg(token), plainOptions<ConnectOptions>(options))),
    registerCommand(services, 'guildVault.disconnect', 'Disconnect', (arg?: unknown, options?: unknown) => disconnect(services, arg, plainOptions<{ skipConfirmation: boolean }>(options))),
    registerCommand(services, 'guildVault.tryDemo', 'Try the Demo Server', () => tryDemo(services)),
    registerCommand(services, 'guildVault.refresh', 'Refresh', () => refresh(services)),
  ];
}

/**
 * Checks a bot token (GET /users/@me) and only then stores it in
 * SecretStorage; lists the bot's servers in the tree. `token` may be passed
 * (automation); otherwise a password input box asks for it.
 */
async function connect(services: Services, token?: string, options: ConnectOptions = {}): Promise<{ id: string; name: string; servers: number } | undefined> {
  const entered = token ?? (await askForToken());
  if (entered === undefined) return undefined;
  // The same check as the CLI's and the client's: a token that cannot be one never leaves the machine.
  const cleaned = cleanBotToken(entered);
  const settings = readSettings();
  const apiBaseUrl = options.apiBaseUrl ?? settings.apiBaseUrl;
  // The CDN setting matters only when it differs from Discord's (an emulator); a connection keeps the one it was made with.
  const cdnBaseUrl = options.cdnBaseUrl ?? (settings.cdnBaseUrl !== DEFAULTS.cdnBaseUrl ? settings.cdnBaseUrl : undefined);
  const user = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Guild Vault: checking the bot token…' },
    () => services.clients.verify(cleaned, apiBaseUrl, cdnBaseUrl),
  );
  const connection: Connection = {
    id: user.id,
    name: user.global_name || user.username,
    apiBaseUrl,
    ...(cdnBaseUrl ? { cdnBaseUrl } : {}),
    ...(options.demo ? { demo: true } : {}),
  };
  // Forget what was cached for this bot before the store's change event redraws the tree.
  services.clients.forget(connection.id);
  services.catalog.invalidate(connection.id);
  await services.connections.save(connection, cleaned);
  const list = await services.catalog.guildsOf(connection);
  const servers = list.ok ? list.guilds.length : 0;
  services.log.info(`Connected ${connection.name} (${connection.id}) at ${apiBaseUrl}: ${list.ok ? plural(servers, 'server') : list.error}`);
  if (!options.demo) void announceConnection(connection, servers);
  return { id: connection.id, name: connection.name, servers };
}

async function askForToken(): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Guild Vault: Connect a Discord Bot',
    prompt: 'Paste the bot token (Developer Portal > your application > Bot > Reset Token). It is checked with Discord, then kept in VS Code\'s secret storage only.',
    password: true,
    ignoreFocusOut: true,
    placeHolder: 'Bot token',
    validateInput: (value) => (value.trim() ? tokenShapeProblem(value.trim().replace(/^Bot\s+/i, '')) : undefined),
  });
}

async function announceConnection(connection: Connection, servers: number): Promise<void> {
  if (servers > 0) {
    void vscode.window.showInformationMessage(`Guild Vault: connected the bot ${shownText(connection.name)}, in ${plural(servers, 'server')}. Back up a server from the Servers view.`);
    return;
  }
  const invite = 'Invite to a Server';
  const choice = await vscode.window.showInformationMessage(`Guild Vault: connected the bot ${shownText(connection.name)}, but it is in no server yet. Invite it with the permissions a backup needs, then refresh.`, invite);
  if (choice === invite) void vscode.env.openExternal(vscode.Uri.parse(botInviteUrl(connection.id)));
}

async function disconnect(services: Services, arg: unknown, options: { skipConfirmation?: boolean } = {}): Promise<boolean> {
  const connection = await resolveConnection(services, arg);
  if (!connection) return false;
  if (!options.skipConfirmation && !connection.demo) {
    const remove = 'Disconnect';
    const choice = await vscode.window.showWarningMessage(
      `Disconnect the bot ${connection.name}?`,
      { modal: true, detail: 'Its token is deleted from VS Code\'s secret storage. Vaults stay on disk and can still be browsed.' },
      remove,
    );
    if (choice !== remove) return false;
  }
  services.clients.forget(connection.id);
  services.catalog.invalidate(connection.id);
  await services.connections.remove(connection.id);
  services.log.info(`Disconnected ${connection.name} (${connection.id}); its token was deleted`);
  return true;
}

/** Starts the emulator in this window and connects to it like any bot. */
async function tryDemo(services: Services): Promise<{ connectionId: string; guildIds: string[]; apiBaseUrl: string } | undefined> {
  const emulator = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Guild Vault: starting the demo server…' },
    () => services.demo.start(),
  );
  const connected = await connect(services, emulator.token, { apiBaseUrl: emulator.apiBaseUrl, cdnBaseUrl: emulator.cdnBaseUrl, demo: true });
  if (!connected) return undefined;
  const backUp = 'Back Up Demo Server';
  void vscode.window
    .showInformationMessage('Guild Vault: the demo server runs inside this window on an emulated Discord API. Back it up to see snapshots and transcripts.', backUp)
    .then((choice) => {
      if (choice === backUp) void vscode.commands.executeCommand('guildVault.backUpServer', emulator.guildIds[0]);
    });
  return { connectionId: connected.id, guildIds: emulator.guildIds, apiBaseUrl: emulator.apiBaseUrl };
}

function refresh(services: Services): void {
  services.catalog.invalidate();
  services.tree.refresh();
}
