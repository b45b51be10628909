import { channelLabel } from '../../discord/channelLabel';
import { canonicalJson } from '../../snapshots/canonical';
import type { NodeData, StructureState } from '../../snapshots/types';
import type { Vault } from '../../vault';
import type { BotPower } from '../botPower';
import type { MappedKind } from '../idMap';
import type { RestorePlan } from '../types';

export type Json = Record<string, unknown>;

/** Everything the planner compares: the snapshot, the server now, and what the bot may do there. */
export interface PlanContext {
  vault: Vault;
  source: StructureState;
  target: StructureState;
  /** The target's guild object as the API sent it (features, settings). */
  targetGuild: Json;
  targetRoles: Map<string, Json>; // raw roles, with positions
  power: BotPower;
  plan: RestorePlan;
  /** Source objects that will exist after the plan runs (matched, or created by an action that is not blocked). */
  willExist: Record<'role' | 'channel' | 'thread', Set<string>>;
  memberPresent: (userId: string) => Promise<boolean>;
}

export function changedFields(fields: readonly string[], want: NodeData, have: NodeData): Json {
  const changes: Json = {};
  for (const field of fields) {
    if (want[field] === undefined) continue;
    if (canonicalJson(want[field]) !== canonicalJson(have[field] ?? null)) changes[field] = want[field];
  }
  return changes;
}

export function channelLabelOf(channel: NodeData): string {
  return channelLabel({ name: String(channel.name), type: Number(channel.type) });
}

/** Whether the target server has a feature (COMMUNITY, ROLE_ICONS, BANNER, ...). */
export function hasFeature(ctx: PlanContext, feature: string): boolean {
  return Array.isArray(ctx.targetGuild.features) && (ctx.targetGuild.features as unknown[]).includes(feature);
}

/** Records an id_map entry whose target is gone, so neither the planner nor the executors trust it. */
export function markStale(plan: RestorePlan, kind: MappedKind, sourceId: string, targetId: string): void {
  (plan.staleMappings[kind] ??= {})[sourceId] = targetId;
}
