/**
 * The read-only documents Guild Vault opens, and their `guildvault:` URIs.
 * A URI's path says what to render; its last segment is the name VS Code shows
 * on the tab (no ".txt": these are not text files, and each kind has its own
 * language). Kept free of `vscode` so the round trip is unit-tested.
 *
 *   /<guildId>/snapshot/<id>/<title>
 *   /<guildId>/section/<section>/<title>?snapshot=<id>   (one section; the same path for every
 *                                     snapshot, so a multi-file diff shows it as modified, not renamed)
 *   /<guildId>/live/<key>/<title>            (a live capture held in memory)
 *   /<guildId>/transcript/<channelId>/<month|all>/<title>   ?aliases=1
 *   /<guildId>/health/<key>/<title>          (a health report held in memory)
 */
export const GUILD_VAULT_SCHEME = 'guildvault';

export type DocumentRef =
  | { kind: 'snapshot'; guildId: string; snapshotId: number; section?: string; title: string }
  | { kind: 'live'; guildId: string; key: string; title: string }
  | { kind: 'transcript'; guildId: string; channelId: string; month?: string; aliases: boolean; title: string }
  | { kind: 'health'; guildId: string; key: string; title: string };

export interface DocumentLocation {
  path: string;
  query: string;
}

export function documentLocation(ref: DocumentRef): DocumentLocation {
  const file = safeFileName(ref.title);
  switch (ref.kind) {
    case 'snapshot':
      if (ref.section) return { path: `/${ref.guildId}/section/${safeFileName(ref.section)}/${file}`, query: `snapshot=${ref.snapshotId}` };
      return { path: `/${ref.guildId}/snapshot/${ref.snapshotId}/${file}`, query: '' };
    case 'live':
      return { path: `/${ref.guildId}/live/${ref.key}/${file}`, query: '' };
    case 'health':
      return { path: `/${ref.guildId}/health/${ref.key}/${file}`, query: '' };
    case 'transcript':
      return { path: `/${ref.guildId}/transcript/${ref.channelId}/${ref.month ?? 'all'}/${file}`, query: ref.aliases ? 'aliases=1' : '' };
  }
}

export function parseDocumentLocation(location: DocumentLocation): DocumentRef | undefined {
  const segments = location.path.split('/').filter(Boolean);
  const [guildId, kind] = segments;
  const title = segments[segments.length - 1] ?? '';
  if (!guildId || !/^\d+$/.test(guildId)) return undefined;
  if (kind === 'snapshot' && segments.length === 4 && /^\d+$/.test(segments[2]!)) {
    return { kind, guildId, snapshotId: Number(segments[2]), title };
  }
  if (kind === 'section' && segments.length === 4) {
    const snapshotId = new URLSearchParams(location.query).get('snapshot') ?? '';
    if (!/^\d+$/.test(snapshotId)) return undefined;
    return { kind: 'snapshot', guildId, snapshotId: Number(snapshotId), section: segments[2], title };
  }
  if ((kind === 'live' || kind === 'health') && segments.length === 4) {
    return { kind, guildId, key: segments[2]!, title };
  }
  if (kind === 'transcript' && segments.length === 5) {
    const aliases = new URLSearchParams(location.query).get('aliases') === '1';
    const ref: DocumentRef = { kind, guildId, channelId: segments[2]!, aliases, title };
    if (segments[3] !== 'all') ref.month = segments[3];
    return ref;
  }
  return undefined;
}

/** Titles become file names: no path separators or characters editors trip on. */
export function safeFileName(title: string): string {
  const cleaned = title.replace(/[/\\?%*:|"<>\u0000-\u001f]/g, '-').trim();
  return cleaned || 'untitled';
}

/** The language (syntax colouring) each kind of document gets; package.json contributes both. */
export function languageOf(ref: DocumentRef): string {
  switch (ref.kind) {
    case 'snapshot':
    case 'live':
      return 'guildvault-snapshot';
    case 'transcript':
      return 'guildvault-transcript';
    case 'health':
      return 'guildvault-health';
  }
}
