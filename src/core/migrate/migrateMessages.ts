import { DEFAULTS } from '../defaults';
import { isDiscordApiError, type DiscordClient } from '../discord';
import { apiRoute } from '../discord/apiRoute';
import { channelLabel } from '../discord/channelLabel';
import { describeError, isGuildVaultError } from '../errors';
import { endsJob, Job } from '../job';
import { MediaPool } from '../media';
import { ensureAlias } from '../privacy/aliases';
import { latestSnapshotId, loadState } from '../snapshots';
import type { Vault } from '../vault';
import type { ArchivedChannel, ArchivedMessage } from './archiveSource';
import { ChannelPacer } from './channelPacer';
import { buildPayload, type PayloadContext, type WebhookPayload } from './messagePayload';
import { DEFAULT_PER_CHANNEL_PER_MINUTE, planMigration, type MigrationSetup } from './planMigration';
import { executeRoute, ShuttleWebhooks } from './shuttleWebhooks';
import type { MigrateChannelPlan, MigrateOptions, MigrateReport } from './types';
import { compareSnowflakes } from '../discord/snowflake';
import { ChannelType } from 'discord-api-types/v10';
import { isThread } from '../discord/channelKinds';
import { imageExtension } from '../discord/cdnFormats';
import { formatCount, plural } from '../text';

type Json = Record<string, any>;

/** Where a message goes: a channel, a thread of it, or a new forum post. */
interface Destination {
  /** The target channel the webhook belongs to. */
  channelId: string;
  threadId?: string;
  /** A forum post not created yet: the first message opens it. */
  newPost?: { source: ArchivedChannel; tags: string[] };
  /** Source channel or thread label, for the report. */
  label: string;
}

/** The thread or channel is gone from the target (404 on it): the rest of its messages cannot go. */
class DestinationGone extends Error {}

const GENERATED_AVATARS = 6;

/**
 * Replays the archived messages of this vault's server into another server
 * (`targetGuildId`), after its structure was restored there: one webhook per
 * target channel, messages in their original order with their author's name
 * and avatar (or privacy alias), original time, files, embeds, replies as
 * links, threads and forum posts recreated, pins re-pinned. Every sent
 * message is recorded at once, so a run stopped in any way continues where it
 * stopped and sends nothing twice.
 */
export async function migrateMessages(vault: Vault, client: DiscordClient, options: MigrateOptions, job: Job = new Job()): Promise<MigrateReport> {
  const started = Date.now();
  const setup = options.planned ?? (await planMigration(vault, client, options, job));
  const run = new MigrationRun(vault, client.forJob(job), setup, options, job);
  try {
    return await run.execute(started);
  } catch (error) {
    throw job.failure(error);
  }
}


class MigrationRun {
  private readonly pool: MediaPool;
  private readonly hooks: ShuttleWebhooks;
  private readonly pacer: ChannelPacer;
  private readonly ctx: PayloadContext;
  private readonly report: MigrateReport = { summary: '', sent: 0, alreadySent: 0, recoveredInFlight: 0, threadsCreated: 0, pinned: 0, skippedSystem: 0, filesAsNotes: 0, failed: [], problems: [], durationMs: 0 };
  private readonly signal: AbortSignal | undefined;
  private channelsDone = 0;
  private sentAt: number[] = [];
  private current = '';

  constructor(
    private readonly vault: Vault,
    private readonly client: DiscordClient,
    private readonly setup: MigrationSetup,
    private readonly options: MigrateOptions,
    private readonly job: Job,
  ) {
    this.signal = job.signal;
    this.pool = new MediaPool(vault);
    this.hooks = new ShuttleWebhooks(client, setup.botId, job.signal);
    this.pacer = new ChannelPacer(options.messagesPerChannelPerMinute ?? DEFAULT_PER_CHANNEL_PER_MINUTE);
    this.ctx = this.payloadContext();
  }

