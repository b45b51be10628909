import { DEFAULTS } from '../defaults';
import type { DiscordClient } from '../discord';
import { Job } from '../job';
import { apiRoute } from '../discord/apiRoute';
import { GuildVaultError } from '../errors';
import { readBotAccess, type BotAccess } from '../snapshots/botAccess';
import { PermissionFlagsBits as P } from '../snapshots/permissions';
import { channelLabel } from '../discord/channelLabel';
import type { Vault } from '../vault';
import { readGuildIdentity } from '../vault/identity';
import { ArchiveSource, idWindow, REPLAYED_TYPES, type ArchivedChannel } from './archiveSource';
import { ChannelPacer } from './channelPacer';
import { MigrationMap } from './migrationMap';
import type { MigrateChannelPlan, MigrateOptions, MigratePlan } from './types';
import { compareSnowflakes } from '../discord/snowflake';
import { ChannelType } from 'discord-api-types/v10';
import { isForumLike, isMessageChannel } from '../discord/channelKinds';
import { nounFor, plural } from '../text';

type Json = Record<string, any>;

/** Discord's upload limit per message by boost tier (0-3). */
export function uploadLimitForTier(tier: number): number {
  const MiB = 1024 * 1024;
  return tier >= 3 ? 100 * MiB : tier === 2 ? 50 * MiB : 10 * MiB;
}

export const DEFAULT_PER_CHANNEL_PER_MINUTE = 30;

/** Everything a run needs besides the plan: the target as it is now. */
export interface MigrationSetup {
  plan: MigratePlan;
  source: ArchiveSource;
  map: MigrationMap;
  access: BotAccess | undefined;
  /** Source channels and threads by id. */
  channels: Map<string, ArchivedChannel>;
  /** Threads (selected) by source parent id, oldest first. */
  threadsOf: Map<string, ArchivedChannel[]>;
  targetChannels: Map<string, Json>;
  botId: string;
}

function restoreHint(sourceGuildId: string, targetGuildId: string): string {
  return `Restore the structure first: guild-vault restore --snapshot <id> --from ${sourceGuildId} --to ${targetGuildId} (then run the migration again).`;
}

/**
 * What a migration would do: the source channels (with their threads) that
 * have messages to send, where each goes in the target (through the restore's
 * id map), how many messages, files and bytes are left, and how long that
 * takes at Discord's webhook limits. Channels that cannot go say why.
 */
