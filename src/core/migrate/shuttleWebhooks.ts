import type { DiscordClient, Route } from '../discord';
import { apiRoute } from '../discord/apiRoute';
import { GuildVaultError } from '../errors';
import { MIGRATION_WEBHOOK_NAME } from './webhookNames';

type Json = Record<string, any>;

export interface ShuttleWebhook {
  id: string;
  /** Kept in memory only: a webhook token is a credential and never goes into the vault or a log. */
  token: string;
  channelId: string;
}

/** Execute Webhook's route; the token (from Discord, untrusted like any of its input) must look like one. */
export function executeRoute(hook: ShuttleWebhook): Route {
  if (!/^[\w-]{1,200}$/.test(hook.token)) throw new GuildVaultError('INVALID_ARGUMENT', `Refused to use webhook ${hook.id}: its token is malformed.`, 'Delete the "Guild Vault Shuttle" webhook of that channel; the next run makes a new one.');
  return `${apiRoute`/webhooks/${hook.id}`}/${hook.token}` as Route;
}

/**
 * The webhook the migration posts through in each target channel: found by
 * its name and owner (the bot) when an earlier run made it, created
 * otherwise, and made again when someone deletes it mid-run. Its token comes
 * from Discord each run (the bot may read the tokens of its own webhooks).
 */
export class ShuttleWebhooks {
  private readonly byChannel = new Map<string, Promise<ShuttleWebhook>>();

  constructor(
    private readonly client: DiscordClient,
    private readonly botId: string,
    private readonly signal?: AbortSignal,
  ) {}

  get(channelId: string): Promise<ShuttleWebhook> {
    let hook = this.byChannel.get(channelId);
    if (!hook) {
      hook = this.findOrCreate(channelId);
      this.byChannel.set(channelId, hook);
      hook.catch(() => this.byChannel.delete(channelId));
    }
    return hook;
  }

  /** Ids of the webhooks this run posts through (a message of one of them is ours). */
  async ids(): Promise<Set<string>> {
    const out = new Set<string>();
    for (const hook of this.byChannel.values()) out.add((await hook.catch(() => undefined))?.id ?? '');
    return out;
  }

  /** The webhook was deleted (404 Unknown Webhook): the next get() makes a new one. */
  forget(channelId: string): void {
    this.byChannel.delete(channelId);
  }

  private async findOrCreate(channelId: string): Promise<ShuttleWebhook> {
    const existing = await this.client.get<Json[]>(apiRoute`/channels/${channelId}/webhooks`, { signal: this.signal });
    const ours = existing.find((w) => w.name === MIGRATION_WEBHOOK_NAME && w.type === 1 && w.user?.id === this.botId && typeof w.token === 'string');
    if (ours) return { id: String(ours.id), token: String(ours.token), channelId };
    const made = await this.client.post<Json>(apiRoute`/channels/${channelId}/webhooks`, { body: { name: MIGRATION_WEBHOOK_NAME }, reason: 'Guild Vault: message migration', signal: this.signal });
    return { id: String(made.id), token: String(made.token), channelId };
  }
}
