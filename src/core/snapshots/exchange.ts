import { GuildVaultError } from '../errors';
import type { Vault } from '../vault';
import { recordGuildIdentity } from '../vault/identity';
import { isSnowflake } from '../discord/snowflake';
import { getSnapshot, loadState, storeSnapshot } from './chain';
import { isNodeType } from './chain/rows';
import { nodeProblem } from './nodeShapes';
import { NODE_TYPES, type CaptureStatus, type NodeData, type NodeType, type SnapshotInfo, type StructureState } from './types';
import { formatUtc } from '../text';

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
export function importSnapshot(vault: Vault, file: unknown, options: { label?: string; guildId?: string } = {}): SnapshotInfo {
  const parsed = parseSnapshotFile(file, options.guildId);
  const owner = vault.getMeta('guild_id');
  if (owner && owner !== parsed.guildId) throw otherServer(parsed.guildId, owner);
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
  const label = options.label ?? parsed.label ?? `imported: taken ${formatUtc(parsed.createdAt)}`;
  return vault.transaction(() => {
    const info = storeSnapshot(vault, state, { kind: 'import', label });
    if (!owner) recordGuildIdentity(vault, { id: parsed.guildId, name: parsed.guildName ?? parsed.guildId });
    return info;
  });
}

function otherServer(fileGuildId: string, vaultGuildId: string): GuildVaultError {
  return new GuildVaultError('INVALID_ARGUMENT', `The snapshot file is of server ${fileGuildId}; this vault is for server ${vaultGuildId}.`, 'Import it into the vault of its own server.');
}

/**
 * Checks a parsed snapshot file before anything is written: its header, and
 * every node's shape for its type (see nodeShapes). With `guildId`, the file
 * must be of that server (so a file of another server never creates, or
 * joins, a vault under the wrong id). Throws INVALID_ARGUMENT naming the
 * first problem: which type, which node, what is wrong.
 */
export function parseSnapshotFile(file: unknown, guildId?: string): SnapshotFile {
  const f = file as Partial<SnapshotFile> | null;
  const bad = (what: string) => new GuildVaultError('INVALID_ARGUMENT', `This is not a Guild Vault snapshot file (${what}).`, 'Export one with "guild-vault snapshots export".');
  if (!f || typeof f !== 'object' || Array.isArray(f) || f.format !== SNAPSHOT_FILE_FORMAT) throw bad('no "format": "guild-vault-snapshot"');
  if (f.version !== 1) throw bad(`version ${JSON.stringify(f.version)?.slice(0, 20)} is not supported`);
  if (!isSnowflake(f.guildId)) throw bad('no server id');
  if (!f.nodes || typeof f.nodes !== 'object' || Array.isArray(f.nodes)) throw bad('no nodes');
  if (!f.captureStatus || typeof f.captureStatus !== 'object' || Array.isArray(f.captureStatus)) throw bad('no capture status');
  if (typeof f.createdAt !== 'string' || Number.isNaN(Date.parse(f.createdAt))) throw bad('no date');
  if (f.label !== undefined && f.label !== null && typeof f.label !== 'string') throw bad('the label is not text');
  if (guildId !== undefined && f.guildId !== guildId) throw otherServer(f.guildId, guildId);
  for (const [type, byId] of Object.entries(f.nodes)) {
    if (!isNodeType(type)) throw bad(`unknown node type ${JSON.stringify(type).slice(0, 40)}`);
    if (!byId || typeof byId !== 'object' || Array.isArray(byId)) throw bad(`the ${type} nodes are not an object of nodes`);
    for (const [key, data] of Object.entries(byId as Record<string, unknown>)) {
      const problem = nodeProblem(type, key, data, f.guildId);
      if (problem) throw bad(`${type} ${JSON.stringify(key).slice(0, 60)}: ${problem}`);
    }
  }
  // Every capture reads the server and its roles (@everyone at least): a file without them would plan deleting everything.
  if (!f.nodes.guild?.[f.guildId]) throw bad('no settings node for its server');
  if (!f.nodes.role?.[f.guildId]) throw bad('no @everyone role');
  return f as SnapshotFile;
}
