// `npm run test:vscode`: runs the mocha suite of test/vscode inside a real VS Code without
// downloading VS Code: the VS Code server bundled in code-server runs the extension host, and
// Debian's headless Chromium, driven by playwright-core, is the workbench. The suite runs twice:
// in an empty window and in a window with a folder. Exits non-zero when a test fails, the
// workbench never reports, or a window runs past its time limit.
//
// Options: --grep <regex> (mocha grep), --only empty|folder, --keep (keep the temp folders),
//          --verbose (print VS Code's own log lines too). GUILD_VAULT_VSCODE_TEST_TIMEOUT_S
//          (default 900) bounds each window.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildSuite, SUITE_ENTRY } from './buildSuite';
import { startVsCodeServer } from './server';
import { bundledVsCodeVersion, ensureToolchain, REPO_ROOT, type Toolchain } from './toolchain';
import { startUiBridge, type UiBridge } from './uiBridge';
import { launchChromium, openWorkbench } from './workbench';
import type { Browser } from 'playwright-core';

interface WindowResult {
  title: string;
  passed: number;
  failed: number;
  /** Why the window produced no test result, if it didn't. */
  problem?: string;
}

const { values: flags } = parseArgs({
  options: {
    grep: { type: 'string' },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});
const timeoutMs = Number(process.env.GUILD_VAULT_VSCODE_TEST_TIMEOUT_S ?? 900) * 1000;

/** Prints what the suite appends to its report file while it runs. */
function followFile(file: string): { flush(): void; stop(): void } {
  let printed = 0;
  const flush = (): void => {
    if (!existsSync(file)) return;
    const text = readFileSync(file, 'utf8');
    if (text.length > printed) {
      process.stdout.write(text.slice(printed));
      printed = text.length;
    }
  };
  const timer = setInterval(flush, 250);
  return { flush, stop: () => (clearInterval(timer), flush()) };
}

async function runWindow(toolchain: Toolchain, browser: Browser, bridge: UiBridge, withFolder: boolean): Promise<WindowResult> {
  const title = withFolder ? 'window with a folder' : 'empty window';
  const root = mkdtempSync(join(tmpdir(), 'guild-vault-vscode-'));
  const folder = join(root, 'workspace');
  mkdirSync(folder);
  const reportFile = join(root, 'report.txt');
  const summaryFile = join(root, 'summary.json');
  process.stdout.write(`\n=== ${title} (VS Code ${bundledVsCodeVersion()} server, Chromium; temp ${root}) ===\n`);

  const server = await startVsCodeServer(toolchain, {
    dataDir: root,
    env: {
      GUILD_VAULT_TEST_REPORT: reportFile,
      GUILD_VAULT_TEST_SUMMARY: summaryFile,
      GUILD_VAULT_TEST_GREP: flags.grep ?? '',
      GUILD_VAULT_TEST_TEMP: root,
      GUILD_VAULT_UI_BRIDGE: bridge.url,
    },
  });
  const report = followFile(reportFile);
  let timer: NodeJS.Timeout | undefined;
  let result: WindowResult | undefined;
  try {
    result = await waitForSuite();
    return result;
  } finally {
    clearTimeout(timer);
    report.stop();
    await server.stop();
    // A failed window keeps its folder: logs, vaults and the timeout screenshot are in it.
    if (!flags.keep && result && !result.problem && result.failed === 0) rmSync(root, { recursive: true, force: true });
  }

  async function waitForSuite(): Promise<WindowResult> {
    const workbench = await openWorkbench(browser, server, {
      folder: withFolder ? folder : undefined,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: SUITE_ENTRY,
      onLog: flags.verbose ? (type, text) => process.stderr.write(`[vscode ${type}] ${text}\n`) : undefined,
      onPage: (page) => bridge.attach(page),
    });
    const timedOut = new Promise<'timeout'>((resolveTimeout) => (timer = setTimeout(() => resolveTimeout('timeout'), timeoutMs)));
    const outcome = await Promise.race([workbench.exitCode, timedOut]);
    report.stop();
    if (outcome === 'timeout') {
      await workbench.page.screenshot({ path: join(root, 'timeout.png') }).catch(() => undefined);
      return { title, passed: 0, failed: 1, problem: `timed out after ${timeoutMs / 1000} s (screenshot ${join(root, 'timeout.png')}); server log tail:\n${server.output().slice(-3000)}` };
    }
    await workbench.context.close();
    if (!existsSync(summaryFile)) {
      return { title, passed: 0, failed: 1, problem: `the suite did not run (exit code ${outcome}); server log tail:\n${server.output().slice(-3000)}` };
    }
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { passed: number; failed: number };
    if (summary.failed === 0 && outcome !== 0) return { ...summary, title, failed: 1, problem: `the workbench exited with ${outcome}` };
    return { ...summary, title };
  }
}

async function main(): Promise<number> {
  const toolchain = ensureToolchain();
  if (!existsSync(join(REPO_ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  await buildSuite();
  const browser = await launchChromium(toolchain);
  const bridge = await startUiBridge();
  const results: WindowResult[] = [];
  try {
    if (flags.only !== 'folder') results.push(await runWindow(toolchain, browser, bridge, false));
    if (flags.only !== 'empty') results.push(await runWindow(toolchain, browser, bridge, true));
  } finally {
    await bridge.close();
    await browser.close();
  }
  for (const result of results) {
    if (result.problem) process.stdout.write(`\n${result.title}: ${result.problem}\n`);
  }
  const passed = results.reduce((sum, result) => sum + result.passed, 0);
  const failed = results.reduce((sum, result) => sum + result.failed, 0);
  process.stdout.write(`\nvscode: ${passed} passed, ${failed} failed\n`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : error);
    process.exit(1);
  },
);
