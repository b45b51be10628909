import * as vscode from 'vscode';
import { GuildVaultError, listSnapshots, type BotAccess, type SnapshotInfo } from '../engine';
import type { Connection } from '../connections/connection';
import { snapshotChangeSummary, snapshotLabel } from '../../presentation/snapshotText';
import { isServerRef, type ServerRef } from '../servers/server';
import type { Services } from '../services';
import { ConnectionNode } from '../tree/nodes/connectionNode';
import { SnapshotNode } from '../tree/nodes/snapshotNode';

/**
 * Commands take what they act on from the tree node they were invoked on, or
 * from plain arguments (automation and tests: a guild id, `{ guildId,
 * snapshotId }`), or ask with a quick pick when run from the Command Palette.
 */

export interface SnapshotTarget {
  server: ServerRef;
  snapshot: SnapshotInfo;
}

/** Resolves a server argument; `needsConnection` limits the pick to reachable servers. */
export async function resolveServer(services: Services, arg: unknown, needsConnection: boolean): Promise<ServerRef | undefined> {
  const given = serverOf(arg);
  if (given?.connectionId && given.name) return given as ServerRef; // a tree node knows its connection
  if (given) {
    // Fill in what plain arguments leave out (name, connection) from the catalog.
    const known = await services.catalog.find(given.guildId);
    const server = known ?? { guildId: given.guildId, name: given.name ?? services.vaults.guildName(given.guildId) ?? `Server ${given.guildId}` };
    if (needsConnection && !server.connectionId) throw offline(server);
    return server;
  }
  const servers = (await services.catalog.allServers()).filter((server) => !needsConnection || server.connectionId);
  if (servers.length === 0) {
    throw new GuildVaultError(
      'NOT_FOUND',
      needsConnection ? 'No connected bot can reach a server.' : 'There is no server yet.',
      'Connect a bot token (Guild Vault: Connect Bot Token) or try the demo server.',
    );
  }
  if (servers.length === 1) return servers[0];
  const picked = await vscode.window.showQuickPick(
    servers.map((server) => ({
      label: server.name,
      description: server.connectionId ? services.connections.get(server.connectionId)?.name : 'offline',
      detail: server.guildId,
      server,
    })),
    { title: 'Guild Vault: choose a server', placeHolder: 'Server', matchOnDetail: true },
  );
  return picked?.server;
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
  const server = await resolveServer(services, arg, false);
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

export function snapshotsOf(services: Services, server: ServerRef): SnapshotInfo[] {
  return services.vaults.read(server.guildId, (vault) => listSnapshots(vault)) ?? [];
}

export async function pickSnapshot(server: ServerRef, snapshots: readonly SnapshotInfo[], title: string): Promise<SnapshotInfo | undefined> {
  if (snapshots.length === 0) {
    throw new GuildVaultError('NOT_FOUND', `${server.name} has no snapshots yet.`, 'Take one first (Guild Vault: Take Snapshot).');
  }
  const picked = await vscode.window.showQuickPick(
    [...snapshots].sort((a, b) => b.id - a.id).map((snapshot) => ({ label: snapshotLabel(snapshot), description: snapshotChangeSummary(snapshot), snapshot })),
    { title, placeHolder: `Snapshots of ${server.name}, newest first` },
  );
  return picked?.snapshot;
}

/** Resolves a connection argument: a tree node, a bot id, or a quick pick. */
export async function resolveConnection(services: Services, arg: unknown): Promise<Connection | undefined> {
  if (arg instanceof ConnectionNode) return arg.connection;
  const id = typeof arg === 'string' ? arg : typeof arg === 'object' && arg !== null ? (arg as { id?: unknown }).id : undefined;
  const connections = services.connections.list();
  if (typeof id === 'string') {
    const found = connections.find((connection) => connection.id === id);
    if (!found) throw new GuildVaultError('NOT_FOUND', `No bot with id ${id} is connected.`, 'Refresh the Servers view.');
    return found;
  }
  if (connections.length === 0) throw new GuildVaultError('NOT_FOUND', 'No bot is connected.', 'Connect one with Guild Vault: Connect Bot Token.');
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
  return new GuildVaultError('MISSING_ACCESS', `No connected bot can reach ${server.name}.`, 'Connect the token of a bot that is in this server (Guild Vault: Connect Bot Token).');
}
