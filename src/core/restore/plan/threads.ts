import { canonicalJson } from '../../snapshots/canonical';
import { inScopes, isPartial, nodesOf, type NodeData } from '../../snapshots/types';
import { can, PermissionFlagsBits } from '../botPower';
import { mappedId } from '../idMap';
import { channelLabelOf, markStale, type Json, type PlanContext } from './context';
import { isForumLike, isPrivateThread } from '../../discord/channelKinds';

/** A forum post needs a first message; this one says why its text is missing. */
const NO_STARTER = '(Restored by Guild Vault: the text of this post is not in the archive.)';

function meta(thread: NodeData): Json {
  return (thread.thread_metadata as Json | undefined) ?? {};
}

/** Tag names of a thread, through its parent's tags (tag ids differ between servers). */
function tagNames(thread: NodeData, parent: NodeData | undefined): string[] {
  const tags = new Map(((parent?.available_tags as Json[] | undefined) ?? []).map((t) => [String(t.id), String(t.name)]));
  return ((thread.applied_tags as unknown[] | undefined) ?? []).map((id) => tags.get(String(id))).filter((name): name is string => !!name).sort();
}

/** The first message of a forum post, from the vault's archive (its id is the thread's). */
function starterText(ctx: PlanContext, threadId: string): string {
  const row = ctx.vault.db.prepare('SELECT content FROM messages WHERE id = ?').get(threadId) as { content: string } | undefined;
  return row?.content ? row.content.slice(0, 2000) : NO_STARTER;
}

/**
 * Threads and forum posts: created again under their restored parent (the
 * archive's messages are the migration's job), then given their archived and
 * locked state; existing ones get their name, tags, slow mode, auto-archive
 * duration and state back. Threads are never deleted: they hold messages.
 */
export function planThreads(ctx: PlanContext): void {
  const { source, target, plan, power } = ctx;
  const sourceThreads = nodesOf(source, 'thread');
  if (sourceThreads.size === 0) return;
  const liveById = new Map([...nodesOf(target, 'thread')].map(([key, t]) => [String(t.id), { key, thread: t }]));
  const status = target.status.thread;
  const sourceChannels = nodesOf(source, 'channel');
  const manage = can(power, PermissionFlagsBits.ManageThreads);
  for (const thread of sourceThreads.values()) {
    const id = String(thread.id);
    const parentId = String(thread.parent_id);
    const parent = sourceChannels.get(parentId);
    const label = `${parent ? channelLabelOf(parent) : 'unknown channel'} > ${channelLabelOf(thread)}`;
    const want = meta(thread);
    const mapped = mappedId(ctx.vault, 'thread', id, plan.targetGuildId);
    const live = liveById.get(id) ?? (mapped ? liveById.get(mapped) : undefined);
    if (live) {
      ctx.willExist.thread.add(id);
      planThreadUpdate(ctx, id, thread, live.thread, label, parent, manage);
      continue;
    }
    const targetParent = plan.matches.channel[parentId];
    // The bot could not list this parent's archived threads in the target: the thread may be there.
    const unseen = targetParent && isPartial(status) && inScopes(status, `${targetParent}/${isPrivateThread(Number(thread.type)) ? 'private' : 'public'}/`);
    if (mapped && !unseen) markStale(plan, 'thread', id, mapped);
    const forum = isForumLike(Number(parent?.type));
    const type = Number(thread.type);
    const blocked = !ctx.willExist.channel.has(parentId)
      ? 'its channel is not restored'
      : unseen
        ? 'the bot cannot list the archived threads of its channel in the target, so it cannot tell whether the thread is there'
        : !can(power, forum ? PermissionFlagsBits.SendMessages : isPrivateThread(type) ? PermissionFlagsBits.CreatePrivateThreads : PermissionFlagsBits.CreatePublicThreads)
          ? `the bot lacks the ${forum ? 'SEND_MESSAGES' : isPrivateThread(type) ? 'CREATE_PRIVATE_THREADS' : 'CREATE_PUBLIC_THREADS'} permission`
          : want.locked && !manage
            ? 'locked threads need the MANAGE_THREADS permission'
            : undefined;
    const data = {
      parentSourceId: parentId,
      forum,
      body: { name: thread.name, type: forum ? undefined : type, auto_archive_duration: want.auto_archive_duration, rate_limit_per_user: thread.rate_limit_per_user, invitable: isPrivateThread(type) ? want.invitable : undefined },
      tagNames: tagNames(thread, parent),
      starter: forum ? starterText(ctx, id) : undefined,
      archived: want.archived === true,
      locked: want.locked === true,
    };
    plan.actions.push({ kind: 'thread.create', label, detail: plan.inPlace ? 'recreate (deleted since the snapshot)' : 'create', sourceId: id, data, blocked });
    if (!blocked) ctx.willExist.thread.add(id);
  }
}

function planThreadUpdate(ctx: PlanContext, id: string, thread: NodeData, have: NodeData, label: string, parent: NodeData | undefined, manage: boolean): void {
  const want = meta(thread);
  const now = meta(have);
  const changes: Json = {};
  if (thread.name !== have.name) changes.name = thread.name;
  if ((thread.rate_limit_per_user ?? 0) !== (have.rate_limit_per_user ?? 0)) changes.rate_limit_per_user = thread.rate_limit_per_user ?? 0;
  if (want.auto_archive_duration !== undefined && want.auto_archive_duration !== now.auto_archive_duration) changes.auto_archive_duration = want.auto_archive_duration;
  const targetParent = ctx.target.nodes.get('channel')?.get(String(have.parent_id));
  const names = tagNames(thread, parent);
  const tagsDiffer = isForumLike(Number(parent?.type)) && canonicalJson(names) !== canonicalJson(tagNames(have, targetParent));
  const state = (want.archived === true) !== (now.archived === true) || (want.locked === true) !== (now.locked === true);
  if (Object.keys(changes).length === 0 && !tagsDiffer && !state) return;
  const detail = [...Object.keys(changes), ...(tagsDiffer ? ['tags'] : []), ...(state ? ['archived/locked'] : [])].join(', ');
  ctx.plan.actions.push({
    kind: 'thread.update',
    label,
    detail,
    sourceId: id,
    targetId: String(have.id),
    data: { changes, tagNames: tagsDiffer ? names : undefined, archived: want.archived === true, locked: want.locked === true, wasArchived: now.archived === true, wasLocked: now.locked === true },
    blocked: manage ? undefined : 'the bot lacks the MANAGE_THREADS permission (needed to edit threads it did not create)',
  });
}
