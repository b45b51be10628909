import { apiRoute } from '../../discord/apiRoute';
import { recordImage, type Executors } from './structure';
import { Skip, type Runner } from './runner';

type Json = Record<string, unknown>;

/** A snapshot channel id as the target's (null stays null); a channel that was not restored fails the action. */
function channelIn(run: Runner, sourceId: unknown, what: string): string | null {
  if (sourceId === null || sourceId === undefined) return null;
  return run.require('channel', String(sourceId), what);
}

/** A custom emoji of the snapshot in the target: re-created (id_map), the same one in place, or none. */
function emojiIdIn(run: Runner, sourceId: string): string | null {
  return run.resolve('emoji', sourceId) ?? (run.plan.inPlace ? sourceId : null);
}

/** An option's emoji: a custom one only when it exists in the target, else its name alone. */
function emojiIn(run: Runner, emoji: unknown): Json | undefined {
  if (!emoji || typeof emoji !== 'object') return undefined;
  const e = emoji as Json;
  if (!e.id) return e;
  const id = emojiIdIn(run, String(e.id));
  return id ? { ...e, id } : { name: e.name ?? null, id: null, animated: false };
}

export const SETTINGS_EXECUTORS: Executors<'guild.update' | 'welcome_screen.update' | 'onboarding.update'> = {
  'guild.update': async (run, action) => {
    const data = action.data;
    const body: Json = { ...data.changes };
    for (const [field, sourceId] of Object.entries(data.channels)) body[field] = channelIn(run, sourceId, `the channel of ${field}`);
    for (const [field, upload] of Object.entries(data.images)) body[field] = upload ? run.dataUri(upload.sha256) : null;
    const guild = await run.client.patch<Json>(apiRoute`/guilds/${run.guild}`, { body, reason: run.reason(), signal: run.signal });
    for (const [field, upload] of Object.entries(data.images)) if (upload) recordImage(run, upload, guild?.[field]);
  },
  'welcome_screen.update': async (run, action) => {
    const data = action.data;
    const welcome_channels = data.welcome_channels.map((c) => ({ ...c, channel_id: channelIn(run, c.channel_id, 'a welcome channel'), emoji_id: c.emoji_id ? emojiIdIn(run, String(c.emoji_id)) : null }));
    await run.client.patch(apiRoute`/guilds/${run.guild}/welcome-screen`, { body: { enabled: data.enabled, description: data.description, welcome_channels }, reason: run.reason(), signal: run.signal });
  },
  'onboarding.update': async (run, action) => {
    const { onboarding, keepIds } = action.data;
    const roles = (ids: unknown) => ((ids as string[] | undefined) ?? []).map((id) => run.resolve('role', id)).filter((id): id is string => !!id);
    const channels = (ids: unknown) => ((ids as string[] | undefined) ?? []).map((id) => run.resolve('channel', id)).filter((id): id is string => !!id);
    const prompts = ((onboarding.prompts as Json[] | undefined) ?? []).map(({ id, options, ...prompt }) => ({
      ...prompt,
      ...(keepIds ? { id } : {}),
      options: ((options as Json[] | undefined) ?? []).map(({ id: optionId, ...option }) => ({
        ...option,
        ...(keepIds ? { id: optionId } : {}),
        emoji: emojiIn(run, option.emoji),
        role_ids: roles(option.role_ids),
        channel_ids: channels(option.channel_ids),
      })),
    }));
    if (prompts.some((p) => p.options.length === 0)) throw new Skip('a prompt would have no option left in the target');
    const body = { prompts, default_channel_ids: channels(onboarding.default_channel_ids), enabled: onboarding.enabled ?? false, mode: onboarding.mode ?? 0 };
    await run.client.put(apiRoute`/guilds/${run.guild}/onboarding`, { body, reason: run.reason(), signal: run.signal });
  },
};
