/** /applications/@me: the bot's application, whose flags say which privileged intents are on. */
import { createHash } from 'node:crypto';
import type { Router } from '../http/router';
import type { IntentSetting, World } from '../world/world';
import { presentUser } from './present';

/** Application flags for the privileged intents (Discord's "Application Object" flags). */
export const ApplicationIntentFlags = {
  GatewayGuildMembers: 1 << 15,
  GatewayGuildMembersLimited: 1 << 14,
  GatewayMessageContent: 1 << 19,
  GatewayMessageContentLimited: 1 << 18,
} as const;

export function applicationRoutes(router: Router): void {
  router.get('/applications/@me', ({ world }) => ({ body: presentApplication(world) }));
}

/** The application flags Discord shows for the world's intents (world.intents is mutable: read per request). */
export function applicationFlags(intents: World['intents']): number {
  const flag = (setting: IntentSetting, full: number, limited: number) => (setting === 'limited' ? limited : setting ? full : 0);
  return (
    flag(intents.messageContent, ApplicationIntentFlags.GatewayMessageContent, ApplicationIntentFlags.GatewayMessageContentLimited) |
    flag(intents.guildMembers, ApplicationIntentFlags.GatewayGuildMembers, ApplicationIntentFlags.GatewayGuildMembersLimited)
  );
}

function presentApplication(world: World): Record<string, unknown> {
  const flags = applicationFlags(world.intents);
  return {
    id: world.applicationId,
    name: String(world.bot.username),
    icon: null,
    description: 'Backs up this server into a local vault.',
    type: null,
    bot: presentUser(world.bot),
    bot_public: false,
    bot_require_code_grant: false,
    verify_key: createHash('sha256').update(`verify-key:${world.seed}`).digest('hex'),
    flags,
    flags_new: String(flags),
    redirect_uris: [],
    interactions_endpoint_url: null,
    role_connections_verification_url: null,
    owner: presentUser(applicationOwner(world)),
    approximate_guild_count: world.guilds.size,
    approximate_user_install_count: 0,
    approximate_user_authorization_count: 0,
    explicit_content_filter: 0,
    team: null,
    eligible_oauth2_scopes: ['bot', 'applications.commands'],
  };
}

/** The developer who made the bot: the owner of the first server the bot does not own itself (else the bot). */
function applicationOwner(world: World): object {
  for (const guild of world.guilds.values()) {
    const owner = world.users.get(guild.guild.owner_id);
    if (owner && owner.id !== world.bot.id) return owner;
  }
  return world.bot;
}
