/**
 * The read-only documents Guild Vault opens, and their `guildvault:` URIs.
 * A URI's path says what to render; its last segment is the file name VS Code
 * shows on the tab. Kept free of `vscode` so the round trip is unit-tested.
 *
 *   /<guildId>/snapshot/<id>/<title>.txt
 *   /<guildId>/snapshot/<id>/<section>/<title>.txt    (one section, for the multi-file diff)
 *   /<guildId>/live/<key>/<title>.txt            (a live capture held in memory)
 *   /<guildId>/transcript/<channelId>/<month|all>/<title>.txt   ?aliases=1
 *   /<guildId>/health/<key>/<title>.txt          (a health report held in memory)
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
  const file = `${safeFileName(ref.title)}.txt`;
  switch (ref.kind) {
    case 'snapshot':
      return { path: `/${ref.guildId}/snapshot/${ref.snapshotId}/${ref.section ? `${safeFileName(ref.section)}/` : ''}${file}`, query: '' };
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
  const title = (segments[segments.length - 1] ?? '').replace(/\.txt$/, '');
  if (!guildId || !/^\d+$/.test(guildId)) return undefined;
  if (kind === 'snapshot' && (segments.length === 4 || segments.length === 5) && /^\d+$/.test(segments[2]!)) {
    const ref: DocumentRef = { kind, guildId, snapshotId: Number(segments[2]), title };
    if (segments.length === 5) ref.section = segments[3];
    return ref;
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
      return 'plaintext';
  }
}
