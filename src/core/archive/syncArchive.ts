import type { DiscordClient, RateLimitedEvent, RequestEvent } from '../discord';
import { cancelled, describeError, GuildVaultError, isGuildVaultError } from '../errors';
import type { JobOptions } from '../jobs/progress';
import { MediaPool, MediaQueue } from '../media';
import { recordGuildIdentity } from '../vault/identity';
import type { Vault } from '../vault';
import { holdsMessages, recordDiscovery } from './archivedChannels';
import { syncChannel } from './channelSync';
import { discoverChannels, type DiscoveredChannel } from './discovery';
import { channelLabel } from '../discord/channelLabel';
import { MessageIngest } from './ingest';
import { PageWriter } from './pageWriter';
import { snowflakeAt } from './snowflake';

export interface SyncOptions extends JobOptions {
  /** Re-read this many days of recent history to record edits, deletions and reaction changes (default 7; 0: only new messages). */
  recheckDays?: number;
  /** Media larger than this is not downloaded (the skip is recorded). 0 or undefined: no cap. */
  mediaSizeCapBytes?: number;
  /** Channels fetched at the same time (default 4). */
  concurrency?: number;
  /** Parallel media downloads (default 4). */
  mediaConcurrency?: number;
  /** false: record media references but download nothing now (default true). */
  downloadMedia?: boolean;
}

export interface ChannelProblem {
  id: string;
  name: string;
  status: string;
  problem: string;
}

export interface SyncReport {
  /** One line for a notification or a log: "1,234 new messages in 41 channels, 12 files (3.4 MB)". */
  summary: string;
  guildId: string;
  /** Message-holding channels and threads found. */
  channels: number;
  /** Channels read in this run (the rest: unreadable, or nothing new). */
  synced: number;
  /** Channels skipped without a request: Discord's last message id showed nothing new. */
  unchanged: number;
  messages: { inserted: number; changed: number; deleted: number };
  /** Messages stored with empty content that Discord probably withheld (Message Content intent off). */
  contentMissing: number;
  /** True when this run's messages look like the Message Content intent is off. */
  contentIntentMissing: boolean;
  media: { stored: number; skipped: number; failed: number; bytes: number };
  /** Channels the bot cannot read, with the reason; and channels whose sync failed. */
  unreadable: ChannelProblem[];
  failed: ChannelProblem[];
  /** Guild-wide problems found by discovery. */
  problems: string[];
  /** HTTP requests made: API calls and media downloads (each attempt, retries included). */
  requests: number;
  rateLimitWaitMs: number;
  durationMs: number;
}

/**
 * Brings a guild's message archive up to date: discovers every readable
 * channel and thread, fetches `concurrency` channels at a time (the client's
 * queue keeps the whole job within Discord's rate limits) and downloads media in
 * the background meanwhile. Safe to cancel or kill at any point: the next run
 * resumes where this one stopped. Cancelling throws the CANCELLED GuildVaultError
 * within about a second, with everything fetched so far kept.
 */
