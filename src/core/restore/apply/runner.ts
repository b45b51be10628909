import type { DiscordClient } from '../../discord/discordClient';
import { MediaPool } from '../../media';
import type { Vault } from '../../vault';
import { mappedId, recordMapping, type MappedKind } from '../idMap';
import type { RestoreAction, RestorePlan } from '../types';

type Json = Record<string, unknown>;

/** An action that cannot run now, with the reason (reported as skipped, not failed). */
export class Skip extends Error {}

/** What the executors share: the plan, how source ids become target ids, and the media pool. */
export class Runner {
  private readonly pool: MediaPool;
  private readonly parents = new Map<string, Json>();

  constructor(
    readonly vault: Vault,
    readonly client: DiscordClient,
    readonly plan: RestorePlan,
    readonly signal: AbortSignal | undefined,
  ) {
    this.pool = new MediaPool(vault);
  }

  get guild(): string {
    return this.plan.targetGuildId;
  }

  /**
   * An id_map entry that is not known to be stale: one the planner saw alive,
   * or one written since the plan was made (by this run, or by a run of the
   * same plan that was cancelled).
   */
  freshMapping(kind: MappedKind, sourceId: string): string | undefined {
    const mapped = mappedId(this.vault, kind, sourceId, this.guild);
    return mapped && mapped !== this.plan.staleMappings[kind]?.[sourceId] ? mapped : undefined;
  }

  /** The target id of a snapshot object: @everyone, matched, or created (id_map). */
  resolve(kind: MappedKind, sourceId: string): string | undefined {
    if (kind === 'role' && sourceId === this.plan.sourceGuildId) return this.guild;
    const matched = kind === 'role' || kind === 'channel' ? this.plan.matches[kind][sourceId] : undefined;
    return matched ?? this.freshMapping(kind, sourceId);
  }

  require(kind: MappedKind, sourceId: string, label: string): string {
    const id = this.resolve(kind, sourceId);
    if (!id) throw new Skip(`${label} does not exist in the target (it was not created)`);
    return id;
  }

  /** Skips a create that an earlier run of this plan already did (after a cancel or crash). */
  skipIfCreated(kind: MappedKind, action: RestoreAction): void {
    const existing = this.freshMapping(kind, action.sourceId!);
    if (existing) throw new Skip(`already created by an earlier run (${existing})`);
  }

  record(kind: MappedKind, sourceId: string, targetId: string): void {
    recordMapping(this.vault, kind, sourceId, this.guild, targetId);
  }

  /** A stored image as the data URI Discord's JSON routes take. */
  dataUri(sha256: string, fallbackType = 'image/png'): string {
    const row = this.vault.db.prepare('SELECT content_type FROM media WHERE sha256 = ?').get(sha256) as { content_type: string | null } | undefined;
    const type = /^image\/(png|jpeg|gif|webp)$/.test(row?.content_type ?? '') ? row!.content_type! : fallbackType;
    return `data:${type};base64,${this.pool.read(sha256).toString('base64')}`;
  }

  file(sha256: string): Buffer {
    return this.pool.read(sha256);
  }

  /** A target channel as the API shows it now (forum tags), read once per run. */
  async channel(id: string, read: () => Promise<Json>): Promise<Json> {
    if (!this.parents.has(id)) this.parents.set(id, await read());
    return this.parents.get(id)!;
  }

  reason(): string {
    return `Guild Vault: restore of snapshot #${this.plan.snapshotId}`;
  }
}
