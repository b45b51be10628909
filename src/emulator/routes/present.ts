/**
 * Turns stored objects into what a route returns: signs attachment URLs for this
 * server's CDN, blanks fields the Message Content intent guards, and fills the
 * fields Discord computes.
 */
import { createHmac } from 'node:crypto';
import type { APIAttachment, APIMessage } from 'discord-api-types/v10';
import type { ChannelRecord, GuildState } from '../world/model';
import type { World } from '../world/world';

export function signAttachmentPath(world: World, path: string, nowMs = Date.now(), ttlSeconds = world.attachmentUrlTtlSeconds): string {
  const is = Math.floor(nowMs / 1000);
  const ex = is + ttlSeconds;
  const exHex = ex.toString(16);
  const isHex = is.toString(16);
  return `${world.cdnBaseUrl}${path}?ex=${exHex}&is=${isHex}&hm=${attachmentSignature(world, path, exHex, isHex)}&`;
}

export function attachmentSignature(world: World, path: string, exHex: string, isHex: string): string {
  return createHmac('sha256', world.signingKey).update(`${decodeURI(path)}\n${exHex}\n${isHex}`).digest('hex');
}

function presentAttachment(world: World, a: APIAttachment): APIAttachment {
  // Absolute URLs (any scheme: tests put hostile ones here) are served as stored.
  if (/^[a-z][a-z0-9+.-]*:/i.test(a.url)) return a;
  // Discord's two URLs of an attachment carry the same signature parameters.
  const url = signAttachmentPath(world, encodeURI(a.url));
  return { ...a, url, proxy_url: url };
}

/** Whether the bot may see this message's content without the Message Content intent. */
function contentVisible(world: World, m: APIMessage): boolean {
  if (world.intents.messageContent) return true;
  if (m.author.id === world.bot.id) return true;
  return m.mentions.some((u) => u.id === world.bot.id);
}

export function presentMessage(world: World, m: APIMessage): APIMessage {
  const out: APIMessage = { ...m };
  if (!contentVisible(world, m)) {
    out.content = '';
    out.embeds = [];
    out.attachments = [];
    out.components = [];
    delete out.poll;
    // Forwarded copies expose content too: blanked the same way, the snapshot itself stays.
    if (out.message_snapshots)
      out.message_snapshots = out.message_snapshots.map((s) => ({ ...s, message: { ...s.message, content: '', embeds: [], attachments: [], components: [] } })) as never;
  }
  out.attachments = out.attachments.map((a) => presentAttachment(world, a));
  if (out.referenced_message) out.referenced_message = presentMessage(world, out.referenced_message);
  if (out.message_snapshots?.length)
    out.message_snapshots = out.message_snapshots.map((s) => ({ ...s, message: { ...s.message, attachments: s.message.attachments.map((a) => presentAttachment(world, a)) } }));
  if (out.thread) out.thread = presentChannel(out.thread as unknown as ChannelRecord) as never;
  return out;
}

export function presentChannel(channel: ChannelRecord): Record<string, unknown> {
  return { ...channel };
}

export function presentUser(user: object): Record<string, unknown> {
  return { ...user };
}

export function presentGuild(guild: GuildState, withCounts: boolean): Record<string, unknown> {
  const g = guild.guild;
  const out: Record<string, unknown> = {
    id: g.id,
    name: g.name,
    icon: g.icon,
    description: g.description,
    home_header: null,
    splash: g.splash,
    discovery_splash: g.discovery_splash,
    features: g.features,
    banner: g.banner,
    owner_id: g.owner_id,
    application_id: null,
    region: 'deprecated',
    afk_channel_id: g.afk_channel_id,
    afk_timeout: g.afk_timeout,
    system_channel_id: g.system_channel_id,
    system_channel_flags: g.system_channel_flags,
    widget_enabled: g.widget_enabled,
    widget_channel_id: g.widget_channel_id,
    verification_level: g.verification_level,
    roles: sortedRoles(guild),
    default_message_notifications: g.default_message_notifications,
    mfa_level: g.mfa_level,
    explicit_content_filter: g.explicit_content_filter,
    max_presences: null,
    max_members: 500000,
    max_stage_video_channel_users: 50,
    max_video_channel_users: 25,
    vanity_url_code: g.vanity_url_code,
    premium_tier: g.premium_tier,
    premium_subscription_count: g.premium_subscription_count,
    preferred_locale: g.preferred_locale,
    rules_channel_id: g.rules_channel_id,
    safety_alerts_channel_id: g.safety_alerts_channel_id,
    public_updates_channel_id: g.public_updates_channel_id,
    premium_progress_bar_enabled: g.premium_progress_bar_enabled,
    nsfw: false,
    nsfw_level: g.nsfw_level,
    emojis: [...guild.emojis.values()],
    stickers: [...guild.stickers.values()],
    incidents_data: null,
  };
  if (withCounts) {
    out.approximate_member_count = guild.members.size;
    out.approximate_presence_count = Math.round(guild.members.size * 0.3);
  }
  return out;
}

export function sortedRoles(guild: GuildState) {
  return [...guild.roles.values()].sort((a, b) => a.position - b.position || (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}
