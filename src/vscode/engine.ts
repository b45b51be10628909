/**
 * The one place the VS Code layer imports the engine (src/core) and the
 * emulator from. Everything else in src/vscode goes through these names, so a
 * change of engine signature is fixed here.
 */
import type { DiscordClient } from '../core/discord';
import { GuildVaultError } from '../core/errors';
import type { JobOptions } from '../core/jobs/progress';
import type { Vault, VaultStore } from '../core/vault';

export { GuildVaultError, describeError, isGuildVaultError } from '../core/errors';
export type { JobOptions, JobProgress } from '../core/jobs/progress';
export { Vault, VaultStore } from '../core/vault';

// ---- Discord client (src/core/discord, src/core/connect) ------------------------------------------

export { DiscordClient, type DiscordClientOptions, type RateLimitedEvent, type RetryEvent } from '../core/discord';
export { listBotGuilds, verifyToken, type BotGuild } from '../core/connect';
/** The client type the UI passes around (kept as a name so tests of the UI could swap it). */
export type DiscordClientLike = DiscordClient;

// ---- Snapshots (src/core/snapshots) -----------------------------------------------------------

export {
  checkHealth,
  deleteSnapshot,
  listSnapshots,
  pruneSnapshots,
  renderLiveState,
  renderSnapshot,
  renderSnapshotSections,
  setLabel,
  setPinned,
  takeSnapshot,
  type HealthReport,
  type LiveRender,
  type RenderedSection,
  type SnapshotInfo,
  type SnapshotKind,
  type TakenSnapshot,
} from '../core/snapshots';

// ---- Archive (src/core/archive, src/core/jobs/backup.ts) -----------------------------------------

export interface ArchivedChannel {
  id: string;
  name: string;
  type: number;
  parentId: string | null;
  position?: number | null;
  messageCount: number;
  lastSyncAt: string | null;
  status: string;
  problem?: string | null;
}

export interface ArchiveOptions extends JobOptions {
  recheckDays?: number;
  mediaSizeCapBytes?: number;
  concurrency?: number;
}

export interface JobReport {
  summary?: string;
}

export async function backupGuild(_store: VaultStore, _client: DiscordClientLike, _guildId: string, _options: ArchiveOptions & { retention?: number }): Promise<JobReport> {
  throw notYet('the backup job');
}
export async function syncArchive(_vault: Vault, _client: DiscordClientLike, _guildId: string, _options: ArchiveOptions): Promise<JobReport> {
  throw notYet('the message archive');
}
export function listArchivedChannels(_vault: Vault): ArchivedChannel[] {
  return [];
}
export function listTranscriptMonths(_vault: Vault, _channelId: string): string[] {
  return [];
}
export function renderTranscript(_vault: Vault, _channelId: string, _options: { month?: string; aliases?: boolean }): string {
  throw notYet('transcripts');
}

// ---- Emulator (src/emulator) ------------------------------------------------------------------

export interface RunningEmulator {
  apiBaseUrl: string;
  cdnBaseUrl: string;
  token: string;
  guildIds: string[];
  close(): Promise<void>;
}

export async function startDemoEmulator(): Promise<RunningEmulator> {
  throw notYet('the Discord emulator');
}

function notYet(what: string): GuildVaultError {
  return new GuildVaultError('UNSUPPORTED_RUNTIME', `This build of Guild Vault does not include ${what} yet.`, 'Update Guild Vault.');
}
