import { PermissionFlagsBits } from 'discord-api-types/v10';

/**
 * The one list of server-wide permissions Guild Vault wants for its bot: the
 * invite link asks for the backup ones, the health check verifies them all,
 * and README's bot-permissions table says the same (a test compares them).
 */
export interface BotPermission {
  flag: bigint;
  /** As Discord's role settings show it: "Ban Members". */
  label: string;
  /** backup: the invite asks for it; restore: only a restore into the server needs it (the invite reads, it never writes). */
  use: 'backup' | 'restore';
  /** How the health check rates lacking it: error when messages or channels go unread. */
  severity: 'error' | 'warning' | 'info';
  /** Why the bot wants it. */
  reason: string;
  /** What lacking it costs, as the health check reports it. */
  cost: string;
}

/** In the order a user should fix them. */
export const BOT_PERMISSIONS: readonly BotPermission[] = [
  {
    flag: PermissionFlagsBits.ViewChannel,
    label: 'View Channels',
    use: 'backup',
    severity: 'error',
    reason: 'see channels and read their messages',
    cost: 'the bot sees no channels: neither messages nor channel details are backed up',
  },
  {
    flag: PermissionFlagsBits.ReadMessageHistory,
    label: 'Read Message History',
    use: 'backup',
    severity: 'error',
    reason: 'without it message lists come back empty (reported, not archived as empty)',
    cost: 'message history is not backed up (Discord answers with empty lists, not an error)',
  },
  { flag: PermissionFlagsBits.BanMembers, label: 'Ban Members', use: 'backup', severity: 'warning', reason: 'read the ban list for snapshots', cost: 'bans are not backed up' },
  {
    flag: PermissionFlagsBits.ManageGuild,
    label: 'Manage Server',
    use: 'backup',
    severity: 'warning',
    reason: 'auto-moderation rules, the welcome screen, onboarding',
    cost: 'auto-moderation rules, the welcome screen and onboarding are not backed up',
  },
  { flag: PermissionFlagsBits.ManageWebhooks, label: 'Manage Webhooks', use: 'backup', severity: 'warning', reason: 'webhooks in snapshots', cost: 'webhooks are not backed up' },
  { flag: PermissionFlagsBits.ManageThreads, label: 'Manage Threads', use: 'backup', severity: 'warning', reason: 'archived private threads', cost: 'private archived threads are not backed up' },
  {
    flag: PermissionFlagsBits.ManageRoles,
    label: 'Manage Roles',
    use: 'restore',
    severity: 'info',
    reason: 'a restore recreates roles and sets permission overwrites',
    cost: 'a restore could not recreate roles or set overwrites (backups are unaffected)',
  },
  {
    flag: PermissionFlagsBits.ManageChannels,
    label: 'Manage Channels',
    use: 'restore',
    severity: 'info',
    reason: 'a restore recreates channels',
    cost: 'a restore could not recreate channels (backups are unaffected)',
  },
];
