import { DEFAULTS, mediaCapBytes } from '../defaults';
import type { DiscordClient } from '../discord';
import { describeError, isGuildVaultError } from '../errors';
import { endsJob, Job } from '../job';
import { MediaPool, MediaQueue, repairPool } from '../media';
import { recordGuildIdentity } from '../vault/identity';
import { startWalCheckpointer, type Vault, type WalCheckpointer } from '../vault';
import { ArchiveChannels, type ChannelTrouble } from './archivedChannels';
import { holdsMessages } from '../discord/channelKinds';
import { ArchiveRuns } from './archiveRuns';
import { syncChannel } from './channelSync';
import { discoverChannels, type DiscoveredChannel } from './discovery';
import { channelLabel } from '../discord/channelLabel';
import { MessageIngest } from './ingest';
import { attachmentLinkRefresher } from './attachmentLinks';
import { PageWriter } from './pageWriter';
import { snowflakeAt } from '../discord/snowflake';
import { ChannelConcurrency } from './channelConcurrency';
import { formatBytes, formatCount, partOf, plural } from '../text';

export interface SyncOptions {
  /** Re-read this many days of recent history to record edits, deletions and reaction changes (default DEFAULTS.recheckDays; 0: only new messages). */
  recheckDays?: number;
  /** Media larger than this is not downloaded (the skip is recorded). Default DEFAULTS.mediaMaxFileSizeMB; 0: no cap. */
  mediaSizeCapBytes?: number;
  /** Channels fetched at once at the start (default DEFAULTS.channelConcurrency); more start while Discord's global budget has room (see ChannelConcurrency). */
  concurrency?: number;
  /** At most this many channels at once (default DEFAULTS.maxChannelConcurrency). Set it to `concurrency` for a fixed number. */
  maxConcurrency?: number;
  /** Parallel media downloads (default DEFAULTS.mediaConcurrency). */
  mediaConcurrency?: number;
  /** false: record media references but download nothing now (default true). */
  downloadMedia?: boolean;
}

