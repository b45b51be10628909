import * as vscode from 'vscode';
import { GuildVaultError, listSnapshots, type BotAccess, type SnapshotInfo } from '../engine';
import type { Connection } from '../connections/connection';
import { snapshotLabel } from '../../presentation/snapshotText';
import { isServerRef, type ServerRef } from '../servers/server';
import type { Services } from '../services';
import { ConnectionNode } from '../tree/nodes/connectionNode';
import { TreeNode } from '../tree/nodes/treeNode';
import { CONNECT_STEP, withNextStep } from '../log/nextStep';
import { SnapshotNode } from '../tree/nodes/snapshotNode';
import { formatChangeSummary } from '../../core/text';

/**
 * Commands take what they act on from the tree node they were invoked on, or
 * from plain arguments (automation and tests: a guild id, `{ guildId,
 * snapshotId }`), or ask with a quick pick when run from the Command Palette.
 */

export interface SnapshotTarget {
  server: ServerRef;
  snapshot: SnapshotInfo;
}

/** What a command needs of a server; the palette's pick lists only servers that have it. */
export type ServerNeed = 'connection' | 'vault' | 'snapshots' | 'job' | 'any';

const NEED_WORDS: Record<ServerNeed, string> = {
  connection: 'No connected bot can reach a server.',
  vault: 'No server has been backed up yet.',
  snapshots: 'No server has a snapshot yet.',
  job: 'No backup is running.',
  any: 'There is no server yet.',
};

/**
 * Resolves a server argument: a tree node, a guild id, a ServerRef, or (from the palette, or
 * when VS Code passes something else) a pick among the servers that have what is needed.
 */
export async function resolveServer(services: Services, arg: unknown, options: { needs: ServerNeed }): Promise<ServerRef | undefined> {
  const { needs } = options;
  const given = serverOf(arg);
  if (given?.connectionId && given.name) return given as ServerRef; // a tree node knows its connection
  if (given) {
    // Fill in what plain arguments leave out (name, connection) from the catalog.
    const known = await services.catalog.find(given.guildId);
    const server = known ?? { guildId: given.guildId, name: given.name ?? services.vaults.guildName(given.guildId) ?? `Server ${given.guildId}` };
    if (needs === 'connection' && !server.connectionId) throw offline(server);
    return server;
  }
  const servers = (await services.catalog.allServers()).filter((server) => hasNeed(services, server, needs));
  if (servers.length === 0) {
    if (needs === 'job') throw new GuildVaultError('NOT_FOUND', NEED_WORDS.job, 'Nothing to cancel.');
    const noBot = services.connections.list().length === 0;
    const error = new GuildVaultError('NOT_FOUND', NEED_WORDS[needs], noBot ? 'Connect a bot token, or try the demo server.' : 'Back up a server first (Guild Vault: Back Up Server).');
    throw withNextStep(error, noBot ? CONNECT_STEP : { title: 'Back Up Now', command: 'guildVault.backUpServer' });
  }
  if (servers.length === 1) return servers[0];
  const picked = await vscode.window.showQuickPick(
    servers.map((server) => ({
      label: server.name,
      description: server.connectionId ? services.connections.get(server.connectionId)?.name : 'offline',
      detail: services.jobs.status(server.guildId) ?? server.guildId,
      server,
    })),
    { title: 'Guild Vault: choose a server', placeHolder: 'Server', matchOnDetail: true },
  );
  return picked?.server;
}

function hasNeed(services: Services, server: ServerRef, needs: ServerNeed): boolean {
  switch (needs) {
    case 'connection':
      return server.connectionId !== undefined;
    case 'vault':
      return services.vaults.has(server.guildId);
    case 'snapshots':
      return snapshotsOf(services, server).length > 0;
    case 'job':
      return services.jobs.isBusy(server.guildId);
    case 'any':
      return true;
  }
}

/** The bot that reaches the server, for a job that runs in a worker (services.workers). */
export async function botForServer(services: Services, server: ServerRef): Promise<BotAccess> {
  const connection = server.connectionId ? services.connections.get(server.connectionId) : undefined;
  if (!connection) throw offline(server);
  return services.clients.botFor(connection);
}

