import * as fs from 'node:fs';
import * as path from 'node:path';
import { DB_FILE, Vault, type OpenVaultOptions } from './vault';
import { isSnowflake } from '../discord/snowflake';

/** A folder of vaults, one sub-folder per guild id. */
export class VaultStore {
  constructor(readonly root: string) {}

  dirFor(guildId: string): string {
    if (!isSnowflake(guildId)) throw new Error(`Not a guild id: ${guildId}`);
    return path.join(this.root, guildId);
  }

  has(guildId: string): boolean {
    return fs.existsSync(path.join(this.dirFor(guildId), DB_FILE));
  }

  open(guildId: string, options?: OpenVaultOptions): Vault {
    return Vault.open(this.dirFor(guildId), options);
  }

  /** Guild ids that have a vault here. */
  guildIds(): string[] {
    if (!fs.existsSync(this.root)) return [];
    return fs
      .readdirSync(this.root, { withFileTypes: true })
      // Only guild ids: a bundle being restored sits beside them as a hidden staging folder.
      .filter((entry) => entry.isDirectory() && isSnowflake(entry.name) && fs.existsSync(path.join(this.root, entry.name, DB_FILE)))
      .map((entry) => entry.name)
      .sort();
  }
}