export interface ChannelProblem {
  id: string;
  name: string;
  /** Its Discord channel type: channelLabel names it ("#general", a thread without "#"). */
  type: number;
  status: ChannelTrouble;
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
export async function syncArchive(vault: Vault, client: DiscordClient, guildId: string, options: SyncOptions = {}, job = new Job()): Promise<SyncReport> {
  const started = Date.now();
  const report = emptyReport(guildId);
  const costBefore = { ...job.counters };
  // The channel workers' own stop: a fatal error in one stops the others, without cancelling the caller's job.
  const run = job.part();
  const api = client.forJob(run);
  // A wait is news in whatever phase it comes (the media downloads wait too): it must not say "messages" then.
  const onRateLimited = () => progress(phase);
  job.events.on('rateLimited', onRateLimited);
  const runs = new ArchiveRuns(vault);
  const runId = runs.start();
  const channels = new ArchiveChannels(vault);
  const pool = new MediaPool(vault);
  let media: MediaQueue | undefined;
  let checkpoints: WalCheckpointer | undefined;
  let channelsDone = 0;
  let mediaOutcomes = 0;
  let current = '';
  let phase = 'discover';
  const tallyCost = () => {
    report.requests = job.counters.requests - costBefore.requests;
    report.rateLimitWaitMs = job.counters.rateLimitWaitMs - costBefore.rateLimitWaitMs;
  };
  const progress = (now: string) => {
    phase = now;
    tallyCost();
    job.progress({
      phase,
      message: current,
      done: channelsDone,
      total: report.channels,
      messages: report.messages.inserted,
      bytes: report.media.bytes,
    });
  };

  try {
    progress('discover');
    const discoveryStarted = new Date().toISOString();
    const listedAt = vault.getMeta('archive_threads_listed_at');
    // Threads archived before the previous listing (minus a day of slack for clock skew) were seen then.
    const archivedSince = listedAt ? new Date(Date.parse(listedAt) - 86_400_000).toISOString() : undefined;
    const skipArchived = listedAt !== undefined && Date.now() - Date.parse(listedAt) < ARCHIVED_LISTING_INTERVAL_MS;
    const discovery = await discoverChannels(api, guildId, {
      signal: run.signal,
      archivedSince,
      skipArchived,
      onListingThreads: (done, total) => {
        current = `archived threads of channel ${done + 1} of ${total}`;
        progress('discover');
      },
    });
    current = '';
    recordGuildIdentity(vault, discovery.guild);
    channels.discovered([...discovery.categories, ...discovery.channels], { complete: archivedSince === undefined && !skipArchived });
    report.problems.push(...discovery.problems);
    const todo = channelsToSync(channels, discovery.channels, skipArchived);
    report.channels = todo.length + discovery.channels.filter((c) => c.access !== 'ok' && holdsMessages(c.type)).length;
    for (const c of discovery.channels) {
      if (c.access !== 'ok' && holdsMessages(c.type)) report.unreadable.push({ id: c.id, name: c.name, type: c.type, status: c.access, problem: c.problem ?? c.access });
    }
    for (const problem of report.unreadable) job.log('warn', `${channelLabel(problem)}: ${problem.problem}`);

    // The log's pages are copied into vault.db on a thread of their own, not in the commits (none on the WASM engine).
    checkpoints = startWalCheckpointer(vault, { onFailure: (reason) => job.log('warn', reason) });
    const writer = new PageWriter(vault, { afterCommit: () => checkpoints?.nudge() });
    // Leftovers of a killed run and what verify found missing or corrupt: downloaded again below.
    const repaired = await repairPool(pool);
    if (repaired.staleTempFiles > 0) job.log('info', `removed ${plural(repaired.staleTempFiles, 'half-downloaded file')} left in cas/tmp by an interrupted run`);
    if (repaired.requeuedFiles > 0) job.log('info', `downloading again ${plural(repaired.requeuedFiles, 'file')} that verify found missing or corrupt`);
    if (options.downloadMedia !== false) {
      const retried = pool.requeueFailed();
      if (retried > 0) job.log('info', `retrying ${plural(retried, 'media download')} that failed last time`);
      media = new MediaQueue(pool, api, {
        concurrency: options.mediaConcurrency ?? DEFAULTS.mediaConcurrency,
        maxBytes: options.mediaSizeCapBytes ?? mediaCapBytes(DEFAULTS.mediaMaxFileSizeMB.value),
        signal: run.signal,
        commit: (work) => writer.write(work),
        refreshUrl: attachmentLinkRefresher(vault, api, run.signal),
        onOutcome: (ref, outcome) => {
          report.media[outcome.status]++;
          if (outcome.status === 'stored' && !outcome.existed) report.media.bytes += outcome.size;
          if (outcome.status === 'failed') job.log('warn', `media ${ref.ownerKind} ${ref.ownerId}: ${outcome.problem}`);
          // Once the messages are done, say how many files are left (every 25 files: it is a count query).
          if (current.startsWith('media') && ++mediaOutcomes % 25 === 0) {
            current = `media: ${plural(pool.pendingCount(), 'file')} left`;
            progress('media');
          }
        },
      }).start();
    }

    const ingest = new MessageIngest(vault, pool, { cdnBaseUrl: client.cdnBaseUrl });
    const recheckDays = options.recheckDays ?? DEFAULTS.recheckDays.value;
    const recheckFromId = recheckDays > 0 ? snowflakeAt(Date.now() - recheckDays * 86_400_000) : undefined;
    let next = 0;
    let fatal: { error: unknown } | undefined;
    const worker = async (keepGoing: () => boolean) => {
      while (next < todo.length && !run.signal.aborted && keepGoing()) {
        const channel = todo[next++]!;
        current = `${channelLabel(channel)} (${formatCount(next)} of ${formatCount(todo.length)})`;
        progress('messages');
        try {
          const result = await syncChannel({ vault, channels, client: api, ingest, writer, signal: run.signal, recheckFromId, onPage: (_c, counts) => {
            report.messages.inserted += counts.inserted;
            report.messages.changed += counts.changed;
            report.messages.deleted += counts.deleted;
            report.contentMissing += counts.contentMissing;
            if (counts.mediaRefs > 0) media?.notify();
            progress('messages');
          } }, channel);
          if (result.problem) report.unreadable.push({ id: channel.id, name: channel.name, type: channel.type, status: 'no-history', problem: result.problem });
          else if (result.unchanged) report.unchanged++;
          else report.synced++;
        } catch (error) {
          if (endsJob(error) || run.signal.aborted) {
            // The first fatal error is the one to report; the others' CANCELLED follow from stopping them.
            fatal ??= { error };
            run.stop();
            return;
          }
          recordChannelFailure(channels, channel, error, report);
          job.log('warn', `${channelLabel(channel)}: ${describeError(error)}`);
        } finally {
          channelsDone++;
        }
      }
    };
    const concurrency = new ChannelConcurrency({ start: options.concurrency ?? DEFAULTS.channelConcurrency.value, max: Math.max(1, Math.min(options.maxConcurrency ?? DEFAULTS.maxChannelConcurrency, todo.length)), budget: client.globalBudget });
    await concurrency.run(worker, () => next < todo.length && !run.signal.aborted);
    job.log('debug', `channels: up to ${concurrency.peak} at once`);
    if (fatal) throw fatal.error;
    run.throwIfStopped();
    if (!skipArchived) vault.setMeta('archive_threads_listed_at', discoveryStarted);
    current = `media: ${plural(pool.pendingCount(), 'file')} left`;
    progress('media');
    await media?.finish();
    // The media queue stops quietly on a cancel (what is pending stays for the next run): the job did not finish.
    run.throwIfStopped();
    report.contentIntentMissing = looksLikeMissingIntent(report);
    if (report.contentIntentMissing) {
      report.problems.push(
        `${plural(report.contentMissing, 'message')} came back with empty content: the bot's Message Content intent looks disabled. Enable it in the Developer Portal (Bot > Privileged Gateway Intents); affected messages are flagged in the vault.`,
      );
    }
    tallyCost();
    report.durationMs = Date.now() - started;
    report.summary = summarize(report);
    runs.finish(runId, 'done', report);
    current = '';
    progress('done');
    return report;
  } catch (error) {
    run.stop();
    await media?.finish().catch(() => undefined);
    tallyCost();
    report.durationMs = Date.now() - started;
    const failure = job.failure(error);
    const wasCancelled = isGuildVaultError(failure, 'CANCELLED');
    report.summary = wasCancelled ? `cancelled: ${summarize(report)}` : `failed: ${describeError(failure)}`;
    runs.finish(runId, wasCancelled ? 'cancelled' : 'failed', report);
    throw failure;
  } finally {
    job.events.off('rateLimited', onRateLimited);
    await checkpoints?.stop();
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
function channelsToSync(channels: ArchiveChannels, discovered: readonly DiscoveredChannel[], archivedSkipped: boolean): DiscoveredChannel[] {
  const todo = discovered.filter((c) => c.access === 'ok' && holdsMessages(c.type));
  const listed = new Set(discovered.map((c) => c.id));
  for (const row of channels.knownThreads()) {
    if (listed.has(row.id)) continue;
    const raw = JSON.parse(row.raw) as { last_message_id?: string | null; last_pin_timestamp?: string | null; thread_metadata?: { archived?: boolean } };
    const wasActive = raw.thread_metadata?.archived === false;
    if (row.backfillDone && !(archivedSkipped && wasActive)) continue;
    todo.push({ id: row.id, type: row.type, name: row.name, parentId: row.parentId, position: null, isThread: true, lastMessageId: raw.last_message_id ?? null, lastPinTimestamp: raw.last_pin_timestamp ?? null, mustFetch: wasActive, raw, access: 'ok' });
  }
  return todo;
}

function recordChannelFailure(channels: ArchiveChannels, channel: DiscoveredChannel, error: unknown, report: SyncReport): void {
  const code = isGuildVaultError(error) ? error.code : 'API_ERROR';
  const status = code === 'MISSING_ACCESS' || code === 'MISSING_PERMISSION' ? 'no-access' : code === 'UNKNOWN_RESOURCE' ? 'gone' : 'error';
  const problem = describeError(error);
  if (status === 'gone') channels.gone(channel.id, problem);
  else channels.failed(channel.id, status, problem);
  const entry = { id: channel.id, name: channel.name, type: channel.type, status, problem } satisfies ChannelProblem;
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

function summarize(r: SyncReport): string {
  const parts = [`${plural(r.messages.inserted, 'new message')} from ${partOf(r.synced, r.channels, 'channel')}`];
  if (r.messages.changed || r.messages.deleted) parts.push(`${formatCount(r.messages.changed)} changed, ${formatCount(r.messages.deleted)} deleted`);
  parts.push(`${plural(r.media.stored, 'file')} stored (${formatBytes(r.media.bytes)})`);
  if (r.media.skipped) parts.push(`${formatCount(r.media.skipped)} skipped by the size cap`);
  if (r.media.failed) parts.push(`${plural(r.media.failed, 'download')} failed`);
  if (r.unreadable.length) parts.push(`${plural(r.unreadable.length, 'channel')} unreadable`);
  if (r.failed.length) parts.push(`${plural(r.failed.length, 'channel')} failed`);
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
