import type { DiscordClient } from '../discord/discordClient';
import { Job } from '../job';
import { loadState } from '../snapshots/chain';
import type { Vault } from '../vault';
import { captureTarget, planAgainst, type PlanRestoreOptions } from './planRestore';
import { previewAgainst, type RestorePreview } from './preview';
import type { RestorePlan } from './types';

/** What a restore can do, for a front end to show and ask about. */
export interface RestoreChoices {
  /** Leaves what the snapshot lacks in place (listed in `kept`). */
  keep: RestorePlan;
  /** Also deletes it; only when `keep` keeps anything. */
  prune?: RestorePlan;
  /** The target now and after `keep`, for a diff. */
  preview: RestorePreview;
}

/**
 * Both plans and the preview from ONE capture of the target server: a
 * capture is a dozen requests or more on a big server (channels, roles,
 * active and archived threads, ...), and the three answers must describe the
 * same moment of the target anyway.
 */
export async function planRestoreChoices(vault: Vault, client: DiscordClient, options: Omit<PlanRestoreOptions, 'prune'>, job = new Job()): Promise<RestoreChoices> {
  const source = loadState(vault, options.snapshotId);
  const api = client.forJob(job);
  const target = await captureTarget(api, source, options.targetGuildId, job);
  const keep = await planAgainst(vault, api, source, target, options, job);
  const prune = keep.kept.length > 0 ? await planAgainst(vault, api, source, target, { ...options, prune: true }, job) : undefined;
  return { keep, prune, preview: previewAgainst(vault, source, target, keep) };
}
