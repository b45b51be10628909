import { syncArchive, type SyncOptions, type SyncReport } from '../archive';
import type { DiscordClient } from '../discord';
import { describeError } from '../errors';
import { endsLaterSteps, Job } from '../job';
import { takeSnapshot, type TakenSnapshot } from '../snapshots/takeSnapshot';
import type { VaultStore } from '../vault';
import { withGuildVault } from './guildVaultJob';
import { formatChangeSummary } from '../text';

export interface BackupOptions extends SyncOptions {
  /** Snapshot label (e.g. "before the reorg"). */
  label?: string;
  /** 'manual' for a person's backup, 'automatic' for scheduled ones (default 'manual'). */
  kind?: 'manual' | 'automatic';
  /** Keep at most this many structure snapshots (pinned ones never pruned). Omit: keep all. */
  retention?: number;
  /** false: archive only, no structure snapshot. */
  snapshot?: boolean;
}

export interface BackupReport {
  /** One line for notifications and logs. */
  summary: string;
  guildId: string;
  vaultDir: string;
  /** The structure snapshot, or why it could not be taken (the archive runs anyway). */
  snapshot?: TakenSnapshot;
  snapshotError?: string;
  archive: SyncReport;
  durationMs: number;
}

/**
 * "Back Up Server": a structure snapshot, then the message archive, as one job
 * with one progress stream and one cancel. Opens the guild's vault for writing
 * (creating it on first use) and closes it at the end. A part of the snapshot
 * that fails is a gap in that snapshot (see captureLiveState); a snapshot that
 * fails as a whole (a missing permission, the server settings unreadable) is
 * reported but does not stop the archive; a cancel stops both within about a
 * second and keeps what was done.
 */
export async function backupGuild(vaultStore: VaultStore, client: DiscordClient, guildId: string, options: BackupOptions = {}, job = new Job()): Promise<BackupReport> {
  const started = Date.now();
  return withGuildVault(vaultStore, client, guildId, { purpose: 'backup' }, job, async (vault) => {
    let snapshot: TakenSnapshot | undefined;
    let snapshotError: string | undefined;
    if (options.snapshot !== false) {
      job.progress({ phase: 'snapshot', message: 'server structure' });
      try {
        snapshot = await takeSnapshot(
          vault,
          client,
          guildId,
          { kind: options.kind ?? 'manual', label: options.label, retention: options.retention, mediaSizeCapBytes: options.mediaSizeCapBytes },
          job,
        );
      } catch (error) {
        if (endsLaterSteps(error) || job.cancelled) throw job.failure(error);
        snapshotError = describeError(error);
        job.log('warn', `structure snapshot failed: ${snapshotError}`);
      }
    }
    const archive = await syncArchive(vault, client, guildId, options, job);
    const snapshotText = snapshot ? `snapshot #${snapshot.id} (${formatChangeSummary(snapshot.summary)})` : `no snapshot (${snapshotError ?? 'skipped'})`;
    return {
      summary: `${snapshotText}; ${archive.summary}`,
      guildId,
      vaultDir: vault.dir,
      snapshot,
      snapshotError,
      archive,
      durationMs: Date.now() - started,
    };
  });
}
