/**
 * File names made from what Discord sends (channel names, attachment names).
 * A name is untrusted: "../../x", "con", "a/b\\c", control characters, 300
 * characters of emoji. What comes out is one path segment, never hidden, never
 * reserved on Windows, short enough for every file system, and unique because the
 * caller adds the object's id.
 */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
const MAX_STEM = 60;
/**
 * File systems count a name's bytes (ext4, APFS: 255 of UTF-8), not its
 * characters: 60 letters of a "fancy font" (𝓰𝓮𝓷, 4 bytes each) are 240 bytes
 * before the id and extension. 120 leaves room for "-" + a 64-digit hash + ".ext".
 */
const MAX_STEM_BYTES = 120;

/** A readable, safe stem: letters and digits of any script kept, the rest folded to '-'. */
export function safeStem(name: string, fallback = 'file'): string {
  let stem = name
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[^\p{L}\p{N}\p{M}_.-]+/gu, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  // Cut by code points, never inside a surrogate pair, to both limits.
  const points = Array.from(stem).slice(0, MAX_STEM);
  while (Buffer.byteLength(points.join(''), 'utf8') > MAX_STEM_BYTES) points.pop();
  if (points.join('') !== stem) stem = points.join('').replace(/[-.]+$/, '');
  if (!stem || WINDOWS_RESERVED.test(stem.split('.')[0]!)) stem = stem ? `${fallback}-${stem}` : fallback;
  return stem;
}

/** "general-850183682437021696" (+ ".2025-05") + extension: one segment, unique by id. */
export function channelFileName(name: string, channelId: string, extension: string, month?: string): string {
  if (!/^\d{1,20}$/.test(channelId)) throw new Error(`Not a channel id: ${channelId}`);
  return `${safeStem(name, 'channel')}-${channelId}${month ? `.${month}` : ''}.${extension}`;
}

/**
 * A media file's name in the export, as DiscordChatExporter names them:
 * "name-ABCDE.ext", five upper-case hex digits of the content hash before the
 * extension (DCE-frontend reads them), so equal files share one name.
 */
export function mediaFileName(originalName: string, sha256: string): string {
  const dot = originalName.lastIndexOf('.');
  const rawExt = dot > 0 ? originalName.slice(dot + 1) : '';
  const ext = /^[a-z0-9]{1,8}$/i.test(rawExt) ? rawExt.toLowerCase() : 'bin';
  const stem = safeStem(dot > 0 ? originalName.slice(0, dot) : originalName, 'file').replace(/\./g, '-');
  return `${stem}-${sha256.slice(0, 5).toUpperCase()}.${ext}`;
}

/** The file name a save dialog suggests for a server's bundle: "My-Server-2026-11-30.gvbundle". */
export function bundleFileName(serverName: string, day: Date): string {
  return `${safeStem(serverName, 'server')}-${day.toISOString().slice(0, 10)}.gvbundle`;
}
