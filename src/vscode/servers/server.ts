/** A server (guild) as the UI knows it: from a connection's guild list, or from a vault on disk. */
export interface ServerRef {
  guildId: string;
  name: string;
  /** The connection that can reach it; absent for a vault with no connected bot (offline). */
  connectionId?: string;
  /**
   * Set when the tree shows this server a second time, under another bot in it too: its nodes'
   * ids then carry it, since a tree's ids must be unique.
   */
  treeScope?: string;
}

/** The guild part of a tree node id: "<guildId>", or "<scope>/<guildId>" for a repeated server. */
export function treeKey(server: ServerRef): string {
  return server.treeScope ? `${server.treeScope}/${server.guildId}` : server.guildId;
}

export function isServerRef(value: unknown): value is ServerRef {
  return typeof value === 'object' && value !== null && typeof (value as ServerRef).guildId === 'string';
}
