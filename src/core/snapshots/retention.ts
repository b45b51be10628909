/** Snapshots kept per server unless the user says otherwise (setting guildVault.snapshots.retention). */
export const DEFAULT_RETENTION = 30;