export async function planMigration(vault: Vault, shared: DiscordClient, options: MigrateOptions, job: Job = new Job()): Promise<MigrationSetup> {
  const client = shared.forJob(job);
  const sourceGuildId = readGuildIdentity(vault)?.id;
  const source = new ArchiveSource(vault, idWindow(options.since, options.until));
  if (!sourceGuildId || !source.hasArchive()) {
    throw new GuildVaultError('NOT_FOUND', `The vault in ${vault.dir} has no message archive to migrate.`, 'Back up the source server first (guild-vault backup <server-id>, or "Back Up Server" in VS Code).');
  }
  const targetGuildId = options.targetGuildId;
  if (targetGuildId === sourceGuildId) throw new GuildVaultError('INVALID_ARGUMENT', 'The target is the source server itself.', 'Migrate into another server (--to).');
  const signal = job.signal;
  const guild = await client.get<Json>(apiRoute`/guilds/${targetGuildId}`, { signal });
  const targetChannelList = await client.get<Json[]>(apiRoute`/guilds/${targetGuildId}/channels`, { signal });
  const targetChannels = new Map(targetChannelList.map((c) => [String(c.id), c]));
  const access = await readBotAccess(client, guild, signal);
  const botId = access?.botId ?? (await client.getCurrentUser({ signal })).id;
  const map = new MigrationMap(vault, targetGuildId);

  const all = source.channels();
  const channels = new Map(all.map((c) => [c.id, c]));
  const selected = options.channelIds ? new Set(options.channelIds) : undefined;
  for (const id of selected ?? []) if (!channels.has(id)) throw new GuildVaultError('INVALID_ARGUMENT', `Channel ${id} is not in the archive.`, 'guild-vault migrate --dry-run lists the archived channels and their ids.');
  const threadsOf = new Map<string, ArchivedChannel[]>();
  for (const c of all) {
    if (!c.isThread || !c.parentId) continue;
    if (selected && !selected.has(c.id) && !selected.has(c.parentId)) continue;
    if (source.counts(c.id).replayed === 0) continue;
    const list = threadsOf.get(c.parentId) ?? [];
    list.push(c);
    threadsOf.set(c.parentId, list);
  }
  for (const list of threadsOf.values()) list.sort((a, b) => compareSnowflakes(a.id, b.id));

  const uploadLimitBytes = uploadLimitForTier(Number(guild.premium_tier ?? 0));
  const parents: MigrateChannelPlan[] = [];
  const countLeft = vault.db.prepare(
    `SELECT count(*) AS n FROM messages m JOIN id_map i ON i.kind = 'message' AND i.source_id = CAST(m.id AS TEXT) AND i.target_guild_id = ?
     WHERE m.channel_id = ? AND m.id BETWEEN ? AND ? AND m.deleted_at IS NULL AND m.type IN (${REPLAYED_TYPES.join(', ')})`,
  );
  const countFiles = vault.db.prepare(
    `SELECT count(*) AS n, coalesce(sum(a.size), 0) AS bytes FROM attachments a JOIN messages m ON m.id = a.message_id
     WHERE m.channel_id = ? AND m.id BETWEEN ? AND ? AND m.deleted_at IS NULL`,
  );
  for (const c of all) {
    if (c.isThread) continue;
    if (!isForumLike(c.type) && !isMessageChannel(c.type)) continue;
    const threads = threadsOf.get(c.id) ?? [];
    if (selected && !selected.has(c.id) && threads.length === 0) continue;
    const own = selected && !selected.has(c.id) ? [] : [c];
    const counted = [...own, ...threads];
    let replayed = 0;
    let already = 0;
    let files = 0;
    let bytes = 0;
    for (const x of counted) {
      replayed += source.counts(x.id).replayed;
      already += (countLeft.get(targetGuildId, x.id, source.window.min, source.window.max) as { n: number }).n;
      const f = countFiles.get(x.id, source.window.min, source.window.max) as { n: number; bytes: number };
      files += f.n;
      bytes += f.bytes;
    }
    if (replayed === 0) continue;
    const mapped = map.target('channel', c.id);
    const target = mapped ? targetChannels.get(mapped) : undefined;
    const entry: MigrateChannelPlan = {
      sourceId: c.id,
      label: channelLabel({ name: c.name, type: c.type }),
      kind: isForumLike(c.type) ? 'forum' : 'text',
      targetId: target ? String(target.id) : undefined,
      threads: threads.length,
      messages: replayed - already,
      files,
      bytes,
      alreadySent: already,
    };
    if (c.type === ChannelType.GuildVoice) entry.problem = 'Discord does not let webhooks post in the chat of voice channels';
    else if (!target) entry.problem = mapped ? 'its copy in the target was deleted' : 'not in the target server';
    else if (access && !access.isOwner && !access.has(access.in(target), P.ManageWebhooks))
      entry.problem = `the bot lacks ${access.has(access.in(target), P.ViewChannel) ? 'MANAGE_WEBHOOKS' : 'VIEW_CHANNEL'} in the target channel`;
    parents.push(entry);
  }

  const problems: string[] = [];
  const missing = parents.filter((p) => p.problem && !p.targetId);
  if (parents.length > 0 && missing.length === parents.length) problems.push(`The target server has none of these channels. ${restoreHint(sourceGuildId, targetGuildId)}`);
  else if (missing.length > 0) problems.push(`${plural(missing.length, 'channel')} ${nounFor(missing.length, 'is', 'are')} not in the target and will be left out. ${restoreHint(sourceGuildId, targetGuildId)}`);
  if (access && !access.isOwner && !access.has(access.base, P.ManageWebhooks) && parents.every((p) => p.problem))
    problems.push('The bot lacks MANAGE_WEBHOOKS in the target server: give its role "Manage Webhooks" (the messages are posted through webhooks).');

  const going = parents.filter((p) => !p.problem);
  const messages = going.reduce((n, p) => n + p.messages, 0);
  const pacer = new ChannelPacer(options.messagesPerChannelPerMinute ?? DEFAULT_PER_CHANNEL_PER_MINUTE);
  const parallel = Math.max(1, Math.min(options.concurrency ?? DEFAULTS.migrationConcurrency.value, going.filter((p) => p.messages > 0).length));
  const rate = Math.min(45, parallel * (pacer.perSecond || 45));
  const plan: MigratePlan = {
    sourceGuildId,
    targetGuildId,
    targetName: String(guild.name ?? targetGuildId),
    channels: parents,
    messages,
    files: going.reduce((n, p) => n + p.files, 0),
    bytes: going.reduce((n, p) => n + p.bytes, 0),
    alreadySent: parents.reduce((n, p) => n + p.alreadySent, 0),
    uploadLimitBytes,
    estimatedSeconds: Math.ceil(messages / rate),
    problems,
  };
  return { plan, source, map, access, channels, threadsOf, targetChannels, botId };
}