  async execute(started: number): Promise<MigrateReport> {
    const { plan } = this.setup;
    for (const problem of plan.problems) this.job.log('warn', problem);
    for (const c of plan.channels) if (c.problem) this.channelFailed(c, c.problem);
    const work = plan.channels.filter((c) => !c.problem);
    const queue = [...work];
    const workers = Array.from({ length: Math.min(this.options.concurrency ?? DEFAULTS.migrationConcurrency.value, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        this.current = next.label;
        try {
          await this.migrateChannel(next);
        } catch (error) {
          if (endsJob(error)) throw error;
          // One channel that cannot be written (no access, no webhook) does not stop the others.
          this.channelFailed(next, describeError(error));
        }
        this.channelsDone++;
        this.progress();
      }
    });
    // One worker's cancel or fatal error stops the others at their next message.
    await Promise.all(workers);
    const r = this.report;
    r.durationMs = Date.now() - started;
    r.summary =
      `${plural(r.sent, 'message')} sent to ${plan.targetName}` +
      (r.alreadySent ? `, ${formatCount(r.alreadySent)} already there` : '') +
      (r.recoveredInFlight ? ` (${formatCount(r.recoveredInFlight)} found after an interrupted send)` : '') +
      (r.threadsCreated ? `, ${plural(r.threadsCreated, 'thread')} created` : '') +
      (r.pinned ? `, ${formatCount(r.pinned)} pinned` : '') +
      (r.filesAsNotes ? `, ${plural(r.filesAsNotes, 'file')} as notes` : '') +
      (r.failed.length ? `, ${formatCount(r.failed.length)} could not go` : '');
    return r;
  }

  // ---- channels ----

  private async migrateChannel(channel: MigrateChannelPlan): Promise<void> {
    const source = this.setup.channels.get(channel.sourceId)!;
    const targetId = channel.targetId!;
    const selectedSelf = !this.options.channelIds || this.options.channelIds.includes(channel.sourceId);
    if (channel.kind === 'text' && selectedSelf) {
      await this.sendAll(source, { channelId: targetId, label: channel.label });
      await this.repin(source, targetId);
    }
    for (const thread of this.setup.threadsOf.get(channel.sourceId) ?? []) {
      this.job.throwIfStopped();
      const label = `${channel.label} › ${thread.name}`;
      try {
        const dest = await this.threadDestination(channel, thread, targetId, label);
        if (!dest) continue;
        const sent = await this.sendAll(thread, dest);
        const threadId = this.setup.map.target('thread', thread.id);
        if (!threadId) continue;
        await this.repin(thread, threadId);
        if (sent > 0 && thread.raw.thread_metadata?.archived) await this.archive(threadId, Boolean(thread.raw.thread_metadata?.locked), label);
      } catch (error) {
        if (isGuildVaultError(error, 'CANCELLED')) throw error;
        this.report.problems.push(`${label}: ${describeError(error)}`);
        this.job.log('warn', `${label}: ${describeError(error)}`);
      }
    }
  }

  /** Where a source thread's messages go; creates the thread when it is a text channel's (forum posts open with their first message). */
  private async threadDestination(channel: MigrateChannelPlan, thread: ArchivedChannel, targetId: string, label: string): Promise<Destination | undefined> {
    const existing = this.setup.map.target('thread', thread.id);
    if (existing) {
      // A forum post the restore made already shows its first message (the bot posted it): it is not sent again.
      if (channel.kind === 'forum' && !this.setup.map.target('message', thread.id) && this.setup.source.message(thread.id)) this.setup.map.record('message', thread.id, existing);
      return { channelId: targetId, threadId: existing, label };
    }
    if (channel.kind === 'forum') return { channelId: targetId, newPost: { source: thread, tags: this.mappedTags(thread, targetId) }, label };
    const name = String(thread.name).slice(0, 100) || 'thread';
    const autoArchive = Number(thread.raw.thread_metadata?.auto_archive_duration ?? 4320);
    const starter = this.setup.map.target('message', thread.id);
    let created: Json;
    if (starter) {
      try {
        created = await this.client.post<Json>(apiRoute`/channels/${targetId}/messages/${starter}/threads`, { body: { name, auto_archive_duration: autoArchive }, signal: this.signal });
      } catch (error) {
        // Created by a run that stopped before recording it: the message knows its thread.
        if (!isDiscordApiError(error, 'BAD_REQUEST') || error.discordCode !== 160004) throw error;
        created = ((await this.client.get<Json>(apiRoute`/channels/${targetId}/messages/${starter}`, { signal: this.signal })).thread as Json) ?? {};
        if (!created.id) throw error;
      }
    } else {
      const type = isThread(thread.type) ? thread.type : ChannelType.PublicThread;
      created = await this.client.post<Json>(apiRoute`/channels/${targetId}/threads`, { body: { name, type, auto_archive_duration: autoArchive }, signal: this.signal });
    }
    this.setup.map.record('thread', thread.id, String(created.id));
    this.report.threadsCreated++;
    return { channelId: targetId, threadId: String(created.id), label };
  }

