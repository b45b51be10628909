import type { MappedKind } from './idMap';

/**
 * A restore plan: what will be done to the target server, in order, each
 * action saying what it is for and, when the bot cannot do it, why. The plan
 * refers to roles and channels by their snapshot (source) ids; the target ids
 * are resolved when it runs, so an action can use what an earlier one created.
 */

/** Kinds that delete, ban or unban: a plan with one of them is applied only when confirmed. */
export const DESTRUCTIVE_KINDS: ReadonlySet<RestoreActionKind> = new Set(['role.delete', 'channel.delete', 'overwrite.delete', 'ban.put', 'ban.delete']);

/** Optional parts of a restore: bans are re-applied only when asked, unbans only when asked too. */
export type RestoreInclude = 'bans' | 'unbans';
export const RESTORE_INCLUDES: readonly RestoreInclude[] = ['bans', 'unbans'];

type Json = Record<string, unknown>;

/** What every action has, whatever its kind. */
interface ActionBase {
  /** "@Moderators", "#general", "#general: @Moderators", "user alice". */
  label: string;
  /** What changes, one short phrase: "permissions, color", "recreate (deleted since)". */
  detail: string;
  /** Snapshot id of the object (role, channel, thread, emoji, sticker; for overwrites the channel). */
  sourceId?: string;
  /** Existing target object, for updates and deletes of what is there now. */
  targetId?: string;
  /** Why the bot cannot do it; blocked actions are reported, never attempted. */
  blocked?: string;
}

/** An image to upload from the media pool; `key` is its id_map 'image' entry (the hash Discord gives it). */
export interface ImageUpload {
  sha256: string;
  key: string;
}

/** A role's fields as Discord takes them; `icon` an upload from the pool, or null to clear it. */
export type RoleWrite = Json & { icon?: ImageUpload | null };

/**
 * One step of a plan, its payload typed by its kind, in source terms: the
 * snapshot's ids, mapped to the target's when the action runs.
 */
export type RestoreAction = ActionBase &
  (
    | { kind: 'role.create'; data: RoleWrite }
    | { kind: 'role.update'; data: RoleWrite }
    | { kind: 'role.delete' }
    | { kind: 'role.reorder'; data: { order: string[]; botRoleIds: string[]; botOwns: boolean } }
    | { kind: 'channel.create'; data: { body: Json; parentSourceId: string | null } }
    | { kind: 'channel.update'; data: Json }
    | { kind: 'channel.delete' }
    | { kind: 'channel.reorder'; data: { entries: { sourceId: string; position: number; parentSourceId: string | null }[] } }
    | { kind: 'overwrite.put'; data: { subjectSourceId: string; type: number; allow: string; deny: string } }
    | { kind: 'overwrite.delete' }
    | { kind: 'ban.put'; data: { reason: string | null } }
    | { kind: 'ban.delete' }
    | { kind: 'emoji.create'; data: { name: string; roles: string[]; animated: boolean; sha256?: string } }
    | { kind: 'sticker.create'; data: { name: string; description: string; tags: string; formatType: number; sha256?: string } }
    | { kind: 'thread.create'; data: ThreadCreate }
    | { kind: 'thread.update'; data: ThreadUpdate }
    | { kind: 'guild.update'; data: GuildSettingsWrite }
    | { kind: 'welcome_screen.update'; data: { description: string | null; welcome_channels: Json[]; enabled: boolean } }
    | { kind: 'onboarding.update'; data: { onboarding: Json; keepIds: boolean } }
  );

export type RestoreActionKind = RestoreAction['kind'];

/** The action of one kind: what its executor receives. */
export type ActionOf<K extends RestoreActionKind> = Extract<RestoreAction, { kind: K }>;

export interface ThreadCreate {
  parentSourceId: string;
  /** In a forum or media channel: a post, opened with `starter`. */
  forum: boolean;
  body: Json;
  /** Forum tags by name (tag ids differ between servers). */
  tagNames: string[];
  starter?: string;
  archived: boolean;
  locked: boolean;
}

export interface ThreadUpdate {
  changes: Json;
  tagNames?: string[];
  archived: boolean;
  locked: boolean;
  wasArchived: boolean;
  wasLocked: boolean;
}

export interface GuildSettingsWrite {
  changes: Json;
  /** Settings naming a channel: snapshot channel ids (or null). */
  channels: Record<string, string | null>;
  images: Record<string, ImageUpload | null>;
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
