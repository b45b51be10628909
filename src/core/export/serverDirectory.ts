import { createHash } from 'node:crypto';
import { TranscriptNames } from '../archive/transcript';
import { loadState, latestSnapshotId } from '../snapshots/chain';
import type { NodeData } from '../snapshots/types';
import type { Vault } from '../vault';
import type { MediaLinker } from './mediaLinker';
import { imageExtension } from '../discord/cdnFormats';

export interface ExportRole {
  id: string;
  name: string;
  /** '#rrggbb', or null for roles without a colour. */
  color: string | null;
  /** Higher is more important (Discord's order, @everyone 0). */
  position: number;
}

/** A message author or mentioned user as an export shows them (privacy applied). */
export interface ExportUser {
  id: string;
  /** The account name (username), or the alias. */
  name: string;
  /** What Discord shows: nickname, else display name, else username; or the alias. */
  displayName: string;
  discriminator: string;
  isBot: boolean;
  /** The colour of their highest coloured role, '#rrggbb'. */
  color: string | null;
  roles: ExportRole[];
  /** Resolved avatar (local path or URL), or null for the default avatar. */
  avatarUrl: string | null;
}

const USER_CACHE_LIMIT = 20_000;

/**
 * Who and what an export names: the server, its roles and member colours (from
 * the newest structure snapshot), authors (from the archive) and the names that
 * mentions stand for. With privacy aliases on, every person is an alias, has no
 * avatar and a pseudonymous id, so nothing in the export names who was meant.
 */
export class ServerDirectory {
  readonly guildId: string;
  readonly guildName: string;
  readonly guildIconUrl: string | null;
  readonly names: TranscriptNames;
  private readonly roles = new Map<string, ExportRole>();
  private readonly members = new Map<string, { roles: string[]; nick?: string }>();
  private readonly channelTopics = new Map<string, string>();
  private readonly users = new Map<string, ExportUser>();
  private readonly lookupUser;

  constructor(
    private readonly vault: Vault,
    private readonly media: MediaLinker,
    readonly aliases: boolean,
  ) {
    this.names = new TranscriptNames(vault, aliases);
    this.lookupUser = vault.db.prepare('SELECT username, global_name, bot, avatar, raw FROM users WHERE id = ?');
    const snapshotId = latestSnapshotId(vault);
    const state = snapshotId === undefined ? undefined : loadState(vault, snapshotId);
    this.guildId = vault.getMeta('guild_id') ?? state?.guildId ?? '0';
    const guild = state?.nodes.get('guild')?.get(this.guildId);
    this.guildName = typeof guild?.name === 'string' ? guild.name : (vault.getMeta('guild_name') ?? `Server ${this.guildId}`);
    const icon = typeof guild?.icon === 'string' ? guild.icon : undefined;
    this.guildIconUrl = icon ? media.resolve({ ownerKind: 'guild', ownerId: this.guildId, slot: `icon:${icon}` }, `icon.${imageExtension(icon)}`, null) : null;
    const order = (state?.nodes.get('role_order')?.get('roles')?.ids as string[] | undefined) ?? [];
    for (const [id, role] of state?.nodes.get('role') ?? []) {
      const index = order.indexOf(id);
      this.roles.set(id, {
        id,
        name: String(role.name ?? id),
        color: hexColor(role.color),
        position: index < 0 ? (typeof role.position === 'number' ? role.position : 0) : order.length - index,
      });
    }
    for (const [id, member] of state?.nodes.get('member') ?? []) {
      this.members.set(id, { roles: (member.roles as string[] | undefined) ?? [], nick: typeof member.nick === 'string' ? member.nick : undefined });
    }
    for (const [id, channel] of state?.nodes.get('channel') ?? []) if (typeof channel.topic === 'string' && channel.topic) this.channelTopics.set(id, channel.topic);
  }

  role(id: string): ExportRole | undefined {
    return this.roles.get(id);
  }

  roleName(id: string): string {
    return this.roles.get(id)?.name ?? this.names.roleName(id);
  }

  topic(channelId: string): string | null {
    return this.channelTopics.get(channelId) ?? null;
  }

