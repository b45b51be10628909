/**
 * The bot invite link Guild Vault offers after connecting a bot that is in no
 * server. It asks only for what reading a full backup needs.
 */
export const BACKUP_PERMISSIONS: Readonly<Record<string, bigint>> = {
  BAN_MEMBERS: 1n << 2n, // the ban list
  MANAGE_GUILD: 1n << 5n, // auto-moderation rules, integrations
  VIEW_CHANNEL: 1n << 10n, // channels and their messages
  READ_MESSAGE_HISTORY: 1n << 16n, // without it message lists come back empty
  MANAGE_WEBHOOKS: 1n << 29n, // webhooks
  MANAGE_THREADS: 1n << 34n, // archived private threads
};

export function backupPermissionBits(): bigint {
  return Object.values(BACKUP_PERMISSIONS).reduce((all, bit) => all | bit, 0n);
}

export function botInviteUrl(botId: string): string {
  const query = new URLSearchParams({ client_id: botId, scope: 'bot', permissions: backupPermissionBits().toString() });
  return `https://discord.com/oauth2/authorize?${query}`;
}
