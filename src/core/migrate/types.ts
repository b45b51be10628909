import type { MigrationSetup } from './planMigration';

/** What `migrateMessages` is asked to do. */
export interface MigrateOptions {
  /** The server the messages go to (its structure restored from this vault first). */
  targetGuildId: string;
  /** Source channel (or thread) ids to migrate; default every archived channel. A channel brings its threads. */
  channelIds?: string[];
  /** Only messages sent at or after / before these times. */
  since?: Date;
  until?: Date;
  /** Post authors as their privacy alias with a generated avatar instead of their name and avatar. */
  aliases?: boolean;
  /** Channels migrated at the same time (default 50): each waits mostly on its own webhook limit (30 a minute), so about 100 reach Discord's global 50 requests/s. */
  concurrency?: number;
  /** Discord's undocumented limit on webhook messages per channel and minute (default 30). */
  messagesPerChannelPerMinute?: number;
  /** The plan planMigration made for these options (the run then does not ask Discord again). */
  planned?: MigrationSetup;
}

/** One source channel (with its threads) as the plan sees it. */
export interface MigrateChannelPlan {
  sourceId: string;
  label: string;
  /** 'text' channels get their messages in place; 'forum' channels (forum, media) get one post per thread. */
  kind: 'text' | 'forum';
  /** Where its messages go; undefined when the target lacks the channel (restore the structure first). */
  targetId?: string;
  threads: number;
  /** Messages still to send (already migrated ones not counted), their files and bytes. */
  messages: number;
  files: number;
  bytes: number;
  /** Already migrated by an earlier run. */
  alreadySent: number;
  /** Why the channel cannot be migrated (no target channel, no permission). */
  problem?: string;
}

export interface MigratePlan {
  sourceGuildId: string;
  targetGuildId: string;
  targetName: string;
  channels: MigrateChannelPlan[];
  messages: number;
  files: number;
  bytes: number;
  alreadySent: number;
  /** Per-request upload limit of the target (by its boost tier). */
  uploadLimitBytes: number;
  /** At the webhook limits, in seconds. */
  estimatedSeconds: number;
  /** Problems that stop the whole migration (no archive, target not writable, ...). */
  problems: string[];
}

/** A message that could not be sent, and why. */
export interface MigrateFailure {
  sourceMessageId: string;
  channel: string;
  reason: string;
}

export interface MigrateReport {
  summary: string;
  sent: number;
  /** Found already migrated (earlier runs, or the one send in flight when a run stopped). */
  alreadySent: number;
  recoveredInFlight: number;
  threadsCreated: number;
  pinned: number;
  /** System messages (joins, boosts, pins...) and messages deleted in the source are not replayed. */
  skippedSystem: number;
  /** Files that went as a note (over the upload limit, never downloaded). */
  filesAsNotes: number;
  failed: MigrateFailure[];
  /** Channel-level problems (no target, no permission, thread gone). */
  problems: string[];
  durationMs: number;
}