  /** The id a reader sees: the real one, or a stable pseudonym with aliases on. */
  userId(id: string): string {
    return this.aliases ? pseudonymousId(id) : id;
  }

  user(id: string | null, fallback?: NodeData): ExportUser {
    const key = id ?? '0';
    let user = this.users.get(key);
    if (!user) {
      if (this.users.size >= USER_CACHE_LIMIT) this.users.clear();
      user = this.load(id, fallback);
      this.users.set(key, user);
    }
    return user;
  }

  private load(id: string | null, fallback?: NodeData): ExportUser {
    if (!id) return { id: '0', name: 'Unknown', displayName: 'Unknown', discriminator: '0000', isBot: false, color: null, roles: [], avatarUrl: null };
    const row = this.lookupUser.get(id) as { username: string; global_name: string | null; bot: number; avatar: string | null; raw: string } | undefined;
    const raw = row ? (JSON.parse(row.raw) as NodeData) : (fallback ?? {});
    const member = this.members.get(id);
    const roles = (member?.roles ?? []).map((r) => this.roles.get(r)).filter((r): r is ExportRole => r !== undefined).sort((a, b) => b.position - a.position);
    const color = roles.find((r) => r.color)?.color ?? null;
    const isBot = row ? row.bot === 1 : raw.bot === true;
    const discriminator = typeof raw.discriminator === 'string' && raw.discriminator !== '0' ? raw.discriminator : '0000';
    if (this.aliases) {
      const alias = this.names.of(id);
      return { id: pseudonymousId(id), name: alias, displayName: alias, discriminator: '0000', isBot, color, roles, avatarUrl: null };
    }
    const username = row?.username ?? (typeof raw.username === 'string' ? raw.username : `user ${id}`);
    const globalName = row?.global_name ?? (typeof raw.global_name === 'string' ? raw.global_name : null);
    const avatar = row?.avatar ?? (typeof raw.avatar === 'string' ? raw.avatar : null);
    const avatarUrl = avatar
      ? this.media.resolve({ ownerKind: 'avatar', ownerId: id, slot: avatar }, `avatar.${imageExtension(avatar)}`, null)
      : null;
    return { id, name: username, displayName: member?.nick ?? globalName ?? username, discriminator, isBot, color, roles, avatarUrl };
  }

  /**
   * A digest of everything outside a channel that its pages show (names, avatars,
   * roles, the server): when it changes, every page is rewritten.
   */
  digest(): string {
    const hash = createHash('sha256');
    hash.update(`${this.guildName}\0${this.guildIconUrl ?? ''}\0${this.aliases}\0`);
    for (const role of this.roles.values()) hash.update(`${role.id}:${role.name}:${role.color}:${role.position}\0`);
    for (const [id, m] of this.members) hash.update(`${id}:${m.nick ?? ''}:${m.roles.join(',')}\0`);
    for (const row of this.vault.db.prepare('SELECT CAST(id AS TEXT) AS id, username, global_name, avatar, bot FROM users ORDER BY id').iterate() as Iterable<Record<string, unknown>>) {
      hash.update(`${row.id}:${row.username}:${row.global_name ?? ''}:${row.avatar ?? ''}:${row.bot}\0`);
    }
    for (const row of this.vault.db.prepare('SELECT CAST(id AS TEXT) AS id, name FROM archive_channels ORDER BY id').iterate() as Iterable<Record<string, unknown>>) {
      hash.update(`${row.id}:${row.name}\0`);
    }
    return hash.digest('hex');
  }
}

/** '#rrggbb' for a Discord colour integer; null for 0 (no colour) or anything else. */
export function hexColor(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > 0xffffff) return null;
  return `#${value.toString(16).padStart(6, '0')}`;
}

/** A stable 18-digit stand-in for a user id, so aliased exports still tell authors apart. */
export function pseudonymousId(id: string): string {
  const digest = createHash('sha256').update(`guild-vault-alias-id:${id}`).digest();
  return (digest.readBigUInt64BE(0) % 900000000000000000n + 100000000000000000n).toString();
}
