import * as vscode from 'vscode';
import {
  deleteSnapshot,
  GuildVaultError,
  renderSnapshotSections,
  setLabel,
  setPinned,
  type Job,
  type SnapshotInfo,
  type TakenSnapshot,
} from '../engine';
import { compareTitle, liveName, olderFirst, previousSnapshot, snapshotShortName } from '../../presentation/snapshotText';
import { mediaSizeCapBytes, readSettings } from '../settings/settings';
import type { ServerRef } from '../servers/server';
import type { Services } from '../services';
import { registerCommand } from './registerCommand';
import { withNextStep } from '../log/nextStep';
import { botForServer, ensureIdle, pickSnapshot, plainOptions, resolveServer, resolveSnapshot, snapshotsOf, stringArg, type SnapshotTarget } from './targets';
import { formatChangeSummary, formatCount, nounFor } from '../../core/text';

/** Take, open, compare, pin, label and delete structure snapshots. */
export function registerSnapshotCommands(services: Services): vscode.Disposable[] {
  return [
    registerCommand(services, 'guildVault.takeSnapshot', 'Take Snapshot', (arg?: unknown, label?: unknown) => take(services, arg, stringArg(label))),
    registerCommand(services, 'guildVault.openSnapshot', 'Open Snapshot', (arg?: unknown) => open(services, arg)),
    registerCommand(services, 'guildVault.compareWithPrevious', 'Compare with Previous', (arg?: unknown) => compareWithPrevious(services, arg)),
    registerCommand(services, 'guildVault.compareSectionsWithPrevious', 'Compare with Previous by Section', (arg?: unknown) => compareSectionsWithPrevious(services, arg)),
    registerCommand(services, 'guildVault.compareWith', 'Compare with…', (arg?: unknown, otherSnapshotId?: unknown) => compareWith(services, arg, numberArg(otherSnapshotId))),
    registerCommand(services, 'guildVault.compareSnapshots', 'Compare Two Snapshots', (arg?: unknown, otherSnapshotId?: unknown) => compareWith(services, arg, numberArg(otherSnapshotId))),
    registerCommand(services, 'guildVault.compareWithLive', 'Compare with Live Server', (arg?: unknown) => compareWithLive(services, arg)),
    registerCommand(services, 'guildVault.pinSnapshot', 'Pin Snapshot', (arg?: unknown) => pin(services, arg, true)),
    registerCommand(services, 'guildVault.unpinSnapshot', 'Unpin Snapshot', (arg?: unknown) => pin(services, arg, false)),
    registerCommand(services, 'guildVault.labelSnapshot', 'Label Snapshot', (arg?: unknown, label?: unknown) => labelSnapshot(services, arg, stringArg(label))),
    registerCommand(services, 'guildVault.deleteSnapshot', 'Delete Snapshot', (arg?: unknown, options?: unknown) => remove(services, arg, plainOptions<{ skipConfirmation: boolean }>(options))),
  ];
}

/**
 * Takes a manual snapshot, then applies the retention setting. Used by the
 * command and by the automatic schedule.
 */
