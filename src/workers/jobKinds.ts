/**
 * The jobs a job worker can run, by kind: each entry turns a request's
 * parameters into one engine call, inside the worker, with the worker's own
 * vault store, client and Job. Params and results cross threads by structured
 * clone, so they are plain data (no functions, class instances or Vaults).
 *
 * Adding a kind is one entry here; the host calls it as
 * `workers.run({ kind, vaultRoot, params }, bot, job)` and gets the entry's
 * result type back. A kind that talks to Discord calls ctx.client() (the
 * request then needs a bot); a read-only kind only uses ctx.store.
 */
import { countTranscriptMonths, renderTranscript, syncArchive, type SyncOptions, type TranscriptOptions } from '../core/archive';
import type { DiscordClient } from '../core/discord';
import type { Job } from '../core/job';
import { backupGuild, type BackupOptions } from '../core/jobs/backup';
import { withGuildVault } from '../core/jobs/guildVaultJob';
import { exportServer, type ExportOptions } from '../core/export';
import { createBundle, restoreBundle, type CreateBundleOptions } from '../core/bundle';
import { migrateMessages, planMigration, type MigrateOptions } from '../core/migrate';
import { applyRestore, planRestoreChoices, type PlanRestoreOptions, type RestoreChoices, type RestorePlan } from '../core/restore';
import { searchMessages, type SearchOptions, type SearchResult } from '../core/search';
import { checkHealth, renderLiveState, takeSnapshot, type TakeSnapshotOptions } from '../core/snapshots';
import { describeError } from '../core/errors';
import type { Vault, VaultStore } from '../core/vault';

export interface JobContext {
  /** The vaults folder of the request (vaultRoot). */
  store: VaultStore;
  job: Job;
  /** The worker's own client for the request's bot; throws if the request came without one. */
  client(): DiscordClient;
}

type GuildParams<Options = undefined> = Options extends undefined ? { guildId: string } : { guildId: string; options: Options };

