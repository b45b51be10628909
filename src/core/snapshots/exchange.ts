import { GuildVaultError } from '../errors';
import type { Vault } from '../vault';
import { recordGuildIdentity } from '../vault/identity';
import { getSnapshot, loadState, storeSnapshot } from './chain';
import { isNodeType } from './chain/rows';
import { NODE_TYPES, type CaptureStatus, type NodeData, type NodeType, type SnapshotInfo, type StructureState } from './types';

export const SNAPSHOT_FILE_FORMAT = 'guild-vault-snapshot';

/**
 * One snapshot as a self-contained JSON document: to keep outside the vault,
 * to move between machines, or to import into another vault of the same
 * server (it then joins that chain as an "import" snapshot).
 */
export interface SnapshotFile {
  format: typeof SNAPSHOT_FILE_FORMAT;
  version: 1;
  guildId: string;
  guildName?: string;
  createdAt: string;
  kind: string;
  label: string | null;
  captureStatus: CaptureStatus;
  nodes: Partial<Record<NodeType, Record<string, NodeData>>>;
}

export function exportSnapshot(vault: Vault, id: number): SnapshotFile {
  const info = getSnapshot(vault, id);
  const state = loadState(vault, id);
  const nodes: SnapshotFile['nodes'] = {};
  for (const type of NODE_TYPES) {
    const byId = state.nodes.get(type);
    if (!byId || byId.size === 0) continue;
    nodes[type] = Object.fromEntries([...byId].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  const guild = state.nodes.get('guild')?.get(state.guildId);
  return {
    format: SNAPSHOT_FILE_FORMAT,
    version: 1,
    guildId: state.guildId,
    guildName: typeof guild?.name === 'string' ? guild.name : undefined,
    createdAt: info.createdAt,
    kind: info.kind,
    label: info.label,
    captureStatus: info.captureStatus,
    nodes,
  };
}

/**
 * Appends a snapshot file to the chain as kind "import" (dated now; the
 * original date goes into the label unless one is given). A type the file's
 * capture could not read stays unread, so it never deletes what the chain has.
 */
export function importSnapshot(vault: Vault, file: unknown, options: { label?: string } = {}): SnapshotInfo {
  const parsed = validate(file);
  const owner = vault.getMeta('guild_id');
  if (owner && owner !== parsed.guildId) {
    throw new GuildVaultError('INVALID_ARGUMENT', `The snapshot file is of server ${parsed.guildId}; this vault holds server ${owner}.`, 'Import it into the vault of its own server.');
  }
  const state: StructureState = { guildId: parsed.guildId, nodes: new Map(), status: {} };
  for (const [type, byId] of Object.entries(parsed.nodes)) {
    if (isNodeType(type) && byId) state.nodes.set(type, new Map(Object.entries(byId)));
  }
  for (const type of NODE_TYPES) {
    const status = parsed.captureStatus[type];
    // Provenance ("shown as of #3") belongs to the exporting vault's chain: keep the reason only.
    if (status === 'ok') state.status[type] = 'ok';
    else if (status && typeof status === 'object' && 'unreadable' in status) state.status[type] = { unreadable: status.unreadable };
    else if (status && typeof status === 'object' && 'partial' in status) state.status[type] = { partial: status.partial, scopes: status.scopes };
  }
  const label = options.label ?? parsed.label ?? `imported: taken ${parsed.createdAt.slice(0, 16).replace('T', ' ')} UTC`;
  return vault.transaction(() => {
    const info = storeSnapshot(vault, state, { kind: 'import', label });
    if (!owner) recordGuildIdentity(vault, { id: parsed.guildId, name: parsed.guildName ?? parsed.guildId });
    return info;
  });
}

function validate(file: unknown): SnapshotFile {
  const f = file as Partial<SnapshotFile> | null;
  const bad = (what: string) => new GuildVaultError('INVALID_ARGUMENT', `This is not a Guild Vault snapshot file (${what}).`, 'Export one with "guild-vault snapshots export".');
  if (!f || typeof f !== 'object' || f.format !== SNAPSHOT_FILE_FORMAT) throw bad('no "format": "guild-vault-snapshot"');
  if (f.version !== 1) throw bad(`version ${String(f.version)} is not supported`);
  if (typeof f.guildId !== 'string' || !/^\d{15,21}$/.test(f.guildId)) throw bad('no server id');
  if (!f.nodes || typeof f.nodes !== 'object') throw bad('no nodes');
  if (!f.captureStatus || typeof f.captureStatus !== 'object') throw bad('no capture status');
  if (typeof f.createdAt !== 'string') throw bad('no date');
  return f as SnapshotFile;
}
