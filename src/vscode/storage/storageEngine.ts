import * as vscode from 'vscode';
import { describeError, parseEngineChoice, selectEngine, type EngineChoice } from '../engine';
import type { Log } from '../log/log';
import { plainSetting } from '../settings/settings';

const SETTING = 'storage.engine';

function configuredChoice(log: Log): EngineChoice {
  const value = plainSetting(vscode.workspace.getConfiguration('guildVault'), SETTING);
  try {
    return parseEngineChoice(value, `The setting guildVault.${SETTING}`);
  } catch (error) {
    log.warn(`${describeError(error)}; using auto`);
    return 'auto';
  }
}

/**
 * Selects the vault's SQLite engine from `guildVault.storage.engine` (auto:
 * node:sqlite where this VS Code's Node has it, else WebAssembly SQLite), logs
 * which and why, and selects again when the setting changes (vaults opened
 * from then on use the new engine). A forced engine that cannot load falls
 * back to auto, with a message naming the setting.
 */
export async function startStorageEngine(log: Log): Promise<vscode.Disposable> {
  let applying = applyChoice(log);
  await applying;
  return vscode.workspace.onDidChangeConfiguration((event) => {
    // One after the other: the last change made is the engine that stays.
    if (event.affectsConfiguration(`guildVault.${SETTING}`)) applying = applying.then(() => applyChoice(log));
  });
}

async function applyChoice(log: Log): Promise<void> {
  const choice = configuredChoice(log);
  try {
    const selection = await selectEngine(choice);
    log.info(`Storage engine: ${selection.engine.description}; ${selection.reason} (guildVault.${SETTING}: ${choice}).`);
  } catch (error) {
    log.error(`Storage engine "${choice}" cannot be used: ${describeError(error)}`);
    void vscode.window.showErrorMessage(`Guild Vault: the storage engine "${choice}" (setting guildVault.${SETTING}) cannot be used here: ${describeError(error)} Using "auto" instead.`);
    const selection = await selectEngine('auto');
    log.info(`Storage engine: ${selection.engine.description}; ${selection.reason}.`);
  }
}

export { currentSelection } from '../engine';
