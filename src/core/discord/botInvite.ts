import { PermissionFlagsBits } from 'discord-api-types/v10';

/**
 * The bot invite link Guild Vault offers after connecting a bot that is in no
 * server: Discord's OAuth2 authorize URL asking only for what reading a full
 * backup needs (nothing that writes messages, not Administrator).
 */
export const BACKUP_PERMISSIONS: Readonly<Record<string, bigint>> = {
  BAN_MEMBERS: PermissionFlagsBits.BanMembers, // the ban list
  MANAGE_GUILD: PermissionFlagsBits.ManageGuild, // auto-moderation rules, integrations
  VIEW_CHANNEL: PermissionFlagsBits.ViewChannel, // channels and their messages
  READ_MESSAGE_HISTORY: PermissionFlagsBits.ReadMessageHistory, // without it message lists come back empty
  MANAGE_WEBHOOKS: PermissionFlagsBits.ManageWebhooks, // webhooks
  MANAGE_THREADS: PermissionFlagsBits.ManageThreads, // archived private threads
};

export function backupPermissionBits(): bigint {
  return Object.values(BACKUP_PERMISSIONS).reduce((all, bit) => all | bit, 0n);
}

export function botInviteUrl(botId: string): string {
  const query = new URLSearchParams({ client_id: botId, scope: 'bot', permissions: backupPermissionBits().toString() });
  return `https://discord.com/oauth2/authorize?${query}`;
}