export const JOB_KINDS = {
  /** Back Up Server: structure snapshot + message archive. */
  backup: ({ store, client, job }: JobContext, { guildId, options }: GuildParams<BackupOptions>) => backupGuild(store, client(), guildId, options, job),

  /** Sync Messages: the archive only. */
  sync: ({ store, client, job }: JobContext, { guildId, options }: GuildParams<SyncOptions>) =>
    withGuildVault(store, client(), guildId, { purpose: 'sync' }, job, (vault) => syncArchive(vault, client(), guildId, options, job)),

  /** Take Snapshot (manual or automatic), with the retention applied. */
  snapshot: ({ store, client, job }: JobContext, { guildId, options }: GuildParams<TakeSnapshotOptions>) =>
    withGuildVault(store, client(), guildId, { purpose: 'snapshot' }, job, (vault) => takeSnapshot(vault, client(), guildId, options, job)),

  /** Compare with Live Server: the server as it is now, gaps filled from a snapshot of the vault. */
  liveState: async ({ store, client, job }: JobContext, { guildId, baseSnapshotId }: { guildId: string; baseSnapshotId?: number }) => {
    const vault = store.has(guildId) ? store.open(guildId, { mode: 'read' }) : undefined;
    try {
      return await renderLiveState(client(), guildId, { vault, baseSnapshotId }, job);
    } finally {
      vault?.close();
    }
  },

  /** Show Health: what the bot can read. */
  health: ({ client, job }: JobContext, { guildId }: { guildId: string }) => checkHealth(client().forJob(job), guildId, { signal: job.signal }),

  /** A transcript document (a month of a busy channel takes longer than a frame: see README Performance). */
  transcript: async ({ store }: JobContext, { guildId, channelId, options }: { guildId: string; channelId: string; options: TranscriptOptions }) =>
    reading(store, guildId, (vault) => renderTranscript(vault, channelId, options)),

  /** Export: a guild's archive as HTML pages, DiscordChatExporter JSON, text or CSV (read-only on the vault). */
  export: async ({ store, job }: JobContext, { guildId, options }: GuildParams<ExportOptions>) => {
    const vault = store.open(guildId, { mode: 'read' });
    try {
      return await exportServer(vault, options, job);
    } finally {
      vault.close();
    }
  },

  /** Export Vault Bundle: the whole vault (or what changed since a bundle) in one file. */
  bundleCreate: ({ store, job }: JobContext, { guildId, options }: GuildParams<CreateBundleOptions>) => createBundle(store.dirFor(guildId), options, job),

  /** Restore Vault Bundle: a new vault in this vaults folder, never into an existing one. */
  bundleRestore: ({ store, job }: JobContext, { file, passphrase }: { file: string; passphrase?: string }) => restoreBundle(file, { vaultRoot: store.root, passphrase }, job),

  /** The line each message of a transcript starts on, as [message id, line] (search reveals a message with it). */
  transcriptLines: async ({ store }: JobContext, { guildId, channelId, options }: { guildId: string; channelId: string; options: TranscriptOptions }) =>
    reading(store, guildId, (vault) => {
      const lines = new Map<string, number>();
      const text = renderTranscript(vault, channelId, { ...options, messageLines: lines });
      return { lines: [...lines], lineCount: text.split('\n').length };
    }),

  /** Migrate Messages To...: the plan (read-only on the vault; asks the target server). */
  migrationPlan: async ({ store, client, job }: JobContext, { guildId, options }: GuildParams<MigrateOptions>) => {
    const vault = store.open(guildId, { mode: 'read' });
    try {
      return (await planMigration(vault, client(), options, job)).plan;
    } finally {
      vault.close();
    }
  },

  /** Migrate Messages To...: the archive posted into the target (writes id_map, so the vault is opened for writing). */
  migrate: async ({ store, client, job }: JobContext, { guildId, options }: GuildParams<MigrateOptions>) => {
    const vault = store.open(guildId, { mode: 'write', purpose: 'migration' });
    try {
      return await migrateMessages(vault, client(), options, job);
    } finally {
      vault.close();
    }
  },

  /**
   * Restore Structure...: the plan that keeps what the snapshot lacks, the one
   * that prunes it (only when there is something to prune) and the preview of
   * the first, for the diff editor and the modal (read-only on the vault;
   * reads the target server). guildId is the snapshot's vault.
   */
  restorePlan: async ({ store, client, job }: JobContext, { guildId, options }: GuildParams<Omit<PlanRestoreOptions, 'prune'>>): Promise<RestoreChoices> => {
    const vault = store.open(guildId, { mode: 'read' });
    try {
      return await planRestoreChoices(vault, client(), options, job);
    } finally {
      vault.close();
    }
  },

  /**
   * Restore Structure...: the chosen plan applied (id_map and the pre-restore
   * snapshot are written, so the snapshot's vault is opened for writing).
   * `confirmed` is the user's answer to the modal, as applyRestore takes it.
   */
  restore: async ({ store, client, job }: JobContext, { guildId, plan, confirmed }: { guildId: string; plan: RestorePlan; confirmed: boolean }) => {
    const vault = store.open(guildId, { mode: 'write', purpose: 'restore' });
    try {
      return await applyRestore(vault, client(), plan, { confirmed }, job);
    } finally {
      vault.close();
    }
  },

  /** The months a big channel's transcript opens by, with their message counts (a scan of the channel's messages). */
  transcriptMonths: async ({ store }: JobContext, { guildId, channelId }: { guildId: string; channelId: string }) =>
    reading(store, guildId, (vault) => countTranscriptMonths(vault, channelId)),

  /**
   * Search Messages: the query in each vault that exists, read-only. A query
   * takes from a few to a few hundred milliseconds on a big vault (a prefix,
   * `from:`), far more than a frame on the extension host. A vault that cannot
   * be read is that vault's problem, not the whole search's failure.
   */
  search: async ({ store, job }: JobContext, { guildIds, text, options }: { guildIds: string[]; text: string; options: SearchOptions }) => {
    const found: VaultSearch[] = [];
    for (const guildId of guildIds) {
      // Between two vaults the worker hears a cancel (the user typed on).
      await new Promise((resolve) => setImmediate(resolve));
      job.throwIfStopped();
      if (!store.has(guildId)) continue;
      try {
        found.push({ guildId, result: reading(store, guildId, (vault) => searchMessages(vault, text, options)) });
      } catch (error) {
        found.push({ guildId, problem: describeError(error) });
      }
    }
    return found;
  },
} satisfies Record<string, (ctx: JobContext, params: never) => Promise<unknown>>;

/** One vault's answer to a search: its results, or why it could not be searched. */
export type VaultSearch = { guildId: string; result: SearchResult; problem?: undefined } | { guildId: string; result?: undefined; problem: string };

/** A read of a guild's vault, opened read-only (never locked) and closed again. */
function reading<T>(store: VaultStore, guildId: string, read: (vault: Vault) => T): T {
  const vault = store.open(guildId, { mode: 'read' });
  try {
    return read(vault);
  } finally {
    vault.close();
  }
}

export type JobKind = keyof typeof JOB_KINDS;
export type JobParams<K extends JobKind> = Parameters<(typeof JOB_KINDS)[K]>[1];
export type JobResult<K extends JobKind> = Awaited<ReturnType<(typeof JOB_KINDS)[K]>>;
