/**
 * Builds one guild, deterministically from the world seed and the guild's spec:
 * roles, members, bans, channels of every type with overwrites, threads, forum and
 * media posts, emojis, stickers, webhooks, scheduled events and auto-moderation rules.
 * Messages are not built here: each channel gets a lazy MessageStore.
 */
import type { GuildState } from './model';
import type { GuildSpec } from './sizes';
import type { World } from './world';
import { GuildBuilder } from './guildBuilder';
import { ShowcaseGuildBuilder } from './showcaseGuild';

export { DEFAULT_BOT_PERMISSIONS } from './guildBuilder';

export function generateGuild(world: World, spec: GuildSpec, guildIndex: number): GuildState {
  const builder = spec.layout === 'plain' ? new GuildBuilder(world, spec, guildIndex) : new ShowcaseGuildBuilder(world, spec, guildIndex);
  return builder.build();
}
