import type { MappedKind } from './idMap';

/**
 * A restore plan: what will be done to the target server, in order, each
 * action saying what it is for and, when the bot cannot do it, why. The plan
 * refers to roles and channels by their snapshot (source) ids; the target ids
 * are resolved when it runs, so an action can use what an earlier one created.
 */

export type RestoreActionKind =
  | 'role.create'
  | 'role.update'
  | 'role.delete'
  | 'role.reorder'
  | 'channel.create'
  | 'channel.update'
  | 'channel.delete'
  | 'channel.reorder'
  | 'overwrite.put'
  | 'overwrite.delete'
  | 'ban.put'
  | 'ban.delete'
  | 'emoji.create'
  | 'sticker.create'
  | 'thread.create'
  | 'thread.update'
  | 'guild.update'
  | 'welcome_screen.update'
  | 'onboarding.update';

/** Kinds that delete, ban or unban: a plan with one of them is applied only when confirmed. */
export const DESTRUCTIVE_KINDS: ReadonlySet<RestoreActionKind> = new Set(['role.delete', 'channel.delete', 'overwrite.delete', 'ban.put', 'ban.delete']);

/** Optional parts of a restore: bans are re-applied only when asked, unbans only when asked too. */
export type RestoreInclude = 'bans' | 'unbans';
export const RESTORE_INCLUDES: readonly RestoreInclude[] = ['bans', 'unbans'];

export interface RestoreAction {
  kind: RestoreActionKind;
  /** "@Moderators", "#general", "#general: @Moderators", "user alice". */
  label: string;
  /** What changes, one short phrase: "permissions, color", "recreate (deleted since)". */
  detail: string;
  /** Snapshot id of the object (role, channel; for overwrites the channel). */
  sourceId?: string;
  /** Existing target object, for updates and deletes of what is there now. */
  targetId?: string;
  /** Kind-specific payload in source terms (ids mapped when the action runs). */
  data?: Record<string, unknown>;
  /** Why the bot cannot do it; blocked actions are reported, never attempted. */
  blocked?: string;
}

export interface RestorePlan {
  snapshotId: number;
  sourceGuildId: string;
  targetGuildId: string;
  /** Same server (restore in place) or another one (migration). */
  inPlace: boolean;
  include: RestoreInclude[];
  /** Whether roles, channels and overwrites missing from the snapshot are deleted (otherwise listed in `kept`). */
  prune: boolean;
  /** Source id -> target id of what already exists (same id, @everyone, or id_map). */
  matches: { role: Record<string, string>; channel: Record<string, string> };
  actions: RestoreAction[];
  /** What is in the target but not in the snapshot, left alone because the plan does not prune. */
  kept: KeptObject[];
  /**
   * id_map entries whose target object no longer exists (someone deleted what
   * an earlier restore created): not proof of anything, the object is created again.
   */
  staleMappings: Partial<Record<MappedKind, Record<string, string>>>;
  /** Things the plan leaves out on purpose, for the front end to say. */
  notes: string[];
}

export interface KeptObject {
  kind: 'role' | 'channel' | 'overwrite';
  label: string;
  targetId: string;
}

export type ActionOutcome =
  | { action: RestoreAction; status: 'done'; targetId?: string }
  | { action: RestoreAction; status: 'skipped'; reason: string }
  | { action: RestoreAction; status: 'failed'; error: string };

export interface RestoreReport {
  preRestoreSnapshotId?: number;
  outcomes: ActionOutcome[];
  done: number;
  skipped: number;
  failed: number;
}
