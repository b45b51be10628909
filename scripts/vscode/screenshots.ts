// `npm run screenshots`: what a person sees, as PNGs under docs/. Installs the packaged extension
// into the offline VS Code server (no "Extension Development Host"), opens the workbench in
// Chromium and uses it with mouse and keyboard only: connects a bot token to the emulator's demo
// server (the world "Try the Demo Server" shows, here on an emulator this script owns so it can
// change the server between two snapshots), backs it up from the tree, takes a second snapshot
// after a change, compares the two, opens a transcript, restores the first snapshot into the
// sandbox server.
//
// Options: --out <dir> (default docs/), --keep (keep the temp folder).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Locator, Page } from 'playwright-core';
import { DEMO_BOT_NAME, DEMO_GUILD_NAME, startEmulator, type Emulator } from '../../src/emulator';
import { snowflakeAt } from '../../src/emulator/ids/snowflake';
import { startVsCodeServer } from './server';
import { ensureToolchain, REPO_ROOT, SCREENSHOT_FONTS } from './toolchain';
import { launchChromium } from './workbench';

/** Wide enough for the diff editor's side-by-side view beside a side bar that shows whole lines. */
const SCREEN = { width: 1680, height: 940 };

const { values: flags } = parseArgs({ options: { out: { type: 'string' }, keep: { type: 'boolean', default: false } } });
const outDir = resolve(flags.out ?? join(REPO_ROOT, 'docs'));

function step(message: string): void {
  process.stdout.write(`[screenshots] ${message}\n`);
}

/** Packages the extension as users get it (npm run build has run) and installs it into the server. */
function installPackagedExtension(node: string, serverMain: string, root: string, dirs: { server: string; user: string; extensions: string }): void {
  const vsix = join(root, 'guild-vault.vsix');
  execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix], { cwd: REPO_ROOT, stdio: 'ignore' });
  execFileSync(node, [serverMain, '--accept-server-license-terms', '--server-data-dir', dirs.server, '--user-data-dir', dirs.user, '--extensions-dir', dirs.extensions, '--install-extension', vsix], { stdio: 'ignore' });
}

/**
 * What a server admin changes in Discord between two snapshots: a new role, a renamed channel
 * with a new topic. Applied to the emulator's world directly, as Discord's own UI would (the demo
 * bot, rightly, may not manage roles).
 */
function changeTheServer(emulator: Emulator, guildId: string): void {
  const guild = emulator.world.guild(guildId)!;
  const template = [...guild.roles.values()].find((role) => !role.managed && role.id !== guildId)!;
  const roleId = snowflakeAt(Date.now(), 4242);
  guild.roles.set(roleId, { ...template, id: roleId, name: 'Event Hosts', color: 0xe67e22, hoist: true, mentionable: true });
  const channel = [...guild.channels.values()].find((candidate) => candidate.type === 0 && candidate.name !== 'general');
  if (channel) {
    channel.name = `${channel.name}-archive`;
    (channel as { topic?: string | null }).topic = 'Read-only since the reorganisation';
  }
}

/** Runs a command from the Command Palette, as a person does. */
async function runFromPalette(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  // An editor that finishes opening takes the focus and closes the palette: open it again then.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
}

function treeRow(page: Page, label: string | RegExp): Locator {
  return page.locator('.pane:has(.pane-header[aria-label^="Servers"]) .monaco-list-row').filter({ hasText: label }).first();
}

async function expand(row: Locator): Promise<void> {
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
}

async function contextMenu(row: Locator, page: Page, item: string): Promise<void> {
  await row.click({ button: 'right' });
  const entry = page.locator('.monaco-menu .action-item', { hasText: item }).first();
  await entry.hover();
  await page.keyboard.press('Enter');
  await entry.waitFor({ state: 'hidden' });
}

/** Drags the side bar's edge so tree descriptions (counts, dates) are not cut off. */
async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
}

async function toast(page: Page, text: string | RegExp, timeout = 60_000): Promise<Locator> {
  const found = page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();
  await found.waitFor({ timeout });
  return found;
}

/**
 * Waits until the server row and the backup's notification name the same phase ("backing up:
 * channel 3 of 34" beside "Channel 4 of 34 · ..."): the row refreshes at most every second within
 * a phase, so a picture taken in between would show them a few channels apart.
 */
