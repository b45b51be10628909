/** GET /channels/{channel_id}/messages (before/after/around/limit) and single messages. */
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { unknown, wrongChannelType } from '../http/apiError';
import type { RequestContext, Router } from '../http/router';
import type { MessageStore } from '../world/messageStore';
import { has } from '../world/permissions';
import { presentMessage } from './present';
import { requireChannel, requireChannelPermission } from './access';

/** Positions of one page, newest first, Discord's way for each cursor. */
export function pagePositions(store: MessageStore, cursor: { before?: string; after?: string; around?: string }, limit: number): number[] {
  if (cursor.around) {
    // The message itself (when it exists) and the ones before it, plus up to limit/2 after it: newest first.
    const pivot = store.firstPositionAfter(cursor.around);
    const newer = store.positionsFrom(pivot, Math.floor(limit / 2));
    const older = store.positionsBefore(pivot, limit - newer.length);
    return [...newer.reverse(), ...older];
  }
  if (cursor.before) {
    const end = store.firstPositionAfter((BigInt(cursor.before) - 1n).toString());
    return store.positionsBefore(end, limit);
  }
  if (cursor.after) {
    // The `limit` messages right after the cursor, still returned newest first.
    return store.positionsFrom(store.firstPositionAfter(cursor.after), limit).reverse();
  }
  return store.positionsBefore(store.size, limit);
}

function messageChannel(ctx: RequestContext) {
  const found = requireChannel(ctx);
  if (found.channel.type === 4) throw wrongChannelType();
  return found;
}

export function messageRoutes(router: Router): void {
  router.get('/channels/{channel_id}/messages', (ctx) => {
    const { perms } = messageChannel(ctx);
    const limit = ctx.query.int('limit', { min: 1, max: 100, default: 50 });
    const cursor = { around: ctx.query.snowflake('around'), before: ctx.query.snowflake('before'), after: ctx.query.snowflake('after') };
    // One cursor at a time, like Discord: around, then before, then after.
    if (cursor.around) cursor.before = cursor.after = undefined;
    else if (cursor.before) cursor.after = undefined;
    const store = ctx.world.messageStore(ctx.params.channel_id);
    // Without READ_MESSAGE_HISTORY the list is empty, not an error.
    if (!store || !has(perms, P.ReadMessageHistory)) return { body: [] };
    return { body: pagePositions(store, cursor, limit).map((p) => presentMessage(ctx.world, store.messageAt(p))) };
  });

  router.get('/channels/{channel_id}/messages/{message_id}', (ctx) => {
    const { perms } = messageChannel(ctx);
    requireChannelPermission(perms, P.ReadMessageHistory);
    const message = ctx.world.messageStore(ctx.params.channel_id)?.get(ctx.params.message_id);
    if (!message) throw unknown('message');
    return { body: presentMessage(ctx.world, message) };
  });
}
