import type { DiscordClient } from '../discord/discordClient';
import { apiRoute } from '../discord/apiRoute';
import { GuildVaultError } from '../errors';
import { Job } from '../job';
import { captureLiveState, type LiveState } from '../snapshots/capture/captureLiveState';
import { canonicalJson } from '../snapshots/canonical';
import { loadState } from '../snapshots/chain';
import { nodesOf, type NodeData, type StructureState } from '../snapshots/types';
import type { Vault } from '../vault';
import { readBotPower } from './botPower';
import { mappedId } from './idMap';
import { planBans } from './plan/bans';
import { planChannels } from './plan/channels';
import { markStale, type Json, type PlanContext } from './plan/context';
import { planExpressions } from './plan/expressions';
import { planOverwrites } from './plan/overwrites';
import { planRoles } from './plan/roles';
import { planGuildSettings, planOnboarding, planWelcomeScreen } from './plan/settings';
import { planThreads } from './plan/threads';
import type { RestoreInclude, RestorePlan } from './types';

export interface PlanRestoreOptions {
  snapshotId: number;
  targetGuildId: string;
  /** Optional parts (default none: bans are re-applied only when asked). */
  include?: RestoreInclude[];
  /**
   * Delete the roles, channels and overwrites the snapshot does not have
   * (default false: they are listed in `plan.kept` and left alone). A front
   * end sets this only on a second, explicit choice of the user.
   */
  prune?: boolean;
}

/**
 * Compares a snapshot with the target server as it is now and lists, in the
 * order they must run, the actions that make the server match the snapshot:
 * roles first (overwrites need them), categories before their channels,
 * positions after everything exists, threads, overwrites (the bot's own access
 * first), bans (only when asked), emojis and stickers, then the server's
 * settings (they name channels). Nothing is written to Discord or the vault.
 */
export async function planRestore(vault: Vault, client: DiscordClient, options: PlanRestoreOptions, job = new Job()): Promise<RestorePlan> {
  const source = loadState(vault, options.snapshotId);
  const api = client.forJob(job);
  const target = await captureTarget(api, source, options.targetGuildId, job);
  return planAgainst(vault, api, source, target, options, job);
}

/** The target server as it is now (its archived threads too when the snapshot has threads). */
export function captureTarget(api: DiscordClient, source: StructureState, targetGuildId: string, job: Job): Promise<LiveState> {
  job.progress({ phase: 'restore', message: 'reading the target server' });
  return captureLiveState(api, targetGuildId, { archivedThreads: nodesOf(source, 'thread').size > 0 }, job);
}

/**
 * The plan against a capture of the target already taken: the keep and prune
 * plans and the preview of one choice share one capture. Planning only reads
 * `source` and `target`. `api` is the job's view of the client.
 */
export async function planAgainst(vault: Vault, api: DiscordClient, source: StructureState, target: LiveState, options: PlanRestoreOptions, job: Job): Promise<RestorePlan> {
  const targetGuildId = options.targetGuildId;
  const rawRoles = (target.guild.roles as Json[] | undefined) ?? (await api.get<Json[]>(apiRoute`/guilds/${targetGuildId}/roles`));
  const power = await readBotPower(api, target.guild, rawRoles, job.signal);
  const plan: RestorePlan = {
    snapshotId: options.snapshotId,
    sourceGuildId: source.guildId,
    targetGuildId,
    inPlace: source.guildId === targetGuildId,
    include: [...(options.include ?? [])],
    prune: options.prune === true,
    matches: { role: {}, channel: {} },
    actions: [],
    kept: [],
    staleMappings: {},
    notes: [],
  };
  const members = new Map<string, boolean>();
  const ctx: PlanContext = {
    vault,
    source,
    target,
    targetGuild: target.guild,
    targetRoles: new Map(rawRoles.map((r) => [String(r.id), r])),
    power,
    plan,
    willExist: { role: new Set(), channel: new Set(), thread: new Set() },
    memberPresent: async (userId) => {
      if (!members.has(userId)) members.set(userId, await isMember(api, targetGuildId, userId, job.signal));
      return members.get(userId)!;
    },
  };
  match(ctx);
  planRoles(ctx);
  planChannels(ctx);
  planThreads(ctx);
  await planOverwrites(ctx);
  planBans(ctx);
  planExpressions(ctx);
  planGuildSettings(ctx);
  planWelcomeScreen(ctx);
  planOnboarding(ctx);
  plan.notes.push('Messages are not restored by a structure restore; emojis and stickers are only re-created, never changed or deleted; threads are never deleted.');
  return plan;
}

async function isMember(client: DiscordClient, guildId: string, userId: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await client.get(apiRoute`/guilds/${guildId}/members/${userId}`, { signal });
    return true;
  } catch (error) {
    if (error instanceof GuildVaultError && error.code === 'UNKNOWN_RESOURCE') return false;
    throw error;
  }
}

/**
 * Source objects that exist in the target: same id (in place), @everyone, or
 * created by an earlier restore. An id_map entry whose object is gone is
 * stale: recorded as such, and the object is planned to be created again.
 */
function match(ctx: PlanContext): void {
  const { source, target, plan, vault } = ctx;
  for (const kind of ['role', 'channel'] as const) {
    const live = nodesOf(target, kind);
    for (const id of nodesOf(source, kind).keys()) {
      let targetId: string | undefined;
      if (kind === 'role' && id === source.guildId) targetId = target.guildId;
      else if (live.has(id)) targetId = id;
      else {
        const mapped = mappedId(vault, kind, id, plan.targetGuildId);
        if (mapped && live.has(mapped)) targetId = mapped;
        else if (mapped) markStale(plan, kind, id, mapped);
      }
      if (!targetId && kind === 'role') targetId = sameManagedRole(nodesOf(source, 'role').get(id)!, live);
      if (targetId) {
        plan.matches[kind][id] = targetId;
        ctx.willExist[kind].add(id);
      }
    }
  }
}

/**
 * In another server, an app's role is the one Discord made for the same app
 * (same tags: bot id, integration, booster): matching it keeps the overwrites
 * that name it.
 */
function sameManagedRole(role: NodeData, live: Map<string, NodeData>): string | undefined {
  if (!role.managed || !role.tags) return undefined;
  const tags = canonicalJson(role.tags);
  for (const [id, candidate] of live) if (candidate.managed && canonicalJson(candidate.tags ?? null) === tags) return id;
  return undefined;
}
