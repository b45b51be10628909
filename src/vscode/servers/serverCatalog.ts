import { describeError, listBotGuilds, type BotGuild } from '../engine';
import type { ClientPool } from '../connections/clientPool';
import type { Connection } from '../connections/connection';
import type { ConnectionStore } from '../connections/connectionStore';
import type { Log } from '../log/log';
import type { VaultAccess } from '../vaults/vaultAccess';
import type { ServerRef } from './server';
import { plural } from '../../core/text';
import { inertLinks } from '../../presentation/notificationText';

export type GuildList = { ok: true; guilds: BotGuild[] } | { ok: false; error: string };

/**
 * Which servers exist: each connection's guilds (GET /users/@me/guilds,
 * cached until Refresh) and the vaults on disk. A vault no connection can
 * reach is an offline server: still browsable, not backed up.
 */
export class ServerCatalog {
  private readonly guildLists = new Map<string, Promise<GuildList>>();

  constructor(
    private readonly connections: ConnectionStore,
    private readonly clients: ClientPool,
    private readonly vaults: VaultAccess,
    private readonly log: Log,
  ) {}

  /** Forget cached guild lists (Refresh, connection changes). */
  invalidate(connectionId?: string): void {
    if (connectionId) this.guildLists.delete(connectionId);
    else this.guildLists.clear();
  }

  guildsOf(connection: Connection): Promise<GuildList> {
    let list = this.guildLists.get(connection.id);
    if (!list) {
      list = this.fetchGuilds(connection);
      this.guildLists.set(connection.id, list);
    }
    return list;
  }

  /** Every server: reachable ones (first connection wins) then offline vaults. */
  async allServers(): Promise<ServerRef[]> {
    const servers: ServerRef[] = [];
    const seen = new Set<string>();
    for (const connection of this.connections.list()) {
      const list = await this.guildsOf(connection);
      if (!list.ok) continue;
      for (const guild of list.guilds) {
        if (seen.has(guild.id)) continue;
        seen.add(guild.id);
        servers.push({ guildId: guild.id, name: guild.name, connectionId: connection.id });
      }
    }
    return [...servers, ...this.offlineServers(seen)];
  }

  /** Guilds that connections listed before `connectionId` already reach (the tree shows a server once per bot). */
  async guildsOfEarlierConnections(connectionId: string): Promise<Set<string>> {
    const seen = new Set<string>();
    for (const connection of this.connections.list()) {
      if (connection.id === connectionId) break;
      const list = await this.guildsOf(connection);
      if (list.ok) for (const guild of list.guilds) seen.add(guild.id);
    }
    return seen;
  }

  /** Vaults on disk whose server no connection lists. */
  offlineServers(reachable: ReadonlySet<string>): ServerRef[] {
    let ids: string[];
    try {
      ids = this.vaults.guildIds();
    } catch (error) {
      this.log.warn(`Cannot list the vault folder: ${describeError(error)}`);
      return [];
    }
    return ids.filter((id) => !reachable.has(id)).map((guildId) => ({ guildId, name: this.vaults.guildName(guildId) ?? `Server ${guildId}` }));
  }

  /** The current view of one server (which connection reaches it, if any). */
  async find(guildId: string): Promise<ServerRef | undefined> {
    return (await this.allServers()).find((server) => server.guildId === guildId);
  }

  private async fetchGuilds(connection: Connection): Promise<GuildList> {
    try {
      const client = await this.clients.clientFor(connection);
      // Names reach notifications, which render [label](command:...) as a link that runs: made inert here, once.
      const guilds = (await listBotGuilds(client)).map((guild) => ({ ...guild, name: inertLinks(guild.name) }));
      this.log.info(`${connection.name}: ${plural(guilds.length, 'server')}`);
      return { ok: true, guilds };
    } catch (error) {
      this.log.warn(`${connection.name}: cannot list servers: ${describeError(error)}`);
      // Not cached as a failure forever: the next refresh tries again.
      return { ok: false, error: describeError(error) };
    }
  }
}
