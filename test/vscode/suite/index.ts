// Entry point the extension host calls (extensionTestsPath): runs the mocha specs bundled beside
// this file. Which specs run depends on the window: an empty window runs emptyWindow.test.js
// (activation without a workspace), a window with a folder runs all the others.
import { appendFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import * as vscode from 'vscode';
import Mocha from 'mocha';
import { testRoot } from '../helpers/files';
import { hasUi, ui } from '../helpers/ui';

/** Set by scripts/vscode/runOffline.ts: the runner prints this file as it grows. */
const reportFile = process.env.GUILD_VAULT_TEST_REPORT;
/** Where the runner reads { passed, failed } from. */
const summaryFile = process.env.GUILD_VAULT_TEST_SUMMARY;

function specFiles(): string[] {
  const emptyWindow = !vscode.workspace.workspaceFolders?.length;
  return readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .filter((name) => (name === 'emptyWindow.test.js') === emptyWindow)
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
    .map((name) => join(__dirname, name));
}

/** The check that every contributed command was invoked must see all the other specs run first. */
function order(name: string): number {
  return name === 'commandsCovered.test.js' ? 1 : 0;
}

/** A failed test leaves a picture of the workbench beside the runner's logs (kept on failure). */
async function screenshotFailure(this: Mocha.Context): Promise<void> {
  const test = this.currentTest;
  if (!hasUi || test?.state !== 'failed') return;
  const dir = join(testRoot, 'failures');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${test.fullTitle().replace(/[^\w.-]+/g, '_').slice(0, 120)}.png`);
  await ui.screenshot(path).then(
    () => Mocha.reporters.Base.consoleLog(`    (screenshot: ${path})`),
    () => undefined,
  );
}

export async function run(): Promise<void> {
  if (reportFile) {
    writeFileSync(reportFile, '');
    // Mocha's reporters print through Base.consoleLog; copy it into the report file.
    const consoleLog = Mocha.reporters.Base.consoleLog;
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
      appendFileSync(reportFile, format(...args) + '\n');
      consoleLog(...args);
    };
  }
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: 60_000,
    grep: process.env.GUILD_VAULT_TEST_GREP || undefined,
    rootHooks: { afterEach: screenshotFailure },
  });
  for (const file of specFiles()) mocha.addFile(file);
  const title = vscode.workspace.workspaceFolders?.length ? 'window with a folder' : 'empty window';
  Mocha.reporters.Base.consoleLog(`VS Code ${vscode.version}, Node ${process.versions.node}, ${vscode.env.appHost}: ${title}`);
  await new Promise<void>((resolveRun, reject) => {
    const runner = mocha.run((failures) => {
      if (summaryFile) {
        writeFileSync(summaryFile, JSON.stringify({ passed: runner.stats?.passes ?? 0, failed: failures, pending: runner.stats?.pending ?? 0 }));
      }
      if (failures > 0) reject(new Error(`${failures} test(s) failed in the ${title}`));
      else resolveRun();
    });
  });
}
