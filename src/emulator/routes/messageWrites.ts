/**
 * Message writes: post, edit, delete; pins; reactions and who reacted; threads
 * (from a message, without one, and forum/media posts with their starter message).
 */
import type { APIAttachment, APIMessage } from 'discord-api-types/v10';
import { MessageFlags, MessageType, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { ApiError, invalidFormBody, unknown, wrongChannelType } from '../http/apiError';
import { field, parseBody } from '../http/body';
import type { RequestContext, Router } from '../http/router';
import type { ChannelRecord, GuildState, UserRecord } from '../world/model';
import type { MessageStore } from '../world/messageStore';
import { PIN_WINDOW } from '../world/messageStore';
import { has, isThread } from '../world/permissions';
import { Rng } from '../world/random';
import { presentChannel, presentMessage, presentUser } from './present';
import { requireChannel, requireChannelPermission } from './access';

type Files = Array<{ name: string; filename: string; contentType: string; data: Buffer }>;

export interface MessageBody {
  content?: string;
  embeds?: unknown[];
  sticker_ids?: string[];
  poll?: unknown;
  flags?: number;
  tts?: boolean;
  message_reference?: { message_id?: string; channel_id?: string; guild_id?: string; type?: number; fail_if_not_exists?: boolean };
  attachments?: Array<{ id: string | number; filename?: string; description?: string }>;
  allowed_mentions?: { parse?: string[]; users?: string[]; roles?: string[]; replied_user?: boolean };
  __files?: Files;
}

export const messageShape = {
  content: field.string({ max: 2000 }),
  embeds: field.array(field.object({ title: field.string({ max: 256 }), description: field.string({ max: 4096 }) }), { max: 10 }),
  sticker_ids: field.array(field.snowflake(), { max: 3 }),
  poll: field.object({ question: field.object({ text: field.string({ min: 1, max: 300 }) }, { required: true }), answers: field.array(field.object({ poll_media: field.object({ text: field.string({ max: 55 }) }) }), { max: 10, required: true }) }),
  flags: field.int(),
  tts: field.bool(),
  message_reference: field.object({ message_id: field.snowflake(), channel_id: field.snowflake(), type: field.int({ choices: [0, 1] }) }),
  attachments: field.array(field.object({ id: field.any({ required: true }), filename: field.string(), description: field.string({ max: 1024 }) })),
  allowed_mentions: field.object({
    parse: field.array(field.string(), { max: 3 }),
    users: field.array(field.snowflake(), { max: 100 }),
    roles: field.array(field.snowflake(), { max: 100 }),
    replied_user: field.bool(),
  }),
};

/** Discord's upload limit per message by the server's boost tier. */
export function uploadLimitBytes(premiumTier: number): number {
  const MiB = 1024 * 1024;
  return premiumTier >= 3 ? 100 * MiB : premiumTier === 2 ? 50 * MiB : 10 * MiB;
}

/**
 * Which mentions in the text count (are listed in the message and notify),
 * as `allowed_mentions` says: without it, every mention; with it, only the
 * kinds in `parse` and the ids listed.
 */
function mentionRules(allowed: MessageBody['allowed_mentions']): { user(id: string): boolean; role(id: string): boolean; everyone: boolean } {
  if (!allowed) return { user: () => true, role: () => true, everyone: true };
  const parse = new Set(allowed.parse ?? []);
  const users = new Set(allowed.users ?? []);
  const roles = new Set(allowed.roles ?? []);
  if (parse.has('users') && users.size) throw invalidFormBody([{ path: ['allowed_mentions', 'parse'], code: 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', message: 'parse:["users"] and users: [ids...] are mutually exclusive.' }]);
  if (parse.has('roles') && roles.size) throw invalidFormBody([{ path: ['allowed_mentions', 'parse'], code: 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', message: 'parse:["roles"] and roles: [ids...] are mutually exclusive.' }]);
  return { user: (id) => parse.has('users') || users.has(id), role: (id) => parse.has('roles') || roles.has(id), everyone: parse.has('everyone') };
}

/** Builds a message from a request body, appends it to the channel and returns it. */
export function postMessage(
  ctx: RequestContext,
  guild: GuildState,
  channel: ChannelRecord,
  author: UserRecord,
  body: MessageBody,
  extra: { webhookId?: string; id?: string } = {},
): APIMessage {
  const store = ctx.world.ensureMessageStore(guild, channel.id);
  const files = body.__files ?? [];
  const content = body.content ?? '';
  if (!content && !body.embeds?.length && !body.sticker_ids?.length && !files.length && !body.poll)
    throw new ApiError(400, 50006, 'Cannot send an empty message');
  const limit = uploadLimitBytes(guild.guild.premium_tier ?? 0);
  if (files.reduce((n, f) => n + f.data.length, 0) > limit) throw new ApiError(413, 40005, 'Request entity too large');
  const mentionable = mentionRules(body.allowed_mentions);
  const id = extra.id ?? ctx.world.liveIds.next();
  const message: APIMessage = {
    type: MessageType.Default,
    content,
    mentions: [],
    mention_roles: [],
    attachments: files.map((f, i) => uploadAttachment(ctx, channel.id, f, body.attachments?.[i])),
    embeds: (body.embeds ?? []).map((e) => ({ type: 'rich', ...(e as object) })) as never,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: (body.flags ?? 0) & (MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications),
    components: [],
    id,
    channel_id: channel.id,
    author: presentUser(author) as never,
    pinned: false,
    mention_everyone: mentionable.everyone && /@(everyone|here)/.test(content),
    tts: body.tts ?? false,
  };
  for (const m of content.matchAll(/<@!?(\d+)>/g)) {
    const user = ctx.world.users.get(m[1]);
    if (user && mentionable.user(user.id) && !message.mentions.some((u) => u.id === user.id)) message.mentions.push(presentUser(user) as never);
  }
  for (const m of content.matchAll(/<@&(\d+)>/g)) if (guild.roles.has(m[1]) && mentionable.role(m[1]) && !message.mention_roles.includes(m[1])) message.mention_roles.push(m[1]);
  if (extra.webhookId) message.webhook_id = extra.webhookId;
  if (body.sticker_ids?.length) {
    message.sticker_items = body.sticker_ids.map((sid) => {
      const s = guild.stickers.get(sid);
      if (!s) throw invalidFormBody([{ path: ['sticker_ids'], code: 'STICKER_INVALID', message: 'Unknown sticker' }]);
      return { id: s.id, name: s.name, format_type: s.format_type };
    });
  }
  if (body.poll) {
    const poll = body.poll as { question: { text: string }; answers: Array<{ poll_media: { text?: string } }>; duration?: number; allow_multiselect?: boolean };
    message.poll = {
      question: poll.question,
      answers: poll.answers.map((a, i) => ({ answer_id: i + 1, poll_media: a.poll_media })),
      expiry: new Date(Date.now() + (poll.duration ?? 24) * 3_600_000).toISOString(),
      allow_multiselect: poll.allow_multiselect ?? false,
      layout_type: 1,
      results: { is_finalized: false, answer_counts: [] },
    };
  }
  const ref = body.message_reference;
  if (ref?.message_id) {
    const refChannel = ref.channel_id ?? channel.id;
    const target = ctx.world.messageStore(refChannel)?.get(ref.message_id);
    if (!target && ref.fail_if_not_exists !== false)
      throw invalidFormBody([{ path: ['message_reference'], code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }]);
    if (target) {
      message.message_reference = { type: ref.type ?? 0, message_id: target.id, channel_id: refChannel, guild_id: guild.guild.id };
      if ((ref.type ?? 0) === 0) {
        message.type = MessageType.Reply;
        message.referenced_message = { ...target, referenced_message: undefined } as APIMessage;
        delete message.referenced_message.referenced_message;
      } else {
        message.flags = (message.flags ?? 0) | MessageFlags.HasSnapshot;
        message.message_snapshots = [{ message: { type: target.type, content: target.content, embeds: target.embeds, attachments: target.attachments, timestamp: target.timestamp, edited_timestamp: target.edited_timestamp, flags: target.flags ?? 0, mentions: target.mentions, mention_roles: target.mention_roles, components: [] } }] as never;
      }
    }
  }
  store.append(message);
  channel.last_message_id = id;
  if (channel.thread_metadata) {
    channel.message_count = (channel.message_count ?? 0) + 1;
    channel.total_message_sent = (channel.total_message_sent ?? 0) + 1;
  }
  return message;
}

function uploadAttachment(ctx: RequestContext, channelId: string, file: Files[number], meta?: { filename?: string; description?: string }): APIAttachment {
  const id = ctx.world.liveIds.next();
  const filename = (meta?.filename ?? file.filename).replace(/[^\w.\-]+/g, '_');
  ctx.world.uploadedFiles.set(`attachments/${channelId}/${id}`, { bytes: file.data, contentType: file.contentType });
  const a: APIAttachment = { id, filename, size: file.data.length, url: `/attachments/${channelId}/${id}/${filename}`, proxy_url: `/attachments/${channelId}/${id}/${filename}`, content_type: file.contentType };
  if (meta?.description) a.description = meta.description;
  return a;
}

/** The channel's store and the existing message in the path (404 10008 otherwise). */
function requireMessage(ctx: RequestContext): { store: MessageStore; message: APIMessage; guild: GuildState; channel: ChannelRecord; perms: bigint } {
  const found = requireChannel(ctx);
  requireChannelPermission(found.perms, P.ReadMessageHistory);
  const store = ctx.world.messageStore(found.channel.id);
  const message = store?.get(ctx.params.message_id);
  if (!store || !message) throw unknown('message');
  return { ...found, store, message };
}

function requireCanSend(channel: ChannelRecord, perms: bigint): void {
  if (channel.type === 4 || channel.type === 15 || channel.type === 16) throw wrongChannelType();
  if (channel.thread_metadata?.locked && !has(perms, P.ManageThreads)) throw new ApiError(400, 50083, 'Thread is archived');
  requireChannelPermission(perms, isThread(channel) ? P.SendMessagesInThreads : P.SendMessages);
}

// ---- reactions ----

function emojiKeyOf(param: string): { key: string; id: string | null; name: string } {
  const custom = /^(?:a:)?([\w~-]+):(\d+)$/.exec(param);
  return custom ? { key: custom[2], id: custom[2], name: custom[1] } : { key: param, id: null, name: param };
}

type Reaction = NonNullable<APIMessage['reactions']>[number];

function findReaction(message: APIMessage, key: string): Reaction | undefined {
  return message.reactions?.find((r) => (r.emoji.id ?? r.emoji.name) === key);
}

/** Who reacted: recorded ones when the API changed them, else a deterministic sample of members. */
function reactionUserIds(ctx: RequestContext, guild: GuildState, store: MessageStore, message: APIMessage, key: string): string[] {
  const recorded = store.reactionUsers.get(message.id)?.get(key);
  if (recorded) return recorded;
  const reaction = findReaction(message, key);
  if (!reaction) return [];
  const members = [...guild.members.keys()].filter((id) => id !== ctx.world.bot.id).sort();
  return new Rng(store.seedKey, message.id, key).sample(members, reaction.count).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
}

function setReactionUsers(ctx: RequestContext, guild: GuildState, store: MessageStore, message: APIMessage, emoji: { key: string; id: string | null; name: string }, users: string[]): void {
  const byEmoji = store.reactionUsers.get(message.id) ?? new Map<string, string[]>();
  store.reactionUsers.set(message.id, byEmoji);
  byEmoji.set(emoji.key, users);
  const updated: APIMessage = { ...message, reactions: [...(message.reactions ?? [])] };
  const at = updated.reactions!.findIndex((r) => (r.emoji.id ?? r.emoji.name) === emoji.key);
  const me = users.includes(ctx.world.bot.id);
  if (users.length === 0) {
    if (at >= 0) updated.reactions!.splice(at, 1);
  } else {
    const base = at >= 0 ? updated.reactions![at] : ({ emoji: { id: emoji.id, name: emoji.name }, burst_colors: [], me_burst: false } as unknown as Reaction);
    const r = { ...base, count: users.length, me, count_details: { burst: 0, normal: users.length } } as Reaction;
    if (at >= 0) updated.reactions![at] = r;
    else updated.reactions!.push(r);
  }
  if (updated.reactions!.length === 0) delete updated.reactions;
  store.replace(updated);
  void guild;
}

// ---- pins ----

function pinnedMessages(store: MessageStore): Array<{ message: APIMessage; pinnedAt: string }> {
  const seen = new Set<string>();
  const out: Array<{ message: APIMessage; pinnedAt: string }> = [];
  const add = (m: APIMessage, fallback: string) => {
    if (!m.pinned || seen.has(m.id)) return;
    seen.add(m.id);
    out.push({ message: m, pinnedAt: store.pinnedAt.get(m.id) ?? fallback });
  };
  for (const m of store.overriddenMessages()) {
    const index = store.generatedIndexOf(m.id);
    add(m, index >= 0 ? store.generatedPinTime(index) : m.timestamp);
  }
  for (const m of store.posted) if (m.pinned && store.positionOf(m.id) >= 0) add(m, m.timestamp);
  for (let p = store.count - 1; p >= Math.max(0, store.count - PIN_WINDOW); p--)
    if (store.generatedPin(p) && !store.isDeleted(p)) add(store.messageAt(p), store.generatedPinTime(p));
  return out.sort((a, b) => Date.parse(b.pinnedAt) - Date.parse(a.pinnedAt) || (BigInt(b.message.id) > BigInt(a.message.id) ? 1 : -1));
}

export function messageWriteRoutes(router: Router): void {
  router.post('/channels/{channel_id}/messages', (ctx) => {
    const { guild, channel, perms } = requireChannel(ctx);
    requireCanSend(channel, perms);
    const body = parseBody<MessageBody>(ctx.body, messageShape);
    if (body.__files?.length) requireChannelPermission(perms, P.AttachFiles);
    const message = postMessage(ctx, guild, channel, ctx.world.bot, body);
    return { body: presentMessage(ctx.world, message) };
  });

  router.patch('/channels/{channel_id}/messages/{message_id}', (ctx) => {
    const { store, message } = requireMessage(ctx);
    const body = parseBody<MessageBody>(ctx.body, messageShape);
    const own = message.author.id === ctx.world.bot.id;
    if (!own && (body.content !== undefined || body.embeds !== undefined)) throw new ApiError(403, 50005, 'Cannot edit a message authored by another user');
    const updated: APIMessage = { ...message, edited_timestamp: own ? new Date().toISOString() : message.edited_timestamp };
    if (body.content !== undefined) updated.content = body.content;
    if (body.embeds !== undefined) updated.embeds = body.embeds as never;
    if (body.flags !== undefined) updated.flags = ((message.flags ?? 0) & ~MessageFlags.SuppressEmbeds) | (body.flags & MessageFlags.SuppressEmbeds);
    store.replace(updated);
    return { body: presentMessage(ctx.world, updated) };
  });

  router.delete('/channels/{channel_id}/messages/{message_id}', (ctx) => {
    const { store, message, perms } = requireMessage(ctx);
    if (message.author.id !== ctx.world.bot.id) requireChannelPermission(perms, P.ManageMessages);
    store.delete(message.id);
    return {};
  });

  // ---- pins: the paged route and the older list route ----

  router.get('/channels/{channel_id}/messages/pins', (ctx) => {
    const { channel, perms } = requireChannel(ctx);
    const before = ctx.query.isoTimestamp('before');
    const limit = ctx.query.int('limit', { min: 1, max: 50, default: 50 });
    const store = ctx.world.messageStore(channel.id);
    if (!store || !has(perms, P.ReadMessageHistory)) return { body: { items: [], has_more: false } };
    const pins = pinnedMessages(store).filter((p) => !before || Date.parse(p.pinnedAt) < Date.parse(before));
    return { body: { items: pins.slice(0, limit).map((p) => ({ pinned_at: p.pinnedAt, message: presentMessage(ctx.world, p.message) })), has_more: pins.length > limit } };
  });
  router.get('/channels/{channel_id}/pins', (ctx) => {
    const { channel, perms } = requireChannel(ctx);
    const store = ctx.world.messageStore(channel.id);
    if (!store || !has(perms, P.ReadMessageHistory)) return { body: [] };
    return { body: pinnedMessages(store).slice(0, 250).map((p) => presentMessage(ctx.world, p.message)) };
  });
  const pin = (pinned: boolean) => (ctx: RequestContext) => {
    const { store, message, perms } = requireMessage(ctx);
    if (!has(perms, P.PinMessages)) requireChannelPermission(perms, P.ManageMessages);
    if (pinned && !message.pinned && pinnedMessages(store).length >= 250) throw new ApiError(400, 30003, 'Maximum number of pins reached (250)');
    if (pinned) store.pinnedAt.set(message.id, new Date().toISOString());
    else store.pinnedAt.delete(message.id);
    store.replace({ ...message, pinned });
    // Like Discord: the channel's last_pin_timestamp is the pin time of its newest remaining pin.
    ctx.world.channel(store.channelId)!.channel.last_pin_timestamp = pinnedMessages(store)[0]?.pinnedAt ?? null;
    return {};
  };
  for (const template of ['/channels/{channel_id}/pins/{message_id}', '/channels/{channel_id}/messages/pins/{message_id}']) {
    router.put(template, pin(true));
    router.delete(template, pin(false));
  }

  // ---- reactions ----

  router.get('/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}', (ctx) => {
    const { guild, store, message } = requireMessage(ctx);
    const emoji = emojiKeyOf(ctx.params.emoji_name);
    const after = ctx.query.snowflake('after');
    const limit = ctx.query.int('limit', { min: 1, max: 100, default: 25 });
    ctx.query.int('type', { min: 0, max: 1, default: 0 });
    if (!findReaction(message, emoji.key)) throw new ApiError(404, 10014, 'Unknown Emoji');
    const ids = reactionUserIds(ctx, guild, store, message, emoji.key).filter((id) => !after || BigInt(id) > BigInt(after));
    return { body: ids.slice(0, limit).map((id) => presentUser(ctx.world.users.get(id) ?? { id, username: 'unknown', discriminator: '0', avatar: null, global_name: null, public_flags: 0, flags: 0, primary_guild: null })) };
  });
  router.put('/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me', (ctx) => {
    const { guild, store, message, perms } = requireMessage(ctx);
    const emoji = emojiKeyOf(ctx.params.emoji_name);
    if (emoji.id && !guild.emojis.has(emoji.id)) throw new ApiError(400, 10014, 'Unknown Emoji');
    const users = reactionUserIds(ctx, guild, store, message, emoji.key);
    if (users.includes(ctx.world.bot.id)) return {};
    if (users.length === 0) requireChannelPermission(perms, P.AddReactions);
    setReactionUsers(ctx, guild, store, message, emoji, [...users, ctx.world.bot.id].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
    return {};
  });
  router.delete('/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me', (ctx) => {
    const { guild, store, message } = requireMessage(ctx);
    const emoji = emojiKeyOf(ctx.params.emoji_name);
    const users = reactionUserIds(ctx, guild, store, message, emoji.key);
    if (users.includes(ctx.world.bot.id)) setReactionUsers(ctx, guild, store, message, emoji, users.filter((id) => id !== ctx.world.bot.id));
    return {};
  });

  // ---- threads ----

  router.post('/channels/{channel_id}/messages/{message_id}/threads', (ctx) => {
    const { guild, channel, store, message, perms } = requireMessage(ctx);
    if (channel.type !== 0 && channel.type !== 5) throw wrongChannelType();
    requireChannelPermission(perms, P.CreatePublicThreads);
    const body = parseBody<{ name: string; auto_archive_duration?: number }>(ctx.body, { name: field.string({ min: 1, max: 100, required: true }), auto_archive_duration: field.int({ choices: [60, 1440, 4320, 10080] }), rate_limit_per_user: field.int({ min: 0, max: 21600 }) });
    if (guild.threads.has(message.id) || message.thread) throw new ApiError(400, 160004, 'A thread has already been created for this message');
    const thread = newThread(ctx, guild, channel, channel.type === 5 ? 10 : 11, body.name, body.auto_archive_duration, message.id);
    store.replace({ ...message, flags: (message.flags ?? 0) | MessageFlags.HasThread, thread: thread as never });
    return { status: 201, body: presentChannel(thread) };
  });

  router.post('/channels/{channel_id}/threads', (ctx) => {
    const { guild, channel, perms } = requireChannel(ctx);
    const forum = channel.type === 15 || channel.type === 16;
    if (!forum && channel.type !== 0 && channel.type !== 5) throw wrongChannelType();
    const body = parseBody<{ name: string; type?: number; auto_archive_duration?: number; invitable?: boolean; message?: MessageBody; applied_tags?: string[]; __files?: Files }>(ctx.body, {
      name: field.string({ min: 1, max: 100, required: true }),
      type: field.int({ choices: [10, 11, 12] }),
      auto_archive_duration: field.int({ choices: [60, 1440, 4320, 10080] }),
      invitable: field.bool(),
      rate_limit_per_user: field.int({ min: 0, max: 21600 }),
      message: field.object(messageShape, { required: forum }),
      applied_tags: field.array(field.snowflake(), { max: 5 }),
    });
    if (forum) {
      requireChannelPermission(perms, P.SendMessages);
      const id = ctx.world.liveIds.next();
      const thread = newThread(ctx, guild, channel, 11, body.name, body.auto_archive_duration, id);
      thread.applied_tags = (body.applied_tags ?? []).filter((t) => channel.available_tags?.some((a) => a.id === t));
      thread.message_count = 0;
      const starter = postMessage(ctx, guild, thread, ctx.world.bot, { ...body.message!, __files: body.__files }, { id });
      thread.message_count = 0;
      channel.last_message_id = thread.id;
      return { status: 201, body: { ...presentChannel(thread), message: presentMessage(ctx.world, starter) } };
    }
    const type = body.type ?? 12;
    requireChannelPermission(perms, type === 12 ? P.CreatePrivateThreads : P.CreatePublicThreads);
    const thread = newThread(ctx, guild, channel, type, body.name, body.auto_archive_duration);
    if (type === 12) thread.thread_metadata!.invitable = body.invitable ?? true;
    return { status: 201, body: presentChannel(thread) };
  });
}

function newThread(ctx: RequestContext, guild: GuildState, parent: ChannelRecord, type: number, name: string, autoArchive = 4320, id = ctx.world.liveIds.next()): ChannelRecord {
  const now = new Date().toISOString();
  const thread: ChannelRecord = {
    id,
    type,
    guild_id: guild.guild.id,
    name,
    parent_id: parent.id,
    owner_id: ctx.world.bot.id,
    flags: 0,
    last_message_id: null,
    rate_limit_per_user: 0,
    thread_metadata: { archived: false, auto_archive_duration: autoArchive, archive_timestamp: now, locked: false, create_timestamp: now },
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
  };
  ctx.world.registerChannel(guild, thread);
  ctx.world.ensureMessageStore(guild, thread.id);
  guild.joinedThreadIds.add(thread.id);
  return thread;
}
