import type { LiveState } from '../snapshots/capture/captureLiveState';
import { renderState } from '../snapshots/render';
import type { NodeData, NodeType, StructureState } from '../snapshots/types';
import type { Vault } from '../vault';
import { mappedId } from './idMap';
import type { RestorePlan } from './types';
import { OverwriteType } from 'discord-api-types/v10';

/**
 * "Target now <-> target after restore", both in the snapshot renderer's
 * language, for a diff editor.
 *
 * The "after" side is a projection, not a second capture: the snapshot mapped
 * onto the target's ids (what the plan matched keeps the target's id, what it
 * creates shows as "new <snapshot id>"), with the target's own objects where
 * the plan leaves them (kept, blocked, or of a kind restore does not touch).
 * What it cannot know exactly is listed in `approximations`.
 */
export interface RestorePreview {
  capturedAt: string;
  now: string;
  after: string;
  approximations: string[];
}

/** Node types the plan rewrites from the snapshot; the rest stay as the target has them. */
const FROM_SNAPSHOT: NodeType[] = ['guild', 'role', 'role_order', 'channel', 'overwrite', 'welcome_screen', 'onboarding'];

export const PREVIEW_APPROXIMATIONS = [
  'Objects the restore creates show as "new <snapshot id>": Discord gives them their ids when they are created.',
  'Threads, emojis and stickers are the target\'s plus what the plan creates; bans change only when bans or unbans are included.',
  'A blocked action leaves its object as the target has it now; a failure while running is not foreseen here.',
];

/**
 * The preview against a capture of the target already taken: the one the plan was made against
 * (planRestoreChoices captures once for the plans and their preview).
 */
export function previewAgainst(vault: Vault, source: StructureState, live: LiveState, plan: RestorePlan): RestorePreview {
  const after = projectRestore(source, live, plan, (kind, id) => mappedId(vault, kind, id, plan.targetGuildId));
  return { capturedAt: live.capturedAt, now: renderState(live), after: renderState(after), approximations: PREVIEW_APPROXIMATIONS };
}

/** The target's state as the plan would leave it (see RestorePreview for what is approximated). */
export function projectRestore(source: StructureState, live: StructureState, plan: RestorePlan, mapped: (kind: 'thread' | 'emoji' | 'sticker', id: string) => string | undefined): StructureState {
  const ids = idTranslation(source, live, plan, mapped);
  const translate = (id: string) => ids.get(id) ?? id;
  const remap = (value: unknown): unknown => {
    if (typeof value === 'string') return ids.get(value) ?? value;
    if (Array.isArray(value)) return value.map(remap);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remap(v)]));
    return value;
  };
  const remapKey = (key: string) => key.split('/').map(translate).join('/');
  const fromSource = (type: NodeType) => new Map([...(source.nodes.get(type) ?? [])].map(([key, data]) => [remapKey(key), remap(data) as NodeData]));
  const liveOf = (type: NodeType) => live.nodes.get(type) ?? new Map<string, NodeData>();

  const nodes = new Map<NodeType, Map<string, NodeData>>();
  for (const [type, map] of live.nodes) nodes.set(type, new Map(map));
  for (const type of FROM_SNAPSHOT) if (source.nodes.has(type)) nodes.set(type, fromSource(type));
  const of = (type: NodeType) => {
    if (!nodes.has(type)) nodes.set(type, new Map());
    return nodes.get(type)!;
  };

  // What the plan leaves alone stays as the target has it.
  const kindType = { role: 'role', channel: 'channel', overwrite: 'overwrite' } as const;
  for (const kept of plan.kept) {
    const have = liveOf(kindType[kept.kind]).get(kept.targetId);
    if (have) of(kindType[kept.kind]).set(kept.targetId, have);
  }
  // Threads: the target's, with the snapshot's on top (restore updates or creates them, never deletes).
  for (const [key, data] of fromSource('thread')) of('thread').set(key, data);

  for (const action of plan.actions) {
    const [area] = action.kind.split('.') as [string];
    const type = (area === 'ban' ? 'ban' : area) as NodeType;
    const created = action.sourceId !== undefined ? translate(action.sourceId) : undefined;
    if (action.blocked) {
      if (action.kind.endsWith('.create') && created) of(type).delete(created);
      if (action.targetId && ['role', 'channel'].includes(area)) {
        const have = liveOf(type).get(action.targetId);
        if (have) of(type).set(action.targetId, have);
      }
      if (action.kind === 'guild.update') keepLiveSettings(of('guild'), liveOf('guild'), action.data, action.detail);
      continue;
    }
    if (action.kind === 'role.delete' || action.kind === 'channel.delete') of(type).delete(action.targetId ?? '');
    if ((action.kind === 'emoji.create' || action.kind === 'sticker.create') && action.sourceId && created) {
      const data = source.nodes.get(type)?.get(action.sourceId);
      if (data) of(type).set(created, remap(data) as NodeData);
    }
    // Bans are by user id, the same in every server.
    const user = action.targetId ?? '';
    if (action.kind === 'ban.put') of('ban').set(user, source.nodes.get('ban')?.get(user) ?? { user: { id: user } });
    if (action.kind === 'ban.delete') of('ban').delete(user);
  }
  dropDangling(of('overwrite'), of('role'), of('channel'));
  return { guildId: live.guildId, nodes, status: { ...live.status } };
}

