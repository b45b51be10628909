/**
 * Every default a user can change, defined once.
 *
 * - The engine falls back to these when an option is absent.
 * - The CLI builds its option help ("default 4") and range checks from them.
 * - VS Code reads its settings with these as fallbacks and bounds.
 * - package.json's contributed settings (static JSON: "default", "minimum",
 *   "maximum" and a default stated in a description) and README's settings and
 *   CLI text are checked against them by test/core/defaults.test.ts: change a
 *   value here and that test names every place that still says the old one.
 *
 * Numbers the user sets carry the range the engine accepts, which is also the
 * setting's minimum/maximum and the CLI's check.
 */

/** A number the user sets: its default and the range accepted (no `max`: unbounded). */
export interface NumberDefault {
  readonly value: number;
  readonly min: number;
  readonly max?: number;
}

export const DEFAULTS = {
  /** Discord's own API: the bot token is sent nowhere else unless the user says so (a proxy, the emulator). */
  apiBaseUrl: 'https://discord.com/api',
  /** Discord's CDN, where the media URLs Discord sends point. */
  cdnBaseUrl: 'https://cdn.discordapp.com',
  /** The CLI's vault folder, relative to the working directory: visible where the command ran. (VS Code's is its extension storage.) */
  cliVaultFolder: 'guild-vault-data',
  /** VS Code: empty means the workspace's (else the global) extension storage, which needs no setup. */
  vaultDirectory: '',
  /** node:sqlite where the runtime has it (any size, on disk), WebAssembly SQLite elsewhere. */
  storageEngine: 'auto',

  /**
   * Channels a sync fetches at once when it starts; more start while Discord's global budget has
   * room (ChannelConcurrency), up to `maxChannelConcurrency`. A channel's pages come one after
   * another at about 10/s, so 5 channels could fill the global 50/s, but starting 4 left a server's
   * last channels to begin late and run alone (86.7% of the ceiling in the archive bench); at 16
   * they share the budget from the start and end together (issue 12 §6). The pacer spaces every
   * send, so the extra channels cost only a page of memory each.
   */
  channelConcurrency: { value: 16, min: 1, max: 32 },
  /** The adaptive ceiling: past this, more channels at once only add memory and open connections; 50 requests/s are used by far fewer. */
  maxChannelConcurrency: 32,
  /** Parallel media downloads of a sync: the CDN has no per-route limit, and a few overlap the latency without hogging bandwidth. */
  mediaConcurrency: 4,
  /** Days of recent history each sync re-reads: a week catches most edits, deletions and reactions for a few requests per channel. 0: only new messages. */
  recheckDays: { value: 7, min: 0 },
  /** Media larger than this (MB) is not downloaded (the skip is recorded): Discord's largest upload for most servers, so normally nothing is skipped. 0: no cap. */
  mediaMaxFileSizeMB: { value: 50, min: 0 },
  /** Structure snapshots kept per server: about a month of daily snapshots; pinned ones are never pruned. */
  snapshotRetention: { value: 30, min: 1 },
  /** Hours between automatic snapshots in VS Code: off until the user chooses a schedule. */
  autoSnapshotIntervalHours: { value: 0, min: 0 },
  /** Hours between scheduled backups in VS Code: off until the user chooses a schedule. */
  autoBackupIntervalHours: { value: 0, min: 0 },
  /** Transcripts show Discord names; aliases are for sharing a transcript. */
  privacyAliases: false,

  /** Off-site copies: empty folder means none (a copy goes only where the user says). */
  offsiteFolder: '',
  /** Off-site bundles kept per server: a week of daily copies. */
  offsiteKeep: { value: 7, min: 1 },
  /** Off-site bundles are encrypted: they leave the machine, typically to a synced drive. */
  offsiteEncrypt: true,

  /** Channels a migration posts into at once: each channel's webhook has its own limit (30/min), so many channels fill the bot's global budget. */
  migrationConcurrency: { value: 50, min: 1, max: 100 },
  /** Search results per page: a screenful; at most 200 (more is a query to narrow). */
  searchResults: { value: 20, min: 1, max: 200 },
  /** HTML export and VS Code transcripts: channels with more messages than this are split by month, so one page stays quick to open. */
  monthlyTranscriptsAbove: 5_000,
} as const satisfies Record<string, string | number | boolean | NumberDefault>;

/** `value` held to the default's range (settings can hold anything; VS Code does not enforce minimum/maximum). */
export function withinRange(setting: NumberDefault, value: number, integer = false): number {
  const number = Number.isFinite(value) ? (integer ? Math.floor(value) : value) : setting.value;
  return Math.min(setting.max ?? Number.POSITIVE_INFINITY, Math.max(setting.min, number));
}

/** The media size cap in bytes, as the engine takes it, from megabytes as users give them; 0 (or less): 0, no cap. */
export function mediaCapBytes(megabytes: number): number {
  return megabytes > 0 ? Math.round(megabytes * 1024 * 1024) : 0;
}
