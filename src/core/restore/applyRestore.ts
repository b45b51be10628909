import type { DiscordClient } from '../discord/discordClient';
import { GuildVaultError } from '../errors';
import { endsJob, Job } from '../job';
import { takeSnapshot } from '../snapshots/takeSnapshot';
import type { Vault } from '../vault';
import { Runner, Skip } from './apply/runner';
import { SETTINGS_EXECUTORS } from './apply/settings';
import { STRUCTURE_EXECUTORS, type Executor, type Executors } from './apply/structure';
import { THREAD_EXECUTORS } from './apply/threads';
import { DESTRUCTIVE_KINDS, type ActionOutcome, type RestoreAction, type RestoreActionKind, type RestorePlan, type RestoreReport } from './types';
import { plural } from '../text';

export interface ApplyRestoreOptions {
  /** Take a 'pre-restore' snapshot first when the target is this vault's server (default true). */
  preRestoreSnapshot?: boolean;
  /**
   * The user confirmed the plan's deletions, bans and unbans (a terminal's
   * "yes", --yes, a modal dialog). Without it such a plan is refused before
   * anything is sent.
   */
  confirmed?: boolean;
}

const EXECUTORS: Executors<RestoreActionKind> = { ...STRUCTURE_EXECUTORS, ...THREAD_EXECUTORS, ...SETTINGS_EXECUTORS };

/** The executor of an action's kind (the map's type ties each kind to its payload). */
function executorOf(action: RestoreAction): Executor<RestoreActionKind> {
  return EXECUTORS[action.kind] as Executor<RestoreActionKind>;
}

/** The actions of a plan that delete, ban or unban (not blocked ones): what a person must confirm. */
export function destructiveActions(plan: RestorePlan): RestoreAction[] {
  return plan.actions.filter((a) => !a.blocked && DESTRUCTIVE_KINDS.has(a.kind));
}

/**
 * Runs a plan in order. Blocked actions are skipped with their reason; a
 * failing action is recorded and the rest go on (what depends on it is then
 * skipped). Each created object is recorded in id_map as soon as it exists,
 * so running the plan again (or a new plan) after a cancel never creates
 * anything twice. Cancelling throws CANCELLED between requests.
 */
export async function applyRestore(vault: Vault, client: DiscordClient, plan: RestorePlan, options: ApplyRestoreOptions = {}, job = new Job()): Promise<RestoreReport> {
  const destructive = destructiveActions(plan);
  if (destructive.length > 0 && options.confirmed !== true) {
    throw new GuildVaultError(
      'INVALID_ARGUMENT',
      `This restore deletes, bans or unbans (${plural(destructive.length, 'action')}, e.g. ${destructive[0]!.kind} ${destructive[0]!.label}) and was not confirmed.`,
      'Review the plan and confirm it (--yes where there is no terminal); nothing was changed.',
    );
  }
  const report: RestoreReport = { outcomes: [], done: 0, skipped: 0, failed: 0 };
  if (options.preRestoreSnapshot !== false && plan.inPlace && vault.getMeta('guild_id') === plan.targetGuildId) {
    job.progress({ phase: 'restore', message: 'pre-restore snapshot' });
    const taken = await takeSnapshot(vault, client, plan.targetGuildId, { kind: 'pre-restore', label: `before restoring #${plan.snapshotId}` }, job);
    report.preRestoreSnapshotId = taken.id;
  }
  const run = new Runner(vault, client.forJob(job), plan, job.signal);
  const total = plan.actions.length;
  for (const [i, action] of plan.actions.entries()) {
    job.throwIfStopped();
    job.progress({ phase: 'restore', message: `${action.kind} ${action.label}`, done: i, total });
    const outcome = await runAction(run, action);
    report.outcomes.push(outcome);
    report[outcome.status]++;
    if (outcome.status === 'failed') job.log('warn', `restore: ${action.kind} ${action.label} failed: ${outcome.error}`);
    job.progress({ phase: 'restore', message: `${action.kind} ${action.label}`, done: i + 1, total });
  }
  return report;
}

async function runAction(run: Runner, action: RestoreAction): Promise<ActionOutcome> {
  if (action.blocked) return { action, status: 'skipped', reason: action.blocked };
  try {
    const targetId = await executorOf(action)(run, action);
    return targetId ? { action, status: 'done', targetId } : { action, status: 'done' };
  } catch (error) {
    if (error instanceof Skip) return { action, status: 'skipped', reason: error.message };
    // A cancel, a rejected token, an unreachable API ... end the whole run (endsJob); anything else costs this action only.
    if (endsJob(error)) throw error;
    return { action, status: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
}
