import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiscordClient } from '../../../src/core/discord';
import { backupGuild } from '../../../src/core/jobs/backup';
import { VaultStore } from '../../../src/core/vault';
import { startEmulator } from '../../../src/emulator';

/** The emulator's demo server ("small": every feature, about 470 messages), backed up into a temp vault store. */
export async function backedUpDemo(): Promise<{ root: string; store: VaultStore; guildId: string }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-export-'));
  const emu = await startEmulator({ seed: 1, size: 'small', rateLimits: false });
  try {
    const guildId = emu.guildIds[0]!;
    const client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl });
    const store = new VaultStore(path.join(root, 'vaults'));
    await backupGuild(store, client, guildId, { recheckDays: 0 });
    return { root, store, guildId };
  } finally {
    await emu.close();
  }
}

/** Every file under a folder, relative, with '/' separators. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** A minimal RFC 4180 reader (quoted cells with commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

/** Chromium for browser checks: Debian's, as the VS Code suite uses. */
export const CHROMIUM = process.env.GUILD_VAULT_CHROMIUM ?? '/usr/bin/chromium';
