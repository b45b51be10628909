export type ExportFormat = 'html' | 'json' | 'txt' | 'csv';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['html', 'json', 'txt', 'csv'];

/**
 * What happens to attachments, avatars, emojis and stickers:
 * - copy: copied from the vault's media pool into `media/` beside the pages, once per
 *   distinct file, so the folder works offline and can be handed to someone;
 * - link: pointed at in the vault's pool where they are (nothing copied; works while the
 *   vault stays where it is);
 * - none: Discord's own URLs, as archived (they expire, and need a network).
 */
export type MediaMode = 'copy' | 'link' | 'none';
export const MEDIA_MODES: readonly MediaMode[] = ['copy', 'link', 'none'];

export interface ExportOptions {
  format: ExportFormat;
  /** The folder the export is written into (created when missing). */
  outDir: string;
  /** Only these channels or threads (ids). Omitted: every archived channel that has messages. */
  channelIds?: readonly string[];
  /** Messages sent at or after this time (ms since the epoch, UTC). */
  since?: number;
  /** Messages sent before this time (ms since the epoch, UTC). */
  until?: number;
  /** Default 'copy'. */
  media?: MediaMode;
  /** Authors and mentions as privacy aliases ("SwiftFox"), no avatars, pseudonymous user ids. */
  aliases?: boolean;
  /** HTML only: channels with more messages than this get one page per month (default 5,000). */
  monthlyAbove?: number;
  /** Rewrite every file even when the folder holds an up-to-date export of it. */
  full?: boolean;
}

export interface ExportReport {
  /** One line for notifications and logs. */
  summary: string;
  format: ExportFormat;
  outDir: string;
  /** The page to open first: index.html for HTML, else the folder. */
  entry: string;
  channels: number;
  /** The channel files (pages, months) of this export, in order; index.html and media/ aside. */
  files: string[];
  /** Files (pages or channel files) written this time, and those left as they were. */
  filesWritten: number;
  filesUnchanged: number;
  messages: number;
  /** Media files copied (copy mode), and those already present from an earlier export. */
  mediaCopied: number;
  mediaBytes: number;
  /** Media the vault does not hold (never downloaded, skipped or failed): left as Discord's URL. */
  mediaMissing: number;
  durationMs: number;
}
