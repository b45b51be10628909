import type { DiscordClient } from '../discord/discordClient';
import { describeError } from '../errors';
import { endsJob, Job } from '../job';
import { MediaPool } from '../media';
import { takeSnapshot } from '../snapshots/takeSnapshot';
import type { Vault } from '../vault';
import { mappedId, recordMapping, type MappedKind } from './idMap';
import type { ActionOutcome, RestoreAction, RestorePlan, RestoreReport } from './types';

type Json = Record<string, unknown>;

export interface ApplyRestoreOptions {
  /** Take a 'pre-restore' snapshot first when the target is this vault's server (default true). */
  preRestoreSnapshot?: boolean;
}

/** An action that cannot run now, with the reason (reported as skipped, not failed). */
class Skip extends Error {}

/** What the executors share: the plan, and how source ids become target ids. */
class Runner {
  constructor(
    readonly vault: Vault,
    readonly client: DiscordClient,
    readonly plan: RestorePlan,
    readonly signal: AbortSignal | undefined,
  ) {}

  get guild(): string {
    return this.plan.targetGuildId;
  }

  /** The target id of a snapshot role or channel: @everyone, matched, or created (id_map). */
  resolve(kind: MappedKind, sourceId: string): string | undefined {
    if (kind === 'role' && sourceId === this.plan.sourceGuildId) return this.guild;
    return (kind === 'emoji' ? undefined : this.plan.matches[kind][sourceId]) ?? mappedId(this.vault, kind, sourceId, this.guild);
  }

  require(kind: MappedKind, sourceId: string, label: string): string {
    const id = this.resolve(kind, sourceId);
    if (!id) throw new Skip(`${label} does not exist in the target (it was not created)`);
    return id;
  }

  reason(): string {
    return `Guild Vault: restore of snapshot #${this.plan.snapshotId}`;
  }
}

type Executor = (run: Runner, action: RestoreAction) => Promise<string | void>;

const EXECUTORS: Record<RestoreAction['kind'], Executor> = {
  'role.create': async (run, action) => {
    const existing = mappedId(run.vault, 'role', action.sourceId!, run.guild);
    if (existing) throw new Skip(`already created by an earlier run (${existing})`);
    const role = await run.client.post<Json>(`/guilds/${run.guild}/roles`, { body: action.data, reason: run.reason(), signal: run.signal });
    recordMapping(run.vault, 'role', action.sourceId!, run.guild, String(role.id));
    return String(role.id);
  },
  'role.update': async (run, action) => {
    await run.client.patch(`/guilds/${run.guild}/roles/${action.targetId}`, { body: action.data, reason: run.reason(), signal: run.signal });
  },
  'role.delete': async (run, action) => {
    await run.client.delete(`/guilds/${run.guild}/roles/${action.targetId}`, { reason: run.reason(), signal: run.signal });
  },
  'role.reorder': reorderRoles,
  'channel.create': async (run, action) => {
    const existing = mappedId(run.vault, 'channel', action.sourceId!, run.guild);
    if (existing) throw new Skip(`already created by an earlier run (${existing})`);
    const data = action.data as { body: Json; parentSourceId: string | null };
    const parent = data.parentSourceId ? run.resolve('channel', data.parentSourceId) : undefined;
    // Overwrites follow as their own actions: an empty list keeps Discord from copying the category's.
    const body = { ...data.body, parent_id: parent ?? null, permission_overwrites: [] };
    const channel = await run.client.post<Json>(`/guilds/${run.guild}/channels`, { body, reason: run.reason(), signal: run.signal });
    recordMapping(run.vault, 'channel', action.sourceId!, run.guild, String(channel.id));
    return String(channel.id);
  },
  'channel.update': async (run, action) => {
    await run.client.patch(`/channels/${action.targetId}`, { body: action.data, reason: run.reason(), signal: run.signal });
  },
  'channel.delete': async (run, action) => {
    await run.client.delete(`/channels/${action.targetId}`, { reason: run.reason(), signal: run.signal });
  },
  'channel.reorder': async (run, action) => {
    const entries = (action.data as { entries: { sourceId: string; position: number; parentSourceId: string | null }[] }).entries;
    const body = entries.flatMap((entry) => {
      const id = run.resolve('channel', entry.sourceId);
      if (!id) return [];
      return [{ id, position: entry.position, parent_id: entry.parentSourceId ? (run.resolve('channel', entry.parentSourceId) ?? null) : null }];
    });
    if (body.length === 0) throw new Skip('no channel of the snapshot exists in the target');
    await run.client.patch(`/guilds/${run.guild}/channels`, { body, reason: run.reason(), signal: run.signal });
  },
  'overwrite.put': async (run, action) => {
    const data = action.data as { subjectSourceId: string; type: number; allow: string; deny: string };
    const channel = run.require('channel', action.sourceId!, 'the channel');
    const subject = data.type === 0 ? run.require('role', data.subjectSourceId, 'the role') : data.subjectSourceId;
    await run.client.put(`/channels/${channel}/permissions/${subject}`, { body: { type: data.type, allow: data.allow, deny: data.deny }, reason: run.reason(), signal: run.signal });
  },
  'overwrite.delete': async (run, action) => {
    const channel = run.require('channel', action.sourceId!, 'the channel');
    await run.client.delete(`/channels/${channel}/permissions/${action.targetId}`, { reason: run.reason(), signal: run.signal });
  },
  'ban.put': async (run, action) => {
    // The ban's reason is the audit-log reason Discord records with it.
    const reason = ((action.data as { reason?: string | null } | undefined)?.reason ?? undefined) || run.reason();
    await run.client.put(`/guilds/${run.guild}/bans/${action.targetId}`, { body: { delete_message_seconds: 0 }, reason, signal: run.signal });
  },
  'emoji.create': async (run, action) => {
    const existing = mappedId(run.vault, 'emoji', action.sourceId!, run.guild);
    if (existing) throw new Skip(`already created by an earlier run (${existing})`);
    const data = action.data as { name: string; roles: string[]; animated: boolean; sha256: string };
    const image = `data:image/${data.animated ? 'gif' : 'png'};base64,${new MediaPool(run.vault).read(data.sha256).toString('base64')}`;
    const roles = data.roles.map((id) => run.resolve('role', id)).filter((id): id is string => !!id);
    const emoji = await run.client.post<Json>(`/guilds/${run.guild}/emojis`, { body: { name: data.name, image, roles }, reason: run.reason(), signal: run.signal });
    recordMapping(run.vault, 'emoji', action.sourceId!, run.guild, String(emoji.id));
    return String(emoji.id);
  },
  'ban.delete': async (run, action) => {
    await run.client.delete(`/guilds/${run.guild}/bans/${action.targetId}`, { reason: run.reason(), signal: run.signal });
  },
};

