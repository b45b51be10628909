import { mentionLabel } from '../discord/channelLabel';
import { SNOWFLAKE_PATTERN } from '../discord/snowflake';

/**
 * Rewrites a message's text for the target server: mentions of roles and
 * channels to the target's ids where the migration made them (named by
 * mentionLabel where not), users to plain names (a user id would show a stranger, or the
 * real person when privacy aliases are on), custom emojis to the re-created
 * ones, links to source-server messages to their migrated copies, and
 * @everyone / @here defused. Nothing here can ping: the webhook call also
 * sends allowed_mentions with nothing to parse.
 */
export interface RewriteContext {
  sourceGuildId: string;
  targetGuildId: string;
  userName(userId: string): string;
  roleTarget(roleId: string): string | undefined;
  roleName(roleId: string): string | undefined;
  channelTarget(channelId: string): string | undefined;
  /** A source channel or thread the archive holds. */
  channel(channelId: string): { name: string; type: number } | undefined;
  emojiTarget(emojiId: string): string | undefined;
  messageTarget(messageId: string): string | undefined;
}

const ZERO_WIDTH_SPACE = '\u200b';
const ID = `(${SNOWFLAKE_PATTERN})`;
const MESSAGE_LINK = new RegExp(String.raw`https?://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/channels/${ID}/${ID}(?:/${ID})?`, 'g');
const USER_MENTION = new RegExp(`<@!?${ID}>`, 'g');
const ROLE_MENTION = new RegExp(`<@&${ID}>`, 'g');
const CHANNEL_MENTION = new RegExp(`<#${ID}>`, 'g');
const CUSTOM_EMOJI = new RegExp(String.raw`<(a?):([\w~-]{1,32}):${ID}>`, 'g');

export function jumpLink(guildId: string, channelId: string, messageId?: string): string {
  return `https://discord.com/channels/${guildId}/${channelId}${messageId ? `/${messageId}` : ''}`;
}

export function rewriteContent(text: string, ctx: RewriteContext): string {
  if (!text) return text;
  return text
    .replace(MESSAGE_LINK, (whole, guildId: string, channelId: string, messageId: string | undefined) => {
      if (guildId !== ctx.sourceGuildId) return whole;
      const channel = ctx.channelTarget(channelId);
      if (!channel) return whole;
      if (!messageId) return jumpLink(ctx.targetGuildId, channel);
      const message = ctx.messageTarget(messageId);
      return message ? jumpLink(ctx.targetGuildId, channel, message) : whole;
    })
    .replace(USER_MENTION, (_, id: string) => `@${ctx.userName(id)}`)
    .replace(ROLE_MENTION, (_, id: string) => {
      const target = ctx.roleTarget(id);
      return target ? `<@&${target}>` : `@${ctx.roleName(id) ?? 'deleted-role'}`;
    })
    .replace(CHANNEL_MENTION, (_, id: string) => {
      const target = ctx.channelTarget(id);
      return target ? `<#${target}>` : mentionLabel(ctx.channel(id), id);
    })
    .replace(CUSTOM_EMOJI, (_, animated: string, name: string, id: string) => {
      const target = ctx.emojiTarget(id);
      return target ? `<${animated}:${name}:${target}>` : `:${name}:`;
    })
    .replace(/@(everyone|here)/g, `@${ZERO_WIDTH_SPACE}$1`);
}
