import { DEFAULTS } from '../defaults';
import { listArchivedChannels, type ArchivedChannel } from '../archive/archivedChannels';
import { compareSnowflakes, maxSnowflake, minSnowflake, snowflakeAt } from '../discord/snowflake';
import { listTranscriptMonths, monthRange } from '../archive/transcript';
import { GuildVaultError } from '../errors';
import type { Vault } from '../vault';
import { channelFileName } from './fileNames';
import type { ExportOptions } from './types';

/** One file of an export: a channel, or one month of a long channel (HTML). */
export interface ExportPart {
  channel: ArchivedChannel;
  /** 'YYYY-MM' for a monthly page. */
  month?: string;
  /** Snowflake bounds: from <= id < to. */
  from: string;
  to: string;
  fileName: string;
}

export interface ChannelPlan {
  channel: ArchivedChannel;
  parts: ExportPart[];
}

export interface ExportPlan {
  channels: ChannelPlan[];
  /** Every archived channel (categories, forums, threads) for names and nesting. */
  all: ArchivedChannel[];
  /** The file a channel's messages start in, for links between pages. */
  firstFileOf(channelId: string): string | undefined;
}

const MAX_ID = '9223372036854775807';

/**
 * Which channels go into the export and into which files. Asked-for channels
 * bring their threads and forum posts along; unknown ids are an error (nothing
 * is silently left out).
 */
export function planExport(vault: Vault, options: ExportOptions, extension: string): ExportPlan {
  const all = listArchivedChannels(vault);
  const byId = new Map(all.map((c) => [c.id, c]));
  let chosen: ArchivedChannel[];
  if (options.channelIds?.length) {
    const wanted = new Set<string>();
    for (const id of options.channelIds) {
      if (!byId.has(id)) throw new GuildVaultError('NOT_FOUND', `Channel ${id} is not in this vault.`, 'Give ids of archived channels or threads (the tree and `guild-vault export --help` show how to find them).');
      wanted.add(id);
    }
    // A category brings its channels; a channel its threads (and a forum its posts).
    for (const c of all) if (c.parentId && wanted.has(c.parentId)) wanted.add(c.id);
    for (const c of all) if (c.parentId && wanted.has(c.parentId)) wanted.add(c.id);
    chosen = all.filter((c) => wanted.has(c.id));
  } else {
    chosen = all;
  }
  const from = options.since !== undefined ? snowflakeAt(options.since) : '0';
  const to = options.until !== undefined ? snowflakeAt(options.until) : MAX_ID;
  const monthlyAbove = extension === 'html' ? (options.monthlyAbove ?? DEFAULTS.monthlyTranscriptsAbove) : Number.POSITIVE_INFINITY;
  const channels: ChannelPlan[] = [];
  for (const channel of chosen) {
    if (!channel.holdsMessages || channel.messageCount === 0) continue;
    const parts: ExportPart[] = [];
    if (channel.messageCount > monthlyAbove) {
      for (const month of listTranscriptMonths(vault, channel.id)) {
        const range = monthRange(month);
        const partFrom = maxSnowflake(range.from, from);
        const partTo = minSnowflake(range.to, to);
        if (compareSnowflakes(partFrom, partTo) >= 0) continue;
        parts.push({ channel, month, from: partFrom, to: partTo, fileName: channelFileName(channel.name, channel.id, extension, month) });
      }
    } else {
      parts.push({ channel, from, to, fileName: channelFileName(channel.name, channel.id, extension) });
    }
    if (parts.length) channels.push({ channel, parts });
  }
  return withChannels(all, channels);
}

/** A plan of exactly these channels and parts (after empty ranges are dropped). */
export function withChannels(all: ArchivedChannel[], channels: ChannelPlan[]): ExportPlan {
  const kept = channels.filter((c) => c.parts.length > 0);
  const first = new Map(kept.map((c) => [c.channel.id, c.parts[0]!.fileName]));
  return { channels: kept, all, firstFileOf: (id) => first.get(id) };
}