/**
 * Places the snapshot's roles in its order. Only roles below the bot's highest
 * role can move (all, when the bot owns the server): the roles the snapshot
 * ranks take the slots they occupy now, in the snapshot's order; other roles
 * stay where they are. One PATCH, only when the order differs.
 */
async function reorderRoles(run: Runner, action: RestoreAction): Promise<void> {
  const data = action.data as { order: string[]; botRoleIds: string[]; botOwns: boolean };
  const roles = await run.client.get<Json[]>(`/guilds/${run.guild}/roles`, { signal: run.signal });
  const ranked = roles.filter((r) => String(r.id) !== run.guild).sort((a, b) => Number(b.position) - Number(a.position) || (String(a.id) < String(b.id) ? -1 : 1));
  const top = Math.max(0, ...ranked.filter((r) => data.botRoleIds.includes(String(r.id))).map((r) => Number(r.position)));
  const movable = ranked.filter((r) => data.botOwns || Number(r.position) < top);
  const rank = new Map<string, number>();
  data.order.forEach((sourceId, i) => {
    const id = run.resolve('role', sourceId);
    if (id) rank.set(id, i);
  });
  const slots = movable.map((r, i) => (rank.has(String(r.id)) ? i : -1)).filter((i) => i >= 0);
  const inOrder = slots.map((i) => movable[i]).sort((a, b) => rank.get(String(a.id))! - rank.get(String(b.id))!);
  const wanted = [...movable];
  slots.forEach((slot, i) => (wanted[slot] = inOrder[i]));
  if (wanted.every((r, i) => r === movable[i])) throw new Skip('already in order');
  const body = wanted.map((r, i) => ({ id: String(r.id), position: wanted.length - i }));
  await run.client.patch(`/guilds/${run.guild}/roles`, { body, reason: run.reason(), signal: run.signal });
}

/**
 * Runs a plan in order. Blocked actions are skipped with their reason; a
 * failing action is recorded and the rest go on (what depends on it is then
 * skipped). Each created role or channel is recorded in id_map as soon as it
 * exists, so running the plan again (or a new plan) after a cancel never
 * creates anything twice. Cancelling throws CANCELLED between requests.
 */
export async function applyRestore(vault: Vault, client: DiscordClient, plan: RestorePlan, options: ApplyRestoreOptions = {}, job = new Job()): Promise<RestoreReport> {
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
    const targetId = await EXECUTORS[action.kind](run, action);
    return targetId ? { action, status: 'done', targetId } : { action, status: 'done' };
  } catch (error) {
    if (error instanceof Skip) return { action, status: 'skipped', reason: error.message };
    // A cancel, a rejected token, an unreachable API ... end the whole run (endsJob); anything else costs this action only.
    if (endsJob(error)) throw error;
    return { action, status: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
}
