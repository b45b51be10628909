import type { DiscordClient } from '../discord/discordClient';
import { Job } from '../job';
import type { Vault } from '../vault';
import { captureLiveState, type CaptureOptions, type LiveState } from './capture/captureLiveState';
import { latestSnapshotId } from './chain';
import { renderSections, renderState, withUnreadableFrom, type RenderedSection } from './render';

export interface LiveRenderOptions extends CaptureOptions {
  /** Fill types the live capture cannot read from this vault's snapshot (default: its newest). */
  vault?: Vault;
  baseSnapshotId?: number;
}

export interface LiveRender {
  capturedAt: string;
  text: string;
  sections: RenderedSection[];
}

/**
 * "Compare with Live Server": captures the server now and renders it like a
 * snapshot. With a vault, what the bot cannot read live (e.g. bans without
 * BAN_MEMBERS) is shown from the snapshot with a note, not as all deleted.
 */
export async function renderLiveState(client: DiscordClient, guildId: string, options: LiveRenderOptions = {}, job = new Job()): Promise<LiveRender> {
  const live: LiveState = await captureLiveState(client, guildId, options, job);
  const baseId = options.vault ? (options.baseSnapshotId ?? latestSnapshotId(options.vault)) : undefined;
  const state = options.vault && baseId !== undefined ? withUnreadableFrom(live, options.vault, baseId) : live;
  return { capturedAt: live.capturedAt, text: renderState(state), sections: renderSections(state) };
}
