// Runs Guild Vault's commands the way a menu or the palette does (vscode.commands.executeCommand)
// and remembers which ran, so commandsCovered.test.ts can check every contributed command was
// exercised. The record lives on globalThis: each spec file is its own bundle.
import * as vscode from 'vscode';

const RECORD = Symbol.for('guildVault.test.invokedCommands');

function invoked(): Set<string> {
  const holder = globalThis as unknown as Record<symbol, Set<string> | undefined>;
  return (holder[RECORD] ??= new Set<string>());
}

export function runCommand<T = unknown>(id: string, ...args: unknown[]): Thenable<T | undefined> {
  invoked().add(id);
  return vscode.commands.executeCommand<T | undefined>(id, ...args);
}

/** Starts a command without waiting for it (it waits for the user, or runs long). */
export function startCommand<T = unknown>(id: string, ...args: unknown[]): Promise<T | undefined> {
  const running = Promise.resolve(runCommand<T>(id, ...args));
  running.catch(() => undefined); // observed by whoever awaits it
  return running;
}

export function invokedCommands(): ReadonlySet<string> {
  return invoked();
}