  /** A forum post's tags, by name, as the target forum has them. */
  private mappedTags(thread: ArchivedChannel, targetId: string): string[] {
    const sourceTags = new Map<string, string>((((this.setup.channels.get(thread.parentId ?? '')?.raw.available_tags as Json[]) ?? []) as Json[]).map((t) => [String(t.id), String(t.name)]));
    const targetTags = new Map<string, string>((((this.setup.targetChannels.get(targetId)?.available_tags as Json[]) ?? []) as Json[]).map((t) => [String(t.name), String(t.id)]));
    return (((thread.raw.applied_tags as string[]) ?? []) as string[])
      .map((id) => targetTags.get(sourceTags.get(String(id)) ?? ''))
      .filter((id): id is string => !!id)
      .slice(0, 5);
  }

  private async archive(threadId: string, locked: boolean, label: string): Promise<void> {
    try {
      await this.client.patch(apiRoute`/channels/${threadId}`, { body: { archived: true, ...(locked ? { locked: true } : {}) }, signal: this.signal });
    } catch (error) {
      if (isGuildVaultError(error, 'CANCELLED')) throw error;
      this.report.problems.push(`${label}: could not archive it again: ${describeError(error)}`);
    }
  }

  /** Pins what was pinned, once each (a 'pin' row per pinned message). */
  private async repin(source: ArchivedChannel, targetChannelId: string): Promise<void> {
    const pinned = this.vault.db
      .prepare(`SELECT CAST(id AS TEXT) AS id FROM messages WHERE channel_id = ? AND pinned = 1 AND deleted_at IS NULL AND id BETWEEN ? AND ? ORDER BY id`)
      .all(source.id, this.setup.source.window.min, this.setup.source.window.max) as Array<{ id: string }>;
    for (const { id } of pinned) {
      const target = this.setup.map.target('message', id);
      if (!target || this.setup.map.target('pin', id)) continue;
      try {
        await this.client.put(apiRoute`/channels/${targetChannelId}/messages/pins/${target}`, { signal: this.signal });
        this.setup.map.record('pin', id, target);
        this.report.pinned++;
      } catch (error) {
        if (isGuildVaultError(error, 'CANCELLED')) throw error;
        this.report.problems.push(`${channelLabel(source)}: could not pin message ${id}: ${describeError(error)}`);
        return;
      }
    }
  }

  // ---- messages ----

  /** Sends every message of a source channel or thread not sent yet, in order. Returns how many went. */
  private async sendAll(source: ArchivedChannel, dest: Destination): Promise<number> {
    let sent = 0;
    await this.recoverInFlight(source, dest);
    for (const message of this.setup.source.messages(source.id)) {
      dest = this.opened(dest);
      if (this.setup.map.target('message', message.id)) {
        this.report.alreadySent++;
        continue;
      }
      this.job.throwIfStopped();
      try {
        if (await this.send(message, dest)) sent++;
      } catch (error) {
        if (!(error instanceof DestinationGone)) throw error;
        this.failRest(source, dest, message.id, error.message);
        break;
      }
      // A forum post whose first message could not go cannot take the rest.
      if (dest.newPost && !this.opened(dest).threadId) {
        this.failRest(source, dest, (BigInt(message.id) + 1n).toString(), 'its forum post could not be opened (its first message did not go)');
        break;
      }
    }
    return sent;
  }

  /** Once a forum post exists (opened by its first message, in this run or an earlier one), the rest goes into it. */
  private opened(dest: Destination): Destination {
    if (!dest.newPost) return dest;
    const threadId = this.setup.map.target('thread', dest.newPost.source.id);
    return threadId ? { channelId: dest.channelId, threadId, label: dest.label } : dest;
  }

  private where(dest: Destination): string {
    return dest.threadId ? `channel:${dest.threadId}` : dest.newPost ? `forum:${dest.channelId}` : `channel:${dest.channelId}`;
  }

  private payload(message: ArchivedMessage, dest: Destination): WebhookPayload {
    const payload = buildPayload(message, this.ctx);
    if (dest.newPost) {
      payload.body.thread_name = String(dest.newPost.source.name).slice(0, 100) || 'post';
      if (dest.newPost.tags.length) payload.body.applied_tags = dest.newPost.tags;
    }
    return payload;
  }

  /** Sends one message; false when Discord refused it (recorded in the report). */
  private async send(message: ArchivedMessage, dest: Destination): Promise<boolean> {
    const payload = this.payload(message, dest);
    const where = this.where(dest);
    const answered = await this.pacer.take(dest.threadId ?? dest.channelId, this.signal);
    this.setup.map.markInFlight(message.id, where);
    try {
      return await this.sendNow(message, dest, payload);
    } finally {
      answered();
    }
  }

