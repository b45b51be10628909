/** A server (guild) as the UI knows it: from a connection's guild list, or from a vault on disk. */
export interface ServerRef {
  guildId: string;
  name: string;
  /** The connection that can reach it; absent for a vault with no connected bot (offline). */
  connectionId?: string;
}

export function isServerRef(value: unknown): value is ServerRef {
  return typeof value === 'object' && value !== null && typeof (value as ServerRef).guildId === 'string';
}