export async function syncArchive(vault: Vault, client: DiscordClient, guildId: string, options: SyncOptions = {}): Promise<SyncReport> {
  const started = Date.now();
  const report = emptyReport(guildId);
  const job = new AbortController();
  const onAbort = () => job.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) job.abort();
  const onRequest = (_event: RequestEvent) => report.requests++;
  const onRateLimited = (event: RateLimitedEvent) => {
    report.rateLimitWaitMs += event.waitMs;
    progress('messages');
  };
  client.events.on('request', onRequest);
  client.events.on('rateLimited', onRateLimited);
  const runId = Number(vault.db.prepare("INSERT INTO archive_runs (started_at, status) VALUES (?, 'running')").run(new Date().toISOString()).lastInsertRowid);
  const pool = new MediaPool(vault);
  let media: MediaQueue | undefined;
  let channelsDone = 0;
  let mediaOutcomes = 0;
  let current = '';
  const progress = (phase: string) =>
    options.onProgress?.({
      phase,
      message: current,
      done: channelsDone,
      total: report.channels,
      messages: report.messages.inserted,
      bytes: report.media.bytes,
      requests: report.requests,
      rateLimitWaitMs: report.rateLimitWaitMs,
    });

  try {
    progress('discover');
    const discoveryStarted = new Date().toISOString();
    const listedAt = vault.getMeta('archive_threads_listed_at');
    // Threads archived before the previous listing (minus a day of slack for clock skew) were seen then.
    const archivedSince = listedAt ? new Date(Date.parse(listedAt) - 86_400_000).toISOString() : undefined;
    const skipArchived = listedAt !== undefined && Date.now() - Date.parse(listedAt) < ARCHIVED_LISTING_INTERVAL_MS;
    const discovery = await discoverChannels(client, guildId, {
      signal: job.signal,
      archivedSince,
      skipArchived,
      onListingThreads: (done, total) => {
        current = `archived threads of channel ${done + 1} of ${total}`;
        progress('discover');
      },
    });
    current = '';
    recordGuildIdentity(vault, discovery.guild);
    recordDiscovery(vault, [...discovery.categories, ...discovery.channels], { complete: archivedSince === undefined && !skipArchived });
    report.problems.push(...discovery.problems);
    const todo = channelsToSync(vault, discovery.channels, skipArchived);
    report.channels = todo.length + discovery.channels.filter((c) => c.access !== 'ok' && holdsMessages(c.type)).length;
    for (const c of discovery.channels) {
      if (c.access !== 'ok' && holdsMessages(c.type)) report.unreadable.push({ id: c.id, name: c.name, status: c.access, problem: c.problem ?? c.access });
    }
    for (const problem of report.unreadable) options.log?.('warn', `#${problem.name}: ${problem.problem}`);

    const writer = new PageWriter(vault);
    if (options.downloadMedia !== false) {
      const retried = pool.requeueFailed();
      if (retried > 0) options.log?.('info', `retrying ${retried} media downloads that failed last time`);
      media = new MediaQueue(pool, client, {
        concurrency: options.mediaConcurrency ?? 4,
        maxBytes: options.mediaSizeCapBytes,
        signal: job.signal,
        commit: (work) => writer.write(work),
        onOutcome: (ref, outcome) => {
          report.media[outcome.status]++;
          if (outcome.status === 'stored' && !outcome.existed) report.media.bytes += outcome.size;
          if (outcome.status === 'failed') options.log?.('warn', `media ${ref.ownerKind} ${ref.ownerId}: ${outcome.problem}`);
          // Once the messages are done, say how many files are left (every 25 files: it is a count query).
          if (current.startsWith('media') && ++mediaOutcomes % 25 === 0) {
            current = `media: ${pool.pendingCount()} files left`;
            progress('media');
          }
        },
      }).start();
    }

    const ingest = new MessageIngest(vault, pool, { cdnBaseUrl: client.cdnBaseUrl });
    const recheckDays = options.recheckDays ?? 7;
    const recheckFromId = recheckDays > 0 ? snowflakeAt(Date.now() - recheckDays * 86_400_000) : undefined;
    let next = 0;
    const worker = async () => {
      while (next < todo.length && !job.signal.aborted) {
        const channel = todo[next++]!;
        current = `${channelLabel(channel)} (${next} of ${todo.length})`;
        progress('messages');
        try {
          const result = await syncChannel({ vault, client, ingest, writer, signal: job.signal, recheckFromId, onPage: (_c, counts) => {
            report.messages.inserted += counts.inserted;
            report.messages.changed += counts.changed;
            report.messages.deleted += counts.deleted;
            report.contentMissing += counts.contentMissing;
            if (counts.mediaRefs > 0) media?.notify();
            progress('messages');
          } }, channel);
          if (result.problem) report.unreadable.push({ id: channel.id, name: channel.name, status: 'no-history', problem: result.problem });
          else if (result.unchanged) report.unchanged++;
          else report.synced++;
        } catch (error) {
          if (isFatal(error) || job.signal.aborted) {
            job.abort(); // stop the other workers too
            throw error;
          }
          recordChannelFailure(vault, channel, error, report);
          options.log?.('warn', `${channelLabel(channel)}: ${describeError(error)}`);
        } finally {
          channelsDone++;
        }
      }
    };
    const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, todo.length || 1)) }, worker);
    const outcomes = await Promise.allSettled(workers);
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) {
      job.abort();
      throw failure.reason;
    }
    if (!skipArchived) vault.setMeta('archive_threads_listed_at', discoveryStarted);
    current = `media: ${pool.pendingCount()} files left`;
    progress('media');
    await media?.finish();
    report.contentIntentMissing = looksLikeMissingIntent(report);
    if (report.contentIntentMissing) {
      report.problems.push(
        `${report.contentMissing} message(s) came back with empty content: the bot's Message Content intent looks disabled. Enable it in the Developer Portal (Bot > Privileged Gateway Intents); affected messages are flagged in the vault.`,
      );
    }
    report.durationMs = Date.now() - started;
    report.summary = summarize(report);
    finishRun(vault, runId, 'done', report);
    progress('done');
    return report;
  } catch (error) {
    job.abort();
    await media?.finish().catch(() => undefined);
    report.durationMs = Date.now() - started;
    const wasCancelled = options.signal?.aborted || isGuildVaultError(error, 'CANCELLED');
    finishRun(vault, runId, wasCancelled ? 'cancelled' : 'failed', report);
    throw wasCancelled ? cancelled() : error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    client.events.off('request', onRequest);
    client.events.off('rateLimited', onRateLimited);
  }
}

/**
 * Archived threads are listed (two or more requests per channel that can have
 * threads) at most this often. Skipping the listing in between loses nothing: a
 * thread archived since the last listing was either active then (known, and
 * synced below) or created since; Discord auto-archives only after an hour of
 * inactivity, so within this interval only a thread archived by hand can be
 * missed, and the next listing finds it (archived threads stay readable).
 */