async function samePhase(page: Page, row: Locator): Promise<void> {
  let last = '';
  for (let attempt = 0; attempt < 30; attempt++) {
    const description = (await row.locator('.label-description').innerText({ timeout: 2_000 })).replace(/^backing up: /, '');
    const message = await page.locator('.notifications-toasts .notification-toast .notification-list-item-message', { hasText: 'Backing up' }).first().innerText({ timeout: 2_000 });
    const shown = message.replace(/^Backing up [^:]*:\s*/, '');
    // The same step ("channel 17 of 34") if the picture can catch it, else at least the same phase.
    const said = attempt < 20 ? description : description.split(' ')[0]!;
    if (shown.toLowerCase().startsWith(said.toLowerCase())) return;
    last = `row "${description}", notification "${shown}"`;
    await page.waitForTimeout(50);
  }
  throw new Error(`the row and the notification kept naming different phases: ${last}`);
}

async function dismissToasts(page: Page): Promise<void> {
  await runFromPalette(page, 'Notifications: Clear All Notifications');
}

async function main(): Promise<void> {
  const toolchain = ensureToolchain({ extraDebianPackages: SCREENSHOT_FONTS });
  const root = mkdtempSync(join(tmpdir(), 'guild-vault-screens-'));
  const dirs = { server: join(root, 'server-data'), user: join(root, 'user-data'), extensions: join(root, 'extensions') };
  const workspace = join(root, 'community-backups');
  for (const dir of [...Object.values(dirs), workspace, join(dirs.user, 'Machine'), outDir]) mkdirSync(dir, { recursive: true });
  // Discord's demo world with Discord's rate limits; same seed and size as Try the Demo Server.
  const emulator = await startEmulator({ seed: 1, size: 'demo', botName: DEMO_BOT_NAME });
  const guildId = emulator.guildIds[0]!;
  // Machine settings (where the VS Code server keeps them): the emulator is the API and the CDN.
  writeFileSync(join(dirs.user, 'Machine', 'settings.json'), JSON.stringify({ 'guildVault.apiBaseUrl': emulator.apiBaseUrl, 'guildVault.cdnBaseUrl': emulator.cdnBaseUrl }, null, 2));
  step('packaging and installing the extension');
  installPackagedExtension(toolchain.node, toolchain.serverMain, root, dirs);
  const server = await startVsCodeServer(toolchain, { dataDir: root, smokeTestDriver: false }); // toasts on, as people see them
  const browser = await launchChromium(toolchain);
  let page: Page | undefined;
  let failed = false;
  try {
    page = await (await browser.newContext({ viewport: SCREEN, deviceScaleFactor: 1 })).newPage();
    const payload = JSON.stringify([['skipWelcome', 'true'], ['skipReleaseNotes', 'true']]);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(server.remoteUri(workspace))}&payload=${encodeURIComponent(payload)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar .action-item a[aria-label^="Guild Vault"]').first().waitFor({ timeout: 60_000 });
    // A tidy window: no welcome page, no chat side bar.
    await runFromPalette(page, 'View: Close All Editors');
    await page.locator('.part.auxiliarybar').waitFor({ state: 'visible', timeout: 5_000 }).then(
      () => page!.keyboard.press('Control+Alt+B'),
      () => undefined,
    );

    step('connecting the bot token from the Servers view');
    await page.locator('.activitybar .action-item a[aria-label^="Guild Vault"]').first().click();
    await widenSideBar(page, 520);
    await page.locator('.pane', { hasText: 'Connect a Bot Token' }).locator('a, .monaco-button', { hasText: 'Connect a Bot Token' }).first().click();
    await page.locator('.quick-input-widget .quick-input-box input').waitFor();
    await page.keyboard.type(emulator.token);
    await page.keyboard.press('Enter');
    const serverRow = treeRow(page, DEMO_GUILD_NAME);
    await serverRow.waitFor({ timeout: 30_000 });
    await dismissToasts(page);

    step('backing up the demo server from its inline button');
    await serverRow.hover();
    await serverRow.locator('.action-label[aria-label^="Back Up Server"]').click();
    await toast(page, 'Backing up');
    await toast(page, /Channel \d+ of \d+/);
    // A big server's pace (the demo's channels go by faster than a picture can catch both lines).
    emulator.rateLimits.setGlobalPerSecond(2);
    // The row says the same, and its inline button is Cancel while the backup runs.
    await treeRow(page, /backing up: channel \d+ of \d+/).waitFor({ timeout: 30_000 });
    await serverRow.hover();
    await page.waitForTimeout(300);
    await samePhase(page, serverRow);
    await page.screenshot({ path: join(outDir, 'backup-running.png') });
    step('saved backup-running.png');
    emulator.rateLimits.setGlobalPerSecond(50);
    // Done when the tree says so (a toast may come and go before we look).
    await treeRow(page, /(?<!not )backed up/).waitFor({ timeout: 240_000 });
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'Backing up' }).waitFor({ state: 'hidden', timeout: 30_000 });
    await dismissToasts(page);

    step('changing the server, then taking a second snapshot');
    changeTheServer(emulator, guildId);
    await expand(serverRow);
    const snapshotsRow = treeRow(page, /^Snapshots/);
    await contextMenu(serverRow, page, 'Take Snapshot');
    await treeRow(page, /#2 manual/).waitFor({ timeout: 60_000 });
    await dismissToasts(page);

    step('the tree: snapshots and channels');
    await expand(snapshotsRow);
    const channelsRow = treeRow(page, /^Channels/);
    await expand(channelsRow);
    await page.waitForTimeout(500);
    await page.locator('.part.sidebar').screenshot({ path: join(outDir, 'sidebar-tree.png') });
    step('saved sidebar-tree.png');

    step('comparing the two snapshots');
    await contextMenu(treeRow(page, /#2 manual/), page, 'Compare with Previous');
    await page.locator('.monaco-diff-editor').first().waitFor();
    await page.waitForTimeout(1500);
    // Jump to the first change, as the diff editor's "Next Change" does.
    await page.locator('.monaco-diff-editor .modified-in-monaco-diff-editor').first().click();
    await page.keyboard.press('Alt+F5');
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(outDir, 'snapshot-diff.png') });
    step('saved snapshot-diff.png');

    step('the outline of a snapshot');
    await treeRow(page, /#2 manual/).click();
    await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
    await runFromPalette(page, 'Explorer: Focus on Outline View');
    await page.locator('.pane:has(.pane-header[aria-label^="Outline"]) .monaco-list-row').first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(outDir, 'snapshot-outline.png') });
    step('saved snapshot-outline.png');
    await page.locator('.activitybar .action-item a[aria-label^="Guild Vault"]').first().click();

    step('opening a transcript');
    const channel = treeRow(page, /#general/);
    await channel.click();
    await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(outDir, 'transcript.png') });
    step('saved transcript.png');

    step('restoring snapshot #1 into the sandbox server');
    await runFromPalette(page, 'View: Close All Editors');
    await contextMenu(treeRow(page, /^#1\b/), page, 'Restore Structure...');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Guild Vault Sandbox' }).first().click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(outDir, 'restore-confirm.png') });
    step('saved restore-confirm.png');
    await dialog.locator('.monaco-button', { hasText: 'Restore, keep extra roles and channels' }).click();
    await toast(page, /Restored snapshot #1/);
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(outDir, 'restore-diff.png') });
    step('saved restore-diff.png');
    step('the walkthrough');
    await runFromPalette(page, 'Welcome: Open Walkthrough...');
    await page.locator('.quick-input-widget .quick-input-box input').fill('Back Up a Discord Server');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Back Up a Discord Server' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.gettingStartedContainer', { hasText: 'Connect a bot, or try the demo' }).first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(outDir, 'walkthrough.png') });
    step('saved walkthrough.png');
  } catch (error) {
    failed = true;
    await page?.screenshot({ path: join(root, 'failure.png') }).catch(() => undefined);
    step(`failed; what the page showed: ${join(root, 'failure.png')}`);
    throw error;
  } finally {
    await browser.close();
    await server.stop();
    await emulator.close();
    if (!flags.keep && !failed) rmSync(root, { recursive: true, force: true });
    else step(`kept ${root}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : error);
    process.exit(1);
  },
);
