/**
 * docs/export-html.png: the emulator's demo server backed up, exported as HTML,
 * and a channel page opened in Chromium (Debian's, as the VS Code runner uses),
 * in the dark theme. `npm run screenshot:export`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { DiscordClient } from '../src/core/discord';
import { exportServer } from '../src/core/export';
import { backupGuild } from '../src/core/jobs/backup';
import { VaultStore } from '../src/core/vault';
import { startEmulator } from '../src/emulator';

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-export-shot-'));
  const emu = await startEmulator({ seed: 1, size: 'small', rateLimits: false });
  try {
    const guildId = emu.guildIds[0]!;
    const store = new VaultStore(path.join(root, 'vaults'));
    await backupGuild(store, new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl }), guildId, {});
    const vault = store.open(guildId, { mode: 'read' });
    const out = path.join(root, 'export');
    const report = await exportServer(vault, { format: 'html', outDir: out }).finally(() => vault.close());
    const page = report.files.find((f) => f.startsWith('general-'))!;
    const browser = await chromium.launch({ executablePath: process.env.GUILD_VAULT_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const tab = await browser.newPage({ viewport: { width: 1200, height: 820 }, colorScheme: 'dark' });
      await tab.goto(`file://${path.join(out, page)}`);
      // A stretch with a reply, an embed, reactions and an attachment.
      await tab.evaluate(() => document.querySelector('.embed')?.closest('.group')?.previousElementSibling?.previousElementSibling?.scrollIntoView());
      const target = path.join(__dirname, '..', 'docs', 'export-html.png');
      await tab.screenshot({ path: target });
      console.log(`wrote ${target}`);
    } finally {
      await browser.close();
    }
  } finally {
    await emu.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
