import { BOT_PERMISSIONS } from './botPermissions';

/**
 * The bot invite link Guild Vault offers after connecting a bot that is in no
 * server: Discord's OAuth2 authorize URL asking only for what reading a full
 * backup needs (BOT_PERMISSIONS' backup ones: nothing that writes messages,
 * not Administrator).
 */
export function backupPermissionBits(): bigint {
  return BOT_PERMISSIONS.filter((p) => p.use === 'backup').reduce((all, p) => all | p.flag, 0n);
}

export function botInviteUrl(botId: string): string {
  const query = new URLSearchParams({ client_id: botId, scope: 'bot', permissions: backupPermissionBits().toString() });
  return `https://discord.com/oauth2/authorize?${query}`;
}
