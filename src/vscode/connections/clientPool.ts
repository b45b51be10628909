import type * as vscode from 'vscode';
import type { APIUser } from 'discord-api-types/v10';
import { DiscordClient, GuildVaultError, verifyToken, type BotAccess, type RateLimitedEvent, type RetryEvent } from '../engine';
import type { Log } from '../log/log';
import { readSettings } from '../settings/settings';
import type { Connection } from './connection';
import type { ConnectionStore } from './connectionStore';

/**
 * One DiscordClient per connection, kept for the session so its rate-limit
 * state (buckets, global budget) is shared by every job of that bot.
 */
export class ClientPool implements vscode.Disposable {
  private readonly clients = new Map<string, { key: string; client: DiscordClient }>();

  constructor(
    private readonly connections: ConnectionStore,
    private readonly log: Log,
  ) {}

  async clientFor(connection: Connection): Promise<DiscordClient> {
    const { token, apiBaseUrl, cdnBaseUrl } = await this.botFor(connection);
    // The key changes when the token or address does, so a stale client is never reused.
    const key = `${apiBaseUrl}\n${cdnBaseUrl ?? ''}\n${token}`;
    const cached = this.clients.get(connection.id);
    if (cached?.key === key) return cached.client;
    cached?.client.dispose();
    const client = new DiscordClient({ token, apiBaseUrl, cdnBaseUrl });
    this.watch(connection, client);
    this.clients.set(connection.id, { key, client });
    return client;
  }

  /** What a job worker needs to talk to Discord as this bot (the token goes to the worker by message only). */
  async botFor(connection: Connection): Promise<BotAccess> {
    const token = await this.connections.token(connection.id);
    if (!token) {
      throw new GuildVaultError('INVALID_TOKEN', `The token of ${connection.name} is no longer in VS Code's secret storage.`, 'Connect the bot token again (Guild Vault: Connect Bot Token).');
    }
    return { token, apiBaseUrl: connection.apiBaseUrl ?? readSettings().apiBaseUrl, cdnBaseUrl: connection.cdnBaseUrl };
  }

  forget(connectionId: string): void {
    this.clients.get(connectionId)?.client.dispose();
    this.clients.delete(connectionId);
  }

  /** Stops the clients' timers (the REST library sweeps its buckets on an interval). */
  dispose(): void {
    for (const { client } of this.clients.values()) client.dispose();
    this.clients.clear();
  }

  /**
   * Checks a token before anything is stored: GET /users/@me. A bad token
   * throws the client's INVALID_TOKEN error, an unreachable API API_UNREACHABLE.
   */
  async verify(token: string, apiBaseUrl: string, cdnBaseUrl?: string): Promise<APIUser> {
    this.log.redactor.add(token);
    // No retries: a wrong address should fail now, not after backing off.
    const client = new DiscordClient({ token, apiBaseUrl, cdnBaseUrl, retries: 0 });
    try {
      return await verifyToken(client);
    } finally {
      client.dispose();
    }
  }

  private watch(connection: Connection, client: DiscordClient): void {
    client.events.on('rateLimited', (event: RateLimitedEvent) => {
      this.log.debug(`${connection.name}: rate limited on ${event.method} ${event.route} for ${event.waitMs} ms${event.global ? ' (global)' : ''}${event.scope ? ` scope ${event.scope}` : ''}`);
    });
    client.events.on('retry', (event: RetryEvent) => {
      this.log.info(`${connection.name}: retrying ${event.method} ${event.route} (attempt ${event.attempt}: ${event.reason})`);
    });
  }
}
