// `npm run test:vscode:electron`: the same suite as `npm run test:vscode`, run the standard way
// with @vscode/test-electron, which downloads VS Code (desktop) into .vscode-test/. For machines
// that can reach VS Code's downloads; offline machines use runOffline.ts.
// GUILD_VAULT_VSCODE_VERSION picks the VS Code version (default: stable).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildSuite, SUITE_ENTRY } from './buildSuite';
import { REPO_ROOT } from './toolchain';

async function main(): Promise<void> {
  await buildSuite();
  for (const withFolder of [false, true]) {
    const root = mkdtempSync(join(tmpdir(), 'guild-vault-vscode-'));
    const folder = join(root, 'workspace');
    mkdirSync(folder);
    try {
      await runTests({
        version: process.env.GUILD_VAULT_VSCODE_VERSION ?? 'stable',
        extensionDevelopmentPath: REPO_ROOT,
        extensionTestsPath: SUITE_ENTRY,
        extensionTestsEnv: { GUILD_VAULT_TEST_TEMP: root, GUILD_VAULT_TEST_GREP: process.env.GUILD_VAULT_TEST_GREP ?? '' },
        launchArgs: [
          ...(withFolder ? [folder] : []),
          '--disable-extensions', // only the extension under development
          '--disable-workspace-trust',
          '--user-data-dir', join(root, 'user-data'),
          '--extensions-dir', join(root, 'extensions'),
        ],
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error('Cannot download VS Code here? `npm run test:vscode` runs the same suite offline.');
  process.exit(1);
});
