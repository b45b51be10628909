import { GuildVaultError } from '../../errors';
import type { EngineName, StorageEngine } from './database';
import { loadNativeEngine } from './nativeEngine';
import { loadWasmEngine } from './wasmEngine';

/** What the user asked for: `guildVault.storage.engine`, `--engine`, GUILD_VAULT_ENGINE. */
export type EngineChoice = 'auto' | EngineName;
export const ENGINE_CHOICES: readonly EngineChoice[] = ['auto', 'native', 'wasm'];

export interface EngineSelection {
  engine: StorageEngine;
  /** Why this engine, for the log: "node:sqlite is not available in Node 20.20.2 (ERR_UNKNOWN_BUILTIN_MODULE)". */
  reason: string;
}

export function parseEngineChoice(value: string | undefined, source: string): EngineChoice {
  const choice = (value ?? '').trim().toLowerCase() || 'auto';
  if ((ENGINE_CHOICES as readonly string[]).includes(choice)) return choice as EngineChoice;
  throw new GuildVaultError('INVALID_ARGUMENT', `${source} is "${value}"; it must be one of ${ENGINE_CHOICES.join(', ')}.`, 'auto picks node:sqlite where this Node has it and WebAssembly SQLite elsewhere.');
}

let selected: EngineSelection | undefined;

/**
 * Picks the storage engine for this process: node:sqlite where it loads
 * (file-backed, no size limit), else sql.js. Hosts call this once at start
 * (the WASM engine compiles asynchronously); Vault.open then uses it.
 */
export async function selectEngine(choice: EngineChoice = 'auto'): Promise<EngineSelection> {
  selected = await resolveEngine(choice);
  return selected;
}

export async function resolveEngine(choice: EngineChoice): Promise<EngineSelection> {
  if (choice === 'wasm') return { engine: await loadWasmEngine(), reason: 'asked for by the engine setting' };
  const native = loadNativeEngine();
  if ('engine' in native) return { engine: native.engine, reason: choice === 'native' ? 'asked for by the engine setting' : 'node:sqlite is available' };
  if (choice === 'native') {
    throw new GuildVaultError('UNSUPPORTED_RUNTIME', `The native storage engine was asked for, but ${native.reason}.`, 'Use the "auto" or "wasm" engine, or a VS Code 1.101+ / Node 22.13+ that has node:sqlite.');
  }
  return { engine: await loadWasmEngine(), reason: native.reason };
}

/**
 * The engine Vault.open uses: the selected one, else node:sqlite if it loads
 * synchronously. Without a selection on a host lacking node:sqlite this is a
 * programming error of the host, said as such.
 */
export function currentEngine(): StorageEngine {
  if (selected) return selected.engine;
  const native = loadNativeEngine();
  if ('engine' in native) {
    selected = { engine: native.engine, reason: 'node:sqlite is available' };
    return native.engine;
  }
  throw new GuildVaultError('UNSUPPORTED_RUNTIME', `No storage engine was selected and ${native.reason}.`, 'The host must await selectEngine() before opening a vault.');
}

export function currentSelection(): EngineSelection | undefined {
  return selected;
}
