import { apiRoute } from '../../discord/apiRoute';
import type { ActionOf, ImageUpload, RestoreActionKind, RoleWrite } from '../types';
import { Skip, type Runner } from './runner';
import { OverwriteType } from 'discord-api-types/v10';

type Json = Record<string, unknown>;
/** Carries out one action; returns the id of what it created, if anything. */
export type Executor<K extends RestoreActionKind> = (run: Runner, action: ActionOf<K>) => Promise<string | void>;
/** The executors of some kinds, each type-checked against its kind's payload. */
export type Executors<K extends RestoreActionKind> = { [P in K]: Executor<P> };

/** A role body with its icon upload turned into the data URI Discord takes. */
function roleBody(run: Runner, data: RoleWrite): { body: Json; icon?: ImageUpload } {
  const { icon, ...body } = data;
  if (icon === undefined) return { body };
  if (icon === null) return { body: { ...body, icon: null } };
  return { body: { ...body, icon: run.dataUri(icon.sha256) }, icon };
}

/** Remembers the hash Discord gave an uploaded image, so the next plan sees it as the same image. */
export function recordImage(run: Runner, upload: ImageUpload | undefined, hash: unknown): void {
  if (upload && typeof hash === 'string' && hash) run.record('image', upload.key, hash);
}

type StructureKind = Exclude<RestoreActionKind, 'thread.create' | 'thread.update' | 'guild.update' | 'welcome_screen.update' | 'onboarding.update'>;

export const STRUCTURE_EXECUTORS: Executors<StructureKind> = {
  'role.create': async (run, action) => {
    run.skipIfCreated('role', action);
    const { body, icon } = roleBody(run, action.data);
    const role = await run.client.post<Json>(apiRoute`/guilds/${run.guild}/roles`, { body, reason: run.reason(), signal: run.signal });
    run.record('role', action.sourceId!, String(role.id));
    recordImage(run, icon, role.icon);
    return String(role.id);
  },
  'role.update': async (run, action) => {
    const { body, icon } = roleBody(run, action.data);
    const role = await run.client.patch<Json>(apiRoute`/guilds/${run.guild}/roles/${action.targetId}`, { body, reason: run.reason(), signal: run.signal });
    recordImage(run, icon, role?.icon);
  },
  'role.delete': async (run, action) => {
    await run.client.delete(apiRoute`/guilds/${run.guild}/roles/${action.targetId}`, { reason: run.reason(), signal: run.signal });
  },
  'role.reorder': reorderRoles,
  'channel.create': async (run, action) => {
    run.skipIfCreated('channel', action);
    const data = action.data;
    const parent = data.parentSourceId ? run.resolve('channel', data.parentSourceId) : undefined;
    // Overwrites follow as their own actions: an empty list keeps Discord from copying the category's.
    const body = { ...data.body, parent_id: parent ?? null, permission_overwrites: [] };
    const channel = await run.client.post<Json>(apiRoute`/guilds/${run.guild}/channels`, { body, reason: run.reason(), signal: run.signal });
    run.record('channel', action.sourceId!, String(channel.id));
    return String(channel.id);
  },
  'channel.update': async (run, action) => {
    await run.client.patch(apiRoute`/channels/${action.targetId}`, { body: action.data, reason: run.reason(), signal: run.signal });
  },
  'channel.delete': async (run, action) => {
    await run.client.delete(apiRoute`/channels/${action.targetId}`, { reason: run.reason(), signal: run.signal });
  },
  'channel.reorder': async (run, action) => {
    const entries = action.data.entries;
    const body = entries.flatMap((entry) => {
      const id = run.resolve('channel', entry.sourceId);
      if (!id) return [];
      return [{ id, position: entry.position, parent_id: entry.parentSourceId ? (run.resolve('channel', entry.parentSourceId) ?? null) : null }];
    });
    if (body.length === 0) throw new Skip('no channel of the snapshot exists in the target');
    await run.client.patch(apiRoute`/guilds/${run.guild}/channels`, { body, reason: run.reason(), signal: run.signal });
  },
  'overwrite.put': async (run, action) => {
    const data = action.data;
    const channel = run.require('channel', action.sourceId!, 'the channel');
    const subject = data.type === OverwriteType.Role ? run.require('role', data.subjectSourceId, 'the role') : data.subjectSourceId;
    await run.client.put(apiRoute`/channels/${channel}/permissions/${subject}`, { body: { type: data.type, allow: data.allow, deny: data.deny }, reason: run.reason(), signal: run.signal });
  },
  'overwrite.delete': async (run, action) => {
    const channel = run.require('channel', action.sourceId!, 'the channel');
    await run.client.delete(apiRoute`/channels/${channel}/permissions/${action.targetId}`, { reason: run.reason(), signal: run.signal });
  },
  'ban.put': async (run, action) => {
    // The ban's reason is the audit-log reason Discord records with it.
    const reason = action.data.reason || run.reason();
    await run.client.put(apiRoute`/guilds/${run.guild}/bans/${action.targetId}`, { body: { delete_message_seconds: 0 }, reason, signal: run.signal });
  },
  'ban.delete': async (run, action) => {
    await run.client.delete(apiRoute`/guilds/${run.guild}/bans/${action.targetId}`, { reason: run.reason(), signal: run.signal });
  },
  'emoji.create': async (run, action) => {
    run.skipIfCreated('emoji', action);
    const data = action.data;
    const image = run.dataUri(data.sha256!, data.animated ? 'image/gif' : 'image/png');
    const roles = data.roles.map((id) => run.resolve('role', id)).filter((id): id is string => !!id);
    const emoji = await run.client.post<Json>(apiRoute`/guilds/${run.guild}/emojis`, { body: { name: data.name, image, roles }, reason: run.reason(), signal: run.signal });
    run.record('emoji', action.sourceId!, String(emoji.id));
    return String(emoji.id);
  },
  'sticker.create': async (run, action) => {
    run.skipIfCreated('sticker', action);
    const data = action.data;
    const contentType = data.formatType === 4 ? 'image/gif' : data.formatType === 2 ? 'image/apng' : 'image/png';
    const file = { name: `sticker.${data.formatType === 4 ? 'gif' : 'png'}`, key: 'file', data: run.file(data.sha256!), contentType };
    const sticker = await run.client.post<Json>(apiRoute`/guilds/${run.guild}/stickers`, {
      body: { name: data.name, description: data.description, tags: data.tags },
      files: [file],
      appendToFormData: true,
      reason: run.reason(),
      signal: run.signal,
    });
    run.record('sticker', action.sourceId!, String(sticker.id));
    return String(sticker.id);
  },
};

/**
 * Places the snapshot's roles in its order. Only roles below the bot's highest
 * role can move (all, when the bot owns the server): the roles the snapshot
 * ranks take the slots they occupy now, in the snapshot's order; other roles
 * stay where they are. One PATCH, only when the order differs.
 */
async function reorderRoles(run: Runner, action: ActionOf<'role.reorder'>): Promise<void> {
  const data = action.data;
  const roles = await run.client.get<Json[]>(apiRoute`/guilds/${run.guild}/roles`, { signal: run.signal });
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
  await run.client.patch(apiRoute`/guilds/${run.guild}/roles`, { body, reason: run.reason(), signal: run.signal });
}