export async function takeAndPrune(services: Services, server: ServerRef, kind: 'manual' | 'automatic', label: string | undefined, background: boolean): Promise<TakenSnapshot | undefined> {
  const bot = await botForServer(services, server);
  const settings = readSettings();
  const retention = settings.snapshotRetention;
  const options = { kind, label, retention, mediaSizeCapBytes: mediaSizeCapBytes(settings) };
  const spec = {
    key: server.guildId,
    title: `Taking a snapshot of ${server.name}`,
    activity: 'taking a snapshot',
    background,
    work: async (job: Job) => {
      const snapshot = await services.workers.run({ kind: 'snapshot', vaultRoot: services.vaults.store().root, params: { guildId: server.guildId, options } }, bot, job);
      const pruned = snapshot.pruned;
      if (pruned.length) services.log.info(`${server.name}: pruned ${nounFor(pruned.length, 'snapshot')} ${pruned.map((id) => `#${id}`).join(', ')} (keeping ${formatCount(retention)})`);
      return snapshot;
    },
  };
  return background ? services.jobs.runOrThrow(spec) : services.jobs.run(spec);
}

async function take(services: Services, arg: unknown, label?: string): Promise<TakenSnapshot | undefined> {
  const server = await resolveServer(services, arg, { needs: 'connection' });
  if (!server) return undefined;
  ensureIdle(services, server);
  const snapshot = await takeAndPrune(services, server, 'manual', label, false);
  if (snapshot) {
    const hasPrevious = previousSnapshot(snapshotsOf(services, server), snapshot.id) !== undefined;
    const actions = hasPrevious ? ['Open', 'Compare with Previous'] : ['Open'];
    const target = { guildId: server.guildId, snapshotId: snapshot.id };
    const changes = hasPrevious ? `${formatChangeSummary(snapshot.summary, { words: true })} since the one before` : 'the first of this server';
    void vscode.window.showInformationMessage(`Guild Vault: snapshot #${snapshot.id} of ${server.name} taken: ${changes}.`, ...actions).then((choice) => {
      // Through the registered commands, so a failure is reported like any other.
      if (choice === 'Open') void vscode.commands.executeCommand('guildVault.openSnapshot', target);
      if (choice === 'Compare with Previous') void vscode.commands.executeCommand('guildVault.compareWithPrevious', target);
    });
  }
  return snapshot;
}

function snapshotUri(services: Services, server: ServerRef, snapshot: SnapshotInfo): vscode.Uri {
  return services.documents.uriFor({ kind: 'snapshot', guildId: server.guildId, snapshotId: snapshot.id, title: `${server.name} #${snapshot.id}` });
}

async function open(services: Services, arg: unknown): Promise<vscode.Uri | undefined> {
  const target = await resolveSnapshot(services, arg);
  if (!target) return undefined;
  const uri = snapshotUri(services, target.server, target.snapshot);
  await vscode.window.showTextDocument(uri, { preview: true });
  return uri;
}

/** Opens VS Code's diff editor, older snapshot on the left. */
async function showDiff(services: Services, server: ServerRef, a: SnapshotInfo, b: SnapshotInfo): Promise<string> {
  const [left, right] = olderFirst(a, b);
  const title = compareTitle(server.name, snapshotShortName(left), snapshotShortName(right));
  await vscode.commands.executeCommand('vscode.diff', snapshotUri(services, server, left), snapshotUri(services, server, right), title, { preview: true });
  return title;
}

async function compareWithPrevious(services: Services, arg: unknown): Promise<string | undefined> {
  const target = await resolveSnapshot(services, arg);
  if (!target) return undefined;
  const previous = previousSnapshot(snapshotsOf(services, target.server), target.snapshot.id);
  if (!previous) {
    throw new GuildVaultError('NOT_FOUND', `Snapshot #${target.snapshot.id} is the oldest of ${target.server.name}: there is nothing before it.`, 'Open it instead, or compare it with a newer one.');
  }
  return showDiff(services, target.server, previous, target.snapshot);
}

/**
 * The second view of a comparison: VS Code's multi-file changes editor with
 * one entry per section (settings, roles, channels, bans...) that changed.
 */
async function compareSectionsWithPrevious(services: Services, arg: unknown): Promise<string | undefined> {
  const target = await resolveSnapshot(services, arg);
  if (!target) return undefined;
  const { server, snapshot } = target;
  const previous = previousSnapshot(snapshotsOf(services, server), snapshot.id);
  if (!previous) {
    throw new GuildVaultError('NOT_FOUND', `Snapshot #${snapshot.id} is the oldest of ${server.name}: there is nothing before it.`, 'Open it instead, or compare it with a newer one.');
  }
  const [before, after] = services.vaults.readExisting(server.guildId, (vault) => [renderSnapshotSections(vault, previous.id), renderSnapshotSections(vault, snapshot.id)]);
  const changed = after.filter((section) => before.find((old) => old.id === section.id)?.text !== section.text);
  const title = compareTitle(server.name, snapshotShortName(previous), snapshotShortName(snapshot));
  if (changed.length === 0) {
    void vscode.window.showInformationMessage(`Guild Vault: ${title}: nothing changed.`);
    return title;
  }
  // One path per section on both sides (the snapshot is in the query), so the changes editor
  // lists each section as a modified file rather than as a rename.
  const sectionUri = (of: SnapshotInfo, section: { id: string; title: string }) =>
    services.documents.uriFor({ kind: 'snapshot', guildId: server.guildId, snapshotId: of.id, section: section.id, title: section.title });
  const resources = changed.map((section) => [sectionUri(snapshot, section), sectionUri(previous, section), sectionUri(snapshot, section)]);
  await vscode.commands.executeCommand('vscode.changes', title, resources);
  return title;
}

/**
 * Compares two snapshots: from a snapshot, pick the other; from a server or
 * the Command Palette, pick both. `otherSnapshotId` skips the pick.
 */
async function compareWith(services: Services, arg: unknown, otherSnapshotId?: number): Promise<string | undefined> {
  let first: SnapshotTarget | undefined;
  if (isSnapshotArg(arg)) {
    first = await resolveSnapshot(services, arg);
  } else {
    const server = await resolveServer(services, arg, { needs: 'snapshots' });
    if (!server) return undefined;
    const snapshot = await pickSnapshot(server, snapshotsOf(services, server), 'Guild Vault: compare which snapshot…');
    first = snapshot && { server, snapshot };
  }
  if (!first) return undefined;
  const { server } = first;
  const others = snapshotsOf(services, server).filter((snapshot) => snapshot.id !== first.snapshot.id);
  let second: SnapshotInfo | undefined;
  if (otherSnapshotId !== undefined) {
    second = others.find((snapshot) => snapshot.id === Number(otherSnapshotId));
    if (!second) throw new GuildVaultError('NOT_FOUND', `${server.name} has no snapshot #${otherSnapshotId} to compare with.`, 'Refresh the Servers view to see the current snapshots.');
  } else {
    if (others.length === 0) throw new GuildVaultError('NOT_FOUND', `${server.name} has only one snapshot.`, 'Take another one to compare with.');
    second = await pickSnapshot(server, others, `Guild Vault: compare #${first.snapshot.id} with…`);
  }
  if (!second) return undefined;
  return showDiff(services, server, first.snapshot, second);
}

/**
 * Captures the server as it is now (nothing is stored) and diffs it against a
 * snapshot: the one invoked on, or the newest.
 */
async function compareWithLive(services: Services, arg: unknown): Promise<string | undefined> {
  let server: ServerRef | undefined;
  let snapshot: SnapshotInfo | undefined;
  if (isSnapshotArg(arg)) {
    const target = await resolveSnapshot(services, arg);
    if (!target) return undefined;
    ({ server, snapshot } = target);
    if (!server.connectionId) server = await resolveServer(services, server.guildId, { needs: 'connection' });
  } else {
    server = await resolveServer(services, arg, { needs: 'connection' });
    if (!server) return undefined;
    snapshot = [...snapshotsOf(services, server)].sort((a, b) => b.id - a.id)[0];
    if (!snapshot) throw withNextStep(new GuildVaultError('NOT_FOUND', `${server.name} has no snapshot to compare with.`, 'Back it up first.'), { title: 'Back Up Now', command: 'guildVault.backUpServer', args: [server] });
  }
  if (!server || !snapshot) return undefined;
  const live = server;
  const base = snapshot;
  const bot = await botForServer(services, live);
  // What the bot cannot read live (bans without BAN_MEMBERS...) is filled in from the snapshot, marked as such.
  const rendered = await services.jobs.run({
    key: `live:${live.guildId}`,
    title: `Reading ${live.name} as it is now`,
    work: (job) => services.workers.run({ kind: 'liveState', vaultRoot: services.vaults.store().root, params: { guildId: live.guildId, baseSnapshotId: base.id } }, bot, job),
  });
  if (rendered === undefined) return undefined;
  const liveTitle = liveName(rendered.capturedAt);
  const liveUri = services.documents.hold({ kind: 'live', guildId: live.guildId, title: `${live.name} ${liveTitle}` }, rendered.text);
  const title = compareTitle(live.name, snapshotShortName(snapshot), liveTitle);
  await vscode.commands.executeCommand('vscode.diff', snapshotUri(services, live, snapshot), liveUri, title, { preview: true });
  return title;
}

async function pin(services: Services, arg: unknown, pinned: boolean): Promise<boolean> {
  const target = await resolveSnapshot(services, arg);
  if (!target) return false;
  ensureIdle(services, target.server);
  await services.vaults.write(target.server.guildId, pinned ? 'pin' : 'unpin', (vault) => setPinned(vault, target.snapshot.id, pinned));
  services.tree.refreshServer(target.server.guildId);
  return true;
}

async function labelSnapshot(services: Services, arg: unknown, label?: string): Promise<string | null | undefined> {
  const target = await resolveSnapshot(services, arg);
  if (!target) return undefined;
  const entered =
    label ??
    (await vscode.window.showInputBox({
      title: `Label snapshot #${target.snapshot.id} of ${target.server.name}`,
      prompt: 'A short note shown beside the snapshot; empty removes the label.',
      value: target.snapshot.label ?? '',
    }));
  if (entered === undefined) return undefined;
  ensureIdle(services, target.server);
  const value = entered.trim() || null;
  await services.vaults.write(target.server.guildId, 'label', (vault) => setLabel(vault, target.snapshot.id, value));
  services.tree.refreshServer(target.server.guildId);
  services.documents.refreshOpen(target.server.guildId);
  return value;
}

async function remove(services: Services, arg: unknown, options: { skipConfirmation?: boolean } = {}): Promise<boolean> {
  const target = await resolveSnapshot(services, arg);
  if (!target) return false;
  const { server, snapshot } = target;
  if (!options.skipConfirmation) {
    const confirm = 'Delete';
    const newest = Math.max(...snapshotsOf(services, server).map((candidate) => candidate.id)) === snapshot.id;
    // A newer snapshot absorbs the deleted one's changes; the newest has none after it, so nothing is merged.
    const what = newest
      ? 'It is the newest: the one before it becomes the newest, unchanged.'
      : 'Its changes are merged into the snapshot after it, so every other snapshot stays exactly as it was.';
    const choice = await vscode.window.showWarningMessage(
      `Delete snapshot #${snapshot.id} of ${server.name}?`,
      {
        modal: true,
        detail: `${snapshot.pinned ? 'It is pinned. ' : ''}${what} This cannot be undone.`,
      },
      confirm,
    );
    if (choice !== confirm) return false;
  }
  ensureIdle(services, server);
  await services.vaults.write(server.guildId, 'delete snapshot', (vault) => deleteSnapshot(vault, snapshot.id, { allowPinned: true }));
  services.log.info(`${server.name}: deleted snapshot #${snapshot.id}`);
  services.tree.refreshServer(server.guildId);
  void services.contextKeys.update();
  return true;
}

function isSnapshotArg(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && ('snapshot' in arg || 'snapshotId' in arg);
}

function numberArg(arg: unknown): number | undefined {
  return typeof arg === 'number' || (typeof arg === 'string' && /^\d+$/.test(arg)) ? Number(arg) : undefined;
}
