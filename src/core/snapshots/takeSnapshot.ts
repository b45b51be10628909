import type { DiscordClient } from '../discord/discordClient';
import { GuildVaultError } from '../errors';
import { Job } from '../job';
import { MediaPool } from '../media';
import type { Vault } from '../vault';
import { recordGuildIdentity } from '../vault/identity';
import { captureLiveState, type CaptureOptions } from './capture/captureLiveState';
import { storeStructureMedia, storedMediaSha, type MediaTally } from './capture/snapshotMedia';
import { pruneSnapshots, storeSnapshot } from './chain';
import type { SnapshotInfo, SnapshotKind } from './types';
import { formatChangeSummary } from '../text';

export interface TakeSnapshotOptions extends Pick<CaptureOptions, 'maxMembers' | 'archivedThreads'> {
  kind: SnapshotKind;
  label?: string;
  /** After storing, prune to this many snapshots (pinned never pruned). Omit to keep all. */
  retention?: number;
  /** Images larger than this are not downloaded (0 or omitted: no cap). */
  mediaSizeCapBytes?: number;
}

export interface TakenSnapshot extends SnapshotInfo {
  /** false: an automatic snapshot found nothing new; this is the newest snapshot, whose checkedAt moved. */
  stored: boolean;
  media: MediaTally;
  /** Snapshots the retention removed. */
  pruned: number[];
}

/**
 * Captures the server's structure and appends it to the vault's chain: the
 * reading happens first (nothing is written if it fails or is cancelled),
 * then one transaction stores the snapshot, then images the pool lacks are
 * downloaded, then the retention prunes.
 */
export async function takeSnapshot(vault: Vault, client: DiscordClient, guildId: string, options: TakeSnapshotOptions, job = new Job()): Promise<TakenSnapshot> {
  const known = vault.getMeta('guild_id');
  if (known && known !== guildId) {
    throw new GuildVaultError('INVALID_ARGUMENT', `This vault belongs to server ${known}, not ${guildId}.`, 'Open the vault of the server you want to snapshot.');
  }
  const state = await captureLiveState(client, guildId, options, job);
  job.throwIfStopped();
  const info = storeSnapshot(vault, state, { kind: options.kind, label: options.label });
  if (info.stored) job.log('info', `snapshot #${info.id}: ${formatChangeSummary(info.summary)}`);
  else job.log('info', `no change since snapshot #${info.id}: nothing stored, its last-checked time moved`);
  const pool = new MediaPool(vault);
  const media = await storeStructureMedia(pool, client, state, { maxBytes: options.mediaSizeCapBytes }, job);
  job.throwIfStopped();
  const guild = state.nodes.get('guild')!.get(guildId)!;
  const icon = typeof guild.icon === 'string' ? storedMediaSha(pool, 'guild', guildId, `icon:${guild.icon}`) : undefined;
  recordGuildIdentity(vault, { id: guildId, name: String(guild.name) }, { iconSha256: icon });
  const pruned = options.retention && info.stored ? pruneSnapshots(vault, options.retention).map((s) => s.id) : [];
  return { ...info, media, pruned };
}
