/** Expression writes: emojis, stickers (multipart uploads) and soundboard sounds, served back by the CDN. */
import type { APIEmoji, APISticker } from 'discord-api-types/v10';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { ApiError, invalidFormBody, unknown } from '../http/apiError';
import { field, parseBody } from '../http/body';
import type { Router } from '../http/router';
import type { SoundboardSound } from '../world/model';
import { presentSound } from './guilds';
import { presentUser } from './present';
import { requireGuild, requireGuildPermission } from './access';
import { storeImage } from './images';

type Files = Array<{ name: string; filename: string; contentType: string; data: Buffer }>;

export function expressionWriteRoutes(router: Router): void {
  // ---- emojis ----

  const emojiName = field.string({ min: 2, max: 32 });
  router.post('/guilds/{guild_id}/emojis', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.CreateGuildExpressions);
    const body = parseBody<{ name: string; image: string; roles?: string[] }>(ctx.body, {
      name: field.string({ min: 2, max: 32, required: true }),
      image: field.string({ required: true }),
      roles: field.array(field.snowflake(), { nullable: true }),
    });
    if (!/^\w+$/.test(body.name)) throw invalidFormBody([{ path: ['name'], code: 'STRING_TYPE_REGEX', message: 'String value did not match validation regex.' }]);
    if (guild.emojis.size >= 100) throw new ApiError(400, 30008, 'Maximum number of emojis reached (100)');
    const id = ctx.world.liveIds.next();
    const hash = storeImage(ctx.world, 'image', () => `emojis/${id}`, body.image)!;
    const emoji: APIEmoji = { id, name: body.name, roles: body.roles ?? [], user: presentUser(ctx.world.bot) as never, require_colons: true, managed: false, animated: hash.startsWith('a_'), available: true };
    guild.emojis.set(id, emoji);
    return { status: 201, body: emoji };
  });
  router.patch('/guilds/{guild_id}/emojis/{emoji_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuildExpressions);
    const emoji = guild.emojis.get(ctx.params.emoji_id);
    if (!emoji) throw unknown('emoji');
    const body = parseBody<{ name?: string; roles?: string[] | null }>(ctx.body, { name: emojiName, roles: field.array(field.snowflake(), { nullable: true }) });
    if (body.name !== undefined) emoji.name = body.name;
    if (body.roles !== undefined) emoji.roles = body.roles ?? [];
    return { body: emoji };
  });
  router.delete('/guilds/{guild_id}/emojis/{emoji_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuildExpressions);
    if (!guild.emojis.delete(ctx.params.emoji_id)) throw unknown('emoji');
    return {};
  });

  // ---- stickers (multipart: name, description, tags, file) ----

  router.post('/guilds/{guild_id}/stickers', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.CreateGuildExpressions);
    const body = parseBody<{ name: string; description?: string; tags: string; __files?: Files }>(ctx.body, {
      name: field.string({ min: 2, max: 30, required: true }),
      description: field.string({ max: 100 }),
      tags: field.string({ min: 1, max: 200, required: true }),
    });
    const file = body.__files?.[0];
    if (!file) throw invalidFormBody([{ path: ['file'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
    if (file.data.length > 512 * 1024) throw new ApiError(400, 50045, 'File uploaded exceeds the maximum size');
    const formats: Record<string, number> = { 'image/png': 1, 'image/apng': 2, 'application/json': 3, 'image/gif': 4 };
    const id = ctx.world.liveIds.next();
    ctx.world.uploadedFiles.set(`stickers/${id}`, { bytes: file.data, contentType: file.contentType });
    const sticker: APISticker = { id, name: body.name, description: body.description ?? '', tags: body.tags, type: 2, format_type: formats[file.contentType] ?? 1, available: true, guild_id: guild.guild.id, user: presentUser(ctx.world.bot) as never };
    guild.stickers.set(id, sticker);
    return { status: 201, body: sticker };
  });
  router.patch('/guilds/{guild_id}/stickers/{sticker_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuildExpressions);
    const sticker = guild.stickers.get(ctx.params.sticker_id);
    if (!sticker) throw unknown('sticker');
    const body = parseBody<{ name?: string; description?: string | null; tags?: string }>(ctx.body, {
      name: field.string({ min: 2, max: 30 }),
      description: field.string({ max: 100, nullable: true }),
      tags: field.string({ max: 200 }),
    });
    if (body.name !== undefined) sticker.name = body.name;
    if (body.description !== undefined) sticker.description = body.description;
    if (body.tags !== undefined) sticker.tags = body.tags;
    return { body: sticker };
  });
  router.delete('/guilds/{guild_id}/stickers/{sticker_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuildExpressions);
    if (!guild.stickers.delete(ctx.params.sticker_id)) throw unknown('sticker');
    return {};
  });

  // ---- soundboard ----

  const soundShape = { name: field.string({ min: 2, max: 32 }), volume: field.int({ min: 0, max: 1, nullable: true }), emoji_id: field.snowflake({ nullable: true }), emoji_name: field.string({ nullable: true }) };
  router.post('/guilds/{guild_id}/soundboard-sounds', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.CreateGuildExpressions);
    const body = parseBody<{ name: string; sound: string; volume?: number | null; emoji_id?: string | null; emoji_name?: string | null }>(ctx.body, {
      ...soundShape,
      name: field.string({ min: 2, max: 32, required: true }),
      sound: field.string({ required: true }),
      volume: field.any(),
    });
    const m = /^data:(audio\/(?:mpeg|ogg|mp3));base64,([A-Za-z0-9+/=]+)$/.exec(body.sound);
    if (!m) throw invalidFormBody([{ path: ['sound'], code: 'SOUND_INVALID', message: 'Invalid sound data' }]);
    const bytes = Buffer.from(m[2], 'base64');
    if (bytes.length > 512 * 1024) throw new ApiError(400, 50045, 'File uploaded exceeds the maximum size');
    const id = ctx.world.liveIds.next();
    ctx.world.uploadedFiles.set(`soundboard-sounds/${id}`, { bytes, contentType: m[1] });
    const sound: SoundboardSound = { name: body.name, sound_id: id, volume: typeof body.volume === 'number' ? body.volume : 1, emoji_id: body.emoji_id ?? null, emoji_name: body.emoji_name ?? null, guild_id: guild.guild.id, available: true, user: ctx.world.bot };
    guild.soundboardSounds.set(id, sound);
    return { status: 201, body: presentSound(sound) };
  });
  router.patch('/guilds/{guild_id}/soundboard-sounds/{sound_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuildExpressions);
    const sound = guild.soundboardSounds.get(ctx.params.sound_id);
    if (!sound) throw new ApiError(404, 10097, 'Unknown Soundboard Sound');
    const body = parseBody<Partial<SoundboardSound>>(ctx.body, { ...soundShape, volume: field.any() });
    for (const key of ['name', 'emoji_id', 'emoji_name'] as const) if (body[key] !== undefined) (sound as unknown as Record<string, unknown>)[key] = body[key];
    if (typeof body.volume === 'number') sound.volume = body.volume;
    return { body: presentSound(sound) };
  });
  router.delete('/guilds/{guild_id}/soundboard-sounds/{sound_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageGuildExpressions);
    if (!guild.soundboardSounds.delete(ctx.params.sound_id)) throw new ApiError(404, 10097, 'Unknown Soundboard Sound');
    return {};
  });
}
