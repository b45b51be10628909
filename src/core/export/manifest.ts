import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * What the last export into a folder wrote: per file, the stamp of what it
 * showed. The next export into the same folder rewrites only files whose stamp
 * changed (new, edited, deleted or re-pinned messages, renamed people or
 * channels, other options) and removes files it wrote before that are no longer
 * part of the export.
 */
export const MANIFEST_FILE = '.guild-vault-export.json';
const VERSION = 1;

export interface ExportManifest {
  version: number;
  guildId: string;
  format: string;
  files: Record<string, string>;
  /** Media files under media/: name -> "sha256:mtime" of the content, so the next export can trust an unchanged file without reading it. */
  media?: Record<string, string>;
}

export function readManifest(outDir: string, guildId: string, format: string): ExportManifest {
  const empty: ExportManifest = { version: VERSION, guildId, format, files: {} };
  let parsed: Partial<ExportManifest>;
  try {
    parsed = JSON.parse(fs.readFileSync(path.join(outDir, MANIFEST_FILE), 'utf8')) as Partial<ExportManifest>;
  } catch {
    return empty;
  }
  if (parsed.version !== VERSION || parsed.guildId !== guildId || parsed.format !== format || typeof parsed.files !== 'object' || !parsed.files) return empty;
  return { version: VERSION, guildId, format, files: { ...parsed.files } };
}

/** The media names an earlier export into this folder recorded (whatever its server or format: they describe files on disk). */
export function readMediaNames(outDir: string): Record<string, string> {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(outDir, MANIFEST_FILE), 'utf8')) as Partial<ExportManifest>;
    if (parsed.version !== VERSION || typeof parsed.media !== 'object' || !parsed.media) return {};
    return Object.fromEntries(Object.entries(parsed.media).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}

export function writeManifest(outDir: string, manifest: ExportManifest): void {
  const file = path.join(outDir, MANIFEST_FILE);
  fs.writeFileSync(`${file}.partial`, JSON.stringify(manifest, null, 1));
  fs.renameSync(`${file}.partial`, file);
}