/** A blocked settings change: its fields (all of them, or the one it names) stay as the target has them. */
function keepLiveSettings(after: Map<string, NodeData>, live: Map<string, NodeData>, data: { changes: object; channels: object; images: object }, field: string): void {
  const fields = [...Object.keys(data.changes), ...Object.keys(data.channels), ...Object.keys(data.images)];
  for (const [key, have] of live) {
    const node = { ...(after.get(key) ?? have) };
    for (const name of fields.length ? fields : [field]) node[name] = have[name] ?? null;
    after.set(key, node);
  }
}

/** Overwrites on a channel, or for a role, the restore will not create are skipped when it runs. */
function dropDangling(overwrites: Map<string, NodeData>, roles: Map<string, NodeData>, channels: Map<string, NodeData>): void {
  const missing = (id: unknown) => typeof id === 'string' && id.startsWith('new ');
  for (const [key, overwrite] of overwrites) {
    const channelGone = missing(overwrite.channel_id) && !channels.has(String(overwrite.channel_id));
    const roleGone = overwrite.type === OverwriteType.Role && missing(overwrite.id) && !roles.has(String(overwrite.id));
    if (channelGone || roleGone) overwrites.delete(key);
  }
}

/** Snapshot id -> the id the object has (or will have) in the target. */
function idTranslation(source: StructureState, live: StructureState, plan: RestorePlan, mapped: (kind: 'thread' | 'emoji' | 'sticker', id: string) => string | undefined): Map<string, string> {
  const ids = new Map<string, string>([[source.guildId, live.guildId]]);
  const fresh = (id: string) => `new ${id}`;
  for (const id of source.nodes.get('role')?.keys() ?? []) if (id !== source.guildId) ids.set(id, plan.matches.role[id] ?? fresh(id));
  for (const id of source.nodes.get('channel')?.keys() ?? []) ids.set(id, plan.matches.channel[id] ?? fresh(id));
  const liveThreads = new Set([...(live.nodes.get('thread')?.keys() ?? [])].map((key) => key.split('/').pop()!));
  for (const key of source.nodes.get('thread')?.keys() ?? []) {
    const id = key.split('/').pop()!;
    ids.set(id, (plan.inPlace && liveThreads.has(id) ? id : mapped('thread', id)) ?? fresh(id));
  }
  for (const kind of ['emoji', 'sticker'] as const) {
    const liveIds = live.nodes.get(kind) ?? new Map<string, NodeData>();
    for (const id of source.nodes.get(kind)?.keys() ?? []) ids.set(id, (liveIds.has(id) ? id : mapped(kind, id)) ?? fresh(id));
  }
  return ids;
}
