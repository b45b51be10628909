// Opens VS Code's web workbench in Debian's headless Chromium through playwright-core. Connecting
// a workbench is what starts the server's extension host; with --enable-smoke-test-driver the
// URL's payload can load an extension under development and run its tests, and the workbench
// reports their exit code through codeAutomationExit (VS Code's own browser integration tests
// work this way).
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { VsCodeServer } from './server';
import type { Toolchain } from './toolchain';

export const VIEWPORT = { width: 1400, height: 860 };

export async function launchChromium(toolchain: Toolchain): Promise<Browser> {
  return chromium.launch({
    executablePath: toolchain.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

export interface WorkbenchOptions {
  /** Folder to open; none opens an empty window. */
  folder?: string;
  /** Absolute path of the extension under development (its package.json folder). */
  extensionDevelopmentPath: string;
  /** Absolute path of the compiled test entry whose run() the extension host calls. */
  extensionTestsPath?: string;
  /** Receives VS Code's automation log lines (extension host output when testing). */
  onLog?: (type: string, text: string) => void;
  /** Called with the page before the workbench loads (e.g. to attach the UI bridge). */
  onPage?: (page: Page) => void;
}

export interface Workbench {
  context: BrowserContext;
  page: Page;
  /** Settles with the code the workbench passes to codeAutomationExit (tests finished). */
  exitCode: Promise<number>;
}

export function workbenchUrl(server: VsCodeServer, options: Omit<WorkbenchOptions, 'onLog' | 'onPage'>): string {
  const payload: [string, string][] = [
    ['extensionDevelopmentPath', server.remoteUri(options.extensionDevelopmentPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', server.remoteUri(options.extensionTestsPath)]);
  const query = new URLSearchParams();
  if (options.folder) query.set('folder', server.remoteUri(options.folder));
  else query.set('ew', 'true'); // empty window: don't reopen the last folder
  query.set('payload', JSON.stringify(payload));
  return `${server.url}/?${query.toString()}`;
}

export async function openWorkbench(browser: Browser, server: VsCodeServer, options: WorkbenchOptions): Promise<Workbench> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  let reportExit: (code: number) => void = () => {};
  const exitCode = new Promise<number>((resolveExit) => (reportExit = resolveExit));
  // Both must exist before the workbench loads: it looks them up once at startup.
  await context.exposeFunction('codeAutomationExit', (code: number) => reportExit(Number(code)));
  await context.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) =>
    options.onLog?.(type, (Array.isArray(args) ? args : [args]).map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')),
  );
  const page = await context.newPage();
  page.on('pageerror', (error) => options.onLog?.('pageerror', String(error)));
  options.onPage?.(page);
  await page.goto(workbenchUrl(server, options));
  return { context, page, exitCode };
}
