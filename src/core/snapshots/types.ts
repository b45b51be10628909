/**
 * The shapes of the snapshot engine: node types, states, capture status and
 * snapshot metadata. A state is the same thing whether it was rebuilt from the
 * vault or captured live, so one renderer serves both.
 */

/** Every kind of node a snapshot records. New types need no schema change. */
export const NODE_TYPES = [
  'guild',
  'role',
  'role_order',
  'channel',
  'overwrite',
  'thread',
  'member',
  'ban',
  'emoji',
  'sticker',
  'scheduled_event',
  'automod_rule',
  'webhook',
  'welcome_screen',
  'onboarding',
  'soundboard_sound',
] as const;

export type NodeType = (typeof NODE_TYPES)[number];

/** A node's canonical data: plain JSON, already normalized (volatile fields removed). */
export type NodeData = { [key: string]: unknown };

/** Why a node type is missing from a snapshot, and where its shown data comes from. */
export interface UnreadableStatus {
  /** e.g. "missing BAN_MEMBERS permission". */
  unreadable: string;
  /** The snapshot whose data for this type is shown instead (it may have been deleted since). */
  asOfId?: number;
  asOfDate?: string;
}

/**
 * Some nodes of a type were read, others not (threads of a channel the bot
 * cannot see). Node ids starting with one of `scopes` were not read: their
 * previous versions show through, exactly as for an unreadable type.
 */
export interface PartialStatus {
  partial: string;
  scopes: string[];
}

export type TypeStatus = 'ok' | UnreadableStatus | PartialStatus;

export type CaptureStatus = Partial<Record<NodeType, TypeStatus>>;

/** A server's structure at one point: nodes per type, and what could be read. */
export interface StructureState {
  guildId: string;
  nodes: Map<NodeType, Map<string, NodeData>>;
  status: CaptureStatus;
}

export type SnapshotKind = 'manual' | 'automatic' | 'pre-restore' | 'import';
export const SNAPSHOT_KINDS: readonly SnapshotKind[] = ['manual', 'automatic', 'pre-restore', 'import'];

export interface ChangeSummary {
  created: number;
  changed: number;
  deleted: number;
}

export interface SnapshotInfo {
  id: number;
  kind: SnapshotKind;
  label: string | null;
  pinned: boolean;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** The last time a capture found the server as this snapshot has it (unchanged automatic snapshots are not stored). */
  checkedAt: string;
  /** Nodes created, changed and deleted since the snapshot before it. */
  summary: ChangeSummary;
  captureStatus: CaptureStatus;
}

export function emptyState(guildId: string): StructureState {
  return { guildId, nodes: new Map(), status: {} };
}

/** The nodes of one type (an empty map when there are none). */
export function nodesOf(state: StructureState, type: NodeType): Map<string, NodeData> {
  let map = state.nodes.get(type);
  if (!map) {
    map = new Map();
    state.nodes.set(type, map);
  }
  return map;
}

export function isUnreadable(status: TypeStatus | undefined): status is UnreadableStatus {
  return typeof status === 'object' && status !== null && 'unreadable' in status;
}

export function isPartial(status: TypeStatus | undefined): status is PartialStatus {
  return typeof status === 'object' && status !== null && 'partial' in status;
}

/** Whether the capture read this node id (false inside a partial status's scopes). */
export function inScopes(status: PartialStatus, nodeId: string): boolean {
  return status.scopes.some((scope) => nodeId.startsWith(scope));
}
