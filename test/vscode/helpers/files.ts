// The files a test run leaves: the runner's temp folder (VS Code's server data, user data and
// logs, the workspace) and the vault folders the tests choose.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The runner's temp folder for this window (VS Code's data lives in it); a new one otherwise. */
export const testRoot: string = process.env.GUILD_VAULT_TEST_TEMP || mkdtempSync(join(tmpdir(), 'guild-vault-vscode-'));

/** A fresh folder under the test root. */
export function freshDir(name: string): string {
  const dir = mkdtempSync(join(testRoot, `${name}-`));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Every regular file below `dir` (symlinks not followed). */
export function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return; // vanished meanwhile (VS Code rotates logs)
    }
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) found.push(path);
    }
  };
  walk(dir);
  return found;
}

/** Files below `dir` whose bytes contain `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
  const bytes = Buffer.from(needle);
  return filesUnder(dir).filter((file) => {
    try {
      return statSync(file).size < 512 * 1024 * 1024 && readFileSync(file).includes(bytes);
    } catch {
      return false;
    }
  });
}

/** Folders below `dir` that hold a vault (a vault.db file). */
export function vaultDirsUnder(dir: string): string[] {
  return filesUnder(dir)
    .filter((file) => file.endsWith('/vault.db'))
    .map((file) => file.slice(0, -'/vault.db'.length));
}