  private async sendNow(message: ArchivedMessage, dest: Destination, payload: WebhookPayload): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const hook = await this.hooks.get(dest.channelId);
      try {
        const sent = await this.client.post<Json>(executeRoute(hook), {
          body: payload.body,
          files: payload.files.length ? payload.files : undefined,
          query: { wait: true, thread_id: dest.threadId },
          auth: false,
          signal: this.signal,
        });
        this.recordSent(message, dest, String(sent.id), String(sent.channel_id));
        this.report.filesAsNotes += payload.filesAsNotes;
        return true;
      } catch (error) {
        if (isGuildVaultError(error, 'CANCELLED')) throw error; // in flight: the next run looks it up
        if (isDiscordApiError(error) && error.discordCode === 10015 && attempt < 3) {
          this.job.log('warn', `${dest.label}: the migration's webhook was deleted; making a new one`);
          this.hooks.forget(dest.channelId);
          continue;
        }
        if (isDiscordApiError(error) && (error.discordCode === 10003 || (error.status === 404 && error.discordCode !== 10015))) {
          this.setup.map.clearInFlight(message.id);
          throw new DestinationGone(`${dest.threadId ? 'the thread' : 'the channel'} is gone from the target (${describeError(error)})`);
        }
        if (isDiscordApiError(error) && (error.status === 0 || error.status >= 500) && attempt < 3) {
          // It may have arrived before the connection failed: look before sending again.
          if (await this.lookUp(message, dest, payload)) return true;
          continue;
        }
        this.setup.map.clearInFlight(message.id);
        this.fail(message.id, dest.label, describeError(error));
        return false;
      }
    }
  }

  private recordSent(message: ArchivedMessage, dest: Destination, targetId: string, targetChannelId: string): void {
    const thread = dest.newPost ? { sourceId: dest.newPost.source.id, targetId: targetChannelId } : undefined;
    this.setup.map.recordSent(message.id, targetId, thread);
    if (thread) this.report.threadsCreated++;
    this.report.sent++;
    this.sentAt.push(Date.now());
    if (this.sentAt.length > 200) this.sentAt.shift();
    this.progress();
  }

  /** The send that was in flight when an earlier run stopped: recorded if it arrived, else sent again by the loop. */
  private async recoverInFlight(source: ArchivedChannel, dest: Destination): Promise<void> {
    const inflight = this.setup.map.inFlightAt(this.where(dest));
    if (!inflight) return;
    const message = this.setup.source.message(inflight.sourceId);
    if (!message || message.channelId !== source.id) return;
    if (this.setup.map.target('message', message.id)) return this.setup.map.clearInFlight(message.id);
    if (await this.lookUp(message, dest, this.payload(message, dest))) this.report.recoveredInFlight++;
    else this.setup.map.clearInFlight(message.id);
  }

  /**
   * Looks in the target for a message that may have arrived although its
   * send was not recorded: the newest messages of the channel (or, for a new
   * forum post, the newest posts of the forum) posted by a webhook under the
   * same name with the same text. Sends in a channel go one at a time, so
   * only the newest can be it.
   */
  private async lookUp(message: ArchivedMessage, dest: Destination, payload: WebhookPayload): Promise<boolean> {
    const same = (m: Json) => !!m.webhook_id && m.content === payload.body.content && m.author?.username === payload.body.username;
    if (dest.newPost) {
      const active = await this.client.get<Json>(apiRoute`/guilds/${this.setup.plan.targetGuildId}/threads/active`, { signal: this.signal });
      const posts = ((active.threads as Json[]) ?? []).filter((t) => String(t.parent_id) === dest.channelId && t.name === payload.body.thread_name);
      for (const post of posts.sort((a, b) => compareSnowflakes(b.id, a.id)).slice(0, 3)) {
        const first = await this.client.get<Json[]>(apiRoute`/channels/${post.id}/messages`, { query: { limit: 1, after: '0' }, signal: this.signal });
        const starter = first.find(same);
        if (starter) {
          this.recordSent(message, dest, String(starter.id), String(post.id));
          return true;
        }
      }
      return false;
    }
    const recent = await this.client.get<Json[]>(apiRoute`/channels/${dest.threadId ?? dest.channelId}/messages`, { query: { limit: 5 }, signal: this.signal });
    const found = recent.find(same);
    if (!found) return false;
    this.recordSent(message, dest, String(found.id), String(found.channel_id));
    return true;
  }

  private fail(sourceMessageId: string, channel: string, reason: string): void {
    this.report.failed.push({ sourceMessageId, channel, reason });
    this.job.log('warn', `${channel}: message ${sourceMessageId} could not go: ${reason}`);
  }

  /** A whole channel could not go: it and every message of it (and its threads) not sent yet are reported. */
  private channelFailed(channel: MigrateChannelPlan, reason: string): void {
    this.report.problems.push(`${channel.label}: ${reason}`);
    this.job.log('warn', `${channel.label}: ${reason}`);
    const sources = [this.setup.channels.get(channel.sourceId)!, ...(this.setup.threadsOf.get(channel.sourceId) ?? [])];
    for (const source of sources) {
      for (const m of this.setup.source.messages(source.id)) if (!this.setup.map.target('message', m.id)) this.report.failed.push({ sourceMessageId: m.id, channel: channel.label, reason });
    }
  }

  /** Every message of a channel from `fromId` on, reported as not sent (its destination is gone). */
  private failRest(source: ArchivedChannel, dest: Destination, fromId: string, reason: string): void {
    this.report.problems.push(`${dest.label}: ${reason}`);
    for (const m of this.setup.source.messages(source.id)) if (compareSnowflakes(m.id, fromId) >= 0 && !this.setup.map.target('message', m.id)) this.fail(m.id, dest.label, reason);
  }

  // ---- presentation of authors, mentions, links ----

  private payloadContext(): PayloadContext {
    const { plan, source, map, channels } = this.setup;
    const vault = this.vault;
    const snapshotId = latestSnapshotId(vault);
    const state = snapshotId ? loadState(vault, snapshotId) : undefined;
    const roles = state?.nodes.get('role');
    const userNames = new Map<string, string>();
    const cdn = this.client.cdnBaseUrl;
    const aliases = this.options.aliases === true;
    const generatedAvatar = (id: string) => `${cdn}/embed/avatars/${Number(BigInt(id) % BigInt(GENERATED_AVATARS))}.png`;
    const nameOf = (author: Json): string => {
      const id = String(author.id);
      if (aliases && !author.webhook_id && !author.bot && /^\d+$/.test(id)) return ensureAlias(vault.db, id);
      return String(author.global_name ?? author.username ?? 'Unknown user');
    };
    const userLookup = vault.db.prepare('SELECT raw FROM users WHERE id = ?');
    return {
      sourceGuildId: plan.sourceGuildId,
      targetGuildId: plan.targetGuildId,
      source,
      pool: this.pool,
      uploadLimitBytes: plan.uploadLimitBytes,
      author: (author) => {
        const id = String(author.id);
        const name = nameOf(author);
        if (aliases && !author.bot) return { name, avatarUrl: generatedAvatar(id) };
        const hash = author.avatar ? String(author.avatar) : undefined;
        return { name, avatarUrl: hash && /^(a_)?[0-9a-f]{32}$/.test(hash) ? `${cdn}/avatars/${id}/${hash}.${imageExtension(hash)}` : generatedAvatar(id) };
      },
      userName: (id) => {
        let name = userNames.get(id);
        if (name === undefined) {
          const row = userLookup.get(id) as { raw: string } | undefined;
          name = row ? nameOf(JSON.parse(row.raw) as Json) : aliases ? ensureAlias(vault.db, id) : 'unknown-user';
          if (userNames.size < 100_000) userNames.set(id, name);
        }
        return name;
      },
      roleTarget: (id) => (id === plan.sourceGuildId ? undefined : map.target('role', id)),
      roleName: (id) => (roles?.get(id)?.name as string | undefined) ?? undefined,
      channelTarget: (id) => map.target('channel', id) ?? map.target('thread', id),
      channel: (id) => channels.get(id),
      emojiTarget: (id) => map.target('emoji', id),
      messageTarget: (id) => map.target('message', id),
    };
  }

  private progress(): void {
    const { plan } = this.setup;
    const remaining = Math.max(0, plan.messages - this.report.sent);
    const window = this.sentAt;
    const rate = window.length >= 5 ? (window.length - 1) / Math.max(0.001, (window[window.length - 1]! - window[0]!) / 1000) : 0;
    this.job.progress({
      phase: 'migrate',
      message: this.current,
      done: Math.min(this.channelsDone, plan.channels.length),
      total: plan.channels.filter((c) => !c.problem).length,
      messages: this.report.sent,
      etaMs: rate > 0 ? (remaining / rate) * 1000 : undefined,
    });
  }
}
