import * as vscode from 'vscode';
import { showError } from '../jobs/jobRunner';
import type { Services } from '../services';

/**
 * Registers a command whose failures become one clear notification (and a
 * log line) instead of an exception VS Code reports on its own. Handlers may
 * return a value (for tests and automation); a failed command resolves to
 * undefined.
 */
export function registerCommand(
  services: Services,
  id: string,
  title: string,
  handler: (...args: any[]) => unknown,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      showError(services.log, title, error);
      return undefined;
    }
  });
}
