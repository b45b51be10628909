// Showing Guild Vault's parts of the workbench.
import * as vscode from 'vscode';

/** Opens the Guild Vault view container in the side bar (as clicking its activity bar icon does). */
export async function showServersView(): Promise<void> {
  await vscode.commands.executeCommand('workbench.view.extension.guildVault');
}

/** Closes every editor, so a test sees only the tabs it opened. */
export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Opens the notifications center (the bell), where tests see notifications: see parts.notification. */
export async function showNotifications(): Promise<void> {
  await vscode.commands.executeCommand('notifications.showList');
}

/** Dismisses all notifications. */
export async function clearNotifications(): Promise<void> {
  await vscode.commands.executeCommand('notifications.clearAll');
}