const ARCHIVED_LISTING_INTERVAL_MS = 55 * 60_000;

/**
 * Discovered readable channels, plus known threads this discovery did not list:
 * those whose first walk is unfinished, and (when archived threads were not
 * listed) those that were active last time, which may have got messages before
 * they were archived.
 */
function channelsToSync(vault: Vault, discovered: readonly DiscoveredChannel[], archivedSkipped: boolean): DiscoveredChannel[] {
  const todo = discovered.filter((c) => c.access === 'ok' && holdsMessages(c.type));
  const listed = new Set(discovered.map((c) => c.id));
  const known = vault.db
    .prepare("SELECT CAST(id AS TEXT) AS id, type, name, CAST(parent_id AS TEXT) AS parent_id, raw, backfill_done FROM archive_channels WHERE is_thread = 1 AND status IN ('ok', 'error', 'pending')")
    .all() as { id: string; type: number; name: string; parent_id: string | null; raw: string; backfill_done: number }[];
  for (const row of known) {
    if (listed.has(row.id)) continue;
    const raw = JSON.parse(row.raw) as { last_message_id?: string | null; last_pin_timestamp?: string | null; thread_metadata?: { archived?: boolean } };
    const wasActive = raw.thread_metadata?.archived === false;
    if (row.backfill_done === 1 && !(archivedSkipped && wasActive)) continue;
    todo.push({ id: row.id, type: row.type, name: row.name, parentId: row.parent_id, position: null, isThread: true, lastMessageId: raw.last_message_id ?? null, lastPinTimestamp: raw.last_pin_timestamp ?? null, mustFetch: wasActive, raw, access: 'ok' });
  }
  return todo;
}

/** Errors that stop the whole job rather than one channel. */
function isFatal(error: unknown): boolean {
  return isGuildVaultError(error, 'CANCELLED') || isGuildVaultError(error, 'INVALID_TOKEN') || isGuildVaultError(error, 'API_UNREACHABLE') || !(error instanceof GuildVaultError);
}

function recordChannelFailure(vault: Vault, channel: DiscoveredChannel, error: unknown, report: SyncReport): void {
  const code = isGuildVaultError(error) ? error.code : 'API_ERROR';
  const status = code === 'MISSING_ACCESS' || code === 'MISSING_PERMISSION' ? 'no-access' : code === 'UNKNOWN_RESOURCE' ? 'gone' : 'error';
  const problem = describeError(error);
  vault.db.prepare('UPDATE archive_channels SET status = ?, problem = ? WHERE id = ?').run(status, problem, channel.id);
  const entry = { id: channel.id, name: channel.name, status, problem };
  if (status === 'error') report.failed.push(entry);
  else report.unreadable.push(entry);
}

/**
 * Flagged messages are ordinary user messages with nothing in them. One or two
 * can be odd data; many, or most of what was fetched, mean the intent is off.
 */
function looksLikeMissingIntent(report: SyncReport): boolean {
  const fetched = report.messages.inserted + report.messages.changed;
  return report.contentMissing >= 5 && report.contentMissing >= fetched * 0.2;
}

function finishRun(vault: Vault, runId: number, status: string, report: SyncReport): void {
  try {
    vault.db.prepare('UPDATE archive_runs SET finished_at = ?, status = ?, report = ? WHERE id = ?').run(new Date().toISOString(), status, JSON.stringify(report), runId);
  } catch {
    // the vault may be closing after a fatal error; the run row is informational
  }
}

function summarize(r: SyncReport): string {
  const parts = [`${r.messages.inserted.toLocaleString('en-US')} new messages from ${r.synced} of ${r.channels} channels`];
  if (r.messages.changed || r.messages.deleted) parts.push(`${r.messages.changed} changed, ${r.messages.deleted} deleted`);
  parts.push(`${r.media.stored} files stored (${(r.media.bytes / 1048576).toFixed(1)} MB)`);
  if (r.media.skipped) parts.push(`${r.media.skipped} skipped by the size cap`);
  if (r.media.failed) parts.push(`${r.media.failed} downloads failed`);
  if (r.unreadable.length) parts.push(`${r.unreadable.length} channels unreadable`);
  if (r.failed.length) parts.push(`${r.failed.length} channels failed`);
  if (r.contentIntentMissing) parts.push('Message Content intent looks disabled');
  return parts.join('; ') + '.';
}

function emptyReport(guildId: string): SyncReport {
  return {
    summary: '',
    guildId,
    channels: 0,
    synced: 0,
    unchanged: 0,
    messages: { inserted: 0, changed: 0, deleted: 0 },
    contentMissing: 0,
    contentIntentMissing: false,
    media: { stored: 0, skipped: 0, failed: 0, bytes: 0 },
    unreadable: [],
    failed: [],
    problems: [],
    requests: 0,
    rateLimitWaitMs: 0,
    durationMs: 0,
  };
}