/** Resolves a snapshot argument: a tree node, `{ guildId, snapshotId }`, or two quick picks. */
export async function resolveSnapshot(services: Services, arg: unknown): Promise<SnapshotTarget | undefined> {
  if (arg instanceof SnapshotNode) return { server: arg.server, snapshot: arg.snapshot };
  const snapshotId = typeof arg === 'object' && arg !== null ? Number((arg as { snapshotId?: unknown }).snapshotId) : NaN;
  const server = await resolveServer(services, arg, { needs: 'snapshots' });
  if (!server) return undefined;
  const snapshots = snapshotsOf(services, server);
  if (Number.isInteger(snapshotId)) {
    const snapshot = snapshots.find((candidate) => candidate.id === snapshotId);
    if (!snapshot) throw new GuildVaultError('NOT_FOUND', `${server.name} has no snapshot #${snapshotId}.`, 'Refresh the Servers view to see the current snapshots.');
    return { server, snapshot };
  }
  const snapshot = await pickSnapshot(server, snapshots, 'Guild Vault: choose a snapshot');
  return snapshot ? { server, snapshot } : undefined;
}

export function snapshotsOf(services: Services, server: Pick<ServerRef, 'guildId'>): SnapshotInfo[] {
  return services.vaults.read(server.guildId, (vault) => listSnapshots(vault)) ?? [];
}

export async function pickSnapshot(server: ServerRef, snapshots: readonly SnapshotInfo[], title: string): Promise<SnapshotInfo | undefined> {
  if (snapshots.length === 0) {
    throw withNextStep(new GuildVaultError('NOT_FOUND', `${server.name} has no snapshots yet.`, 'Back it up, or take a snapshot.'), { title: 'Back Up Now', command: 'guildVault.backUpServer', args: [server] });
  }
  const picked = await vscode.window.showQuickPick(
    [...snapshots].sort((a, b) => b.id - a.id).map((snapshot, index, sorted) => ({ label: snapshotLabel(snapshot), description: index === sorted.length - 1 && snapshot.id === Math.min(...snapshots.map((s) => s.id)) ? 'the first' : formatChangeSummary(snapshot.summary, { words: true }), snapshot })),
    { title, placeHolder: `Snapshots of ${server.name}, newest first` },
  );
  return picked?.snapshot;
}

/** Resolves a connection argument: a tree node, a bot id, or a quick pick. */
export async function resolveConnection(services: Services, arg: unknown): Promise<Connection | undefined> {
  if (arg instanceof ConnectionNode) return arg.connection;
  // Any other row: the bot that reaches its server, if it has one; else a pick.
  const id = arg instanceof TreeNode ? serverOf(arg)?.connectionId : typeof arg === 'string' ? arg : typeof arg === 'object' && arg !== null ? (arg as { id?: unknown }).id : undefined;
  const connections = services.connections.list();
  if (typeof id === 'string') {
    const found = connections.find((connection) => connection.id === id);
    if (!found) throw new GuildVaultError('NOT_FOUND', `No bot with id ${id} is connected.`, 'Refresh the Servers view.');
    return found;
  }
  if (connections.length === 0) throw withNextStep(new GuildVaultError('NOT_FOUND', 'No bot is connected.', 'Connect one with Guild Vault: Connect Bot Token.'), CONNECT_STEP);
  if (connections.length === 1) return connections[0];
  const picked = await vscode.window.showQuickPick(
    connections.map((connection) => ({ label: connection.name, description: connection.demo ? 'demo' : connection.id, connection })),
    { title: 'Guild Vault: choose a bot' },
  );
  return picked?.connection;
}

/** Refuses to start a second job on a server whose vault a job holds. */
export function ensureIdle(services: Services, server: ServerRef): void {
  if (services.jobs.isBusy(server.guildId)) {
    throw new GuildVaultError('VAULT_LOCKED', `A job on ${server.name} is still running.`, 'Wait for it to finish, or cancel it from its notification.');
  }
}

function serverOf(arg: unknown): (Partial<ServerRef> & { guildId: string }) | undefined {
  if (typeof arg === 'string' && /^\d+$/.test(arg)) return { guildId: arg };
  if (typeof arg !== 'object' || arg === null) return undefined;
  // Tree nodes carry `server`; plain objects may be a ServerRef themselves.
  const nested = (arg as { server?: unknown }).server;
  if (isServerRef(nested)) return nested;
  if (isServerRef(arg)) return arg;
  return undefined;
}

function offline(server: ServerRef): GuildVaultError {
  return withNextStep(new GuildVaultError('MISSING_ACCESS', `No connected bot can reach ${server.name}.`, 'Connect the token of a bot that is in this server (Guild Vault: Connect Bot Token).'), CONNECT_STEP);
}

/**
 * Options a command takes as a second argument from automation and tests. VS Code passes other
 * things there from menus (the selected nodes of a multi-select tree): those are not options.
 */
export function plainOptions<T extends object>(arg: unknown): Partial<T> {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg) || arg instanceof TreeNode) return {};
  return arg as Partial<T>;
}

/** A string argument, or undefined when VS Code passed something else (a tree node, a URI). */
export function stringArg(arg: unknown): string | undefined {
  return typeof arg === 'string' ? arg : undefined;
}
