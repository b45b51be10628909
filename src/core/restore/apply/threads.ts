import { apiRoute } from '../../discord/apiRoute';
import type { Executors } from './structure';
import type { Runner } from './runner';

type Json = Record<string, unknown>;

/** The target's tag ids for tag names, from the parent forum as it is now (tags are per server). */
async function tagIds(run: Runner, parentId: string, names: string[] | undefined): Promise<string[] | undefined> {
  if (!names) return undefined;
  const parent = await run.channel(parentId, () => run.client.get<Json>(apiRoute`/channels/${parentId}`, { signal: run.signal }));
  const byName = new Map(((parent.available_tags as Json[] | undefined) ?? []).map((t) => [String(t.name), String(t.id)]));
  return names.map((name) => byName.get(name)).filter((id): id is string => !!id).slice(0, 5);
}

/** Archives (and locks) a thread last: an archived thread takes no other edit. */
async function setState(run: Runner, threadId: string, archived: boolean, locked: boolean): Promise<void> {
  await run.client.patch(apiRoute`/channels/${threadId}`, { body: { archived, locked }, reason: run.reason(), signal: run.signal });
}

export const THREAD_EXECUTORS: Executors<'thread.create' | 'thread.update'> = {
  'thread.create': async (run, action) => {
    run.skipIfCreated('thread', action);
    const data = action.data;
    const parent = run.require('channel', data.parentSourceId, 'its channel');
    const body: Json = Object.fromEntries(Object.entries(data.body).filter(([, v]) => v !== undefined && v !== null));
    if (data.forum) {
      body.applied_tags = await tagIds(run, parent, data.tagNames);
      // Nobody is pinged by a restored post.
      body.message = { content: data.starter, allowed_mentions: { parse: [] } };
    }
    const thread = await run.client.post<Json>(apiRoute`/channels/${parent}/threads`, { body, reason: run.reason(), signal: run.signal });
    run.record('thread', action.sourceId!, String(thread.id));
    if (data.archived || data.locked) await setState(run, String(thread.id), data.archived, data.locked);
    return String(thread.id);
  },
  'thread.update': async (run, action) => {
    const data = action.data;
    const body: Json = { ...data.changes };
    if (data.tagNames) {
      const thread = await run.client.get<Json>(apiRoute`/channels/${action.targetId}`, { signal: run.signal });
      body.applied_tags = await tagIds(run, String(thread.parent_id), data.tagNames);
    }
    const edits = Object.keys(body).length > 0;
    // Discord refuses edits to an archived thread unless the same request unarchives it.
    if (edits) await run.client.patch(apiRoute`/channels/${action.targetId}`, { body: data.wasArchived ? { ...body, archived: false } : body, reason: run.reason(), signal: run.signal });
    const archivedNow = data.wasArchived && !edits;
    if (archivedNow !== data.archived || data.wasLocked !== data.locked) await setState(run, action.targetId!, data.archived, data.locked);
  },
};
