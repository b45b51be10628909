/**
 * Which URLs Guild Vault downloads from. Attachment, embed and sticker URLs
 * come from Discord's answers, which carry what strangers wrote (an embed
 * points wherever a link pointed): fetching any URL would let a message make
 * the backup machine request hosts on its own network (127.0.0.1, a router,
 * a cloud metadata address) and store what they answer. So only Discord's
 * media hosts are fetched, over https:
 * - the configured CDN and media proxy (the base URLs the client was given),
 * - the hosts Discord serves attachments and proxied embed media from
 *   (cdn.discordapp.com, media.discordapp.net, images-ext-N.discordapp.net).
 * Plain http is accepted only under a configured base URL on this machine
 * (the emulator). Everything else is recorded as not downloaded, with why.
 */
const DISCORD_MEDIA_HOSTS = [/^cdn\.discordapp\.com$/, /^media\.discordapp\.net$/, /^images-ext-\d+\.discordapp\.net$/];
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface MediaHosts {
  /** The CDN the client uses ('https://cdn.discordapp.com', or the emulator's). */
  cdnBaseUrl: string;
  /** Discord's media proxy ('https://media.discordapp.net', or a configured one). */
  mediaProxyBaseUrl?: string;
}

export class MediaUrlPolicy {
  private readonly bases: URL[];

  constructor(hosts: MediaHosts) {
    this.bases = [hosts.cdnBaseUrl, hosts.mediaProxyBaseUrl].flatMap((base) => (base ? [parse(base.replace(/\/*$/, '/'))] : [])).filter((url): url is URL => !!url);
  }

  /** Why `url` is not downloaded, or undefined when it may be. */
  problem(url: string): string | undefined {
    const parsed = parse(url);
    if (!parsed) return 'not a valid URL';
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `a ${parsed.protocol} URL, not a web address`;
    if (parsed.username || parsed.password) return 'a URL with credentials in it';
    const base = this.bases.find((candidate) => candidate.origin === parsed.origin && parsed.pathname.startsWith(candidate.pathname));
    if (base) return base.protocol === 'https:' || LOOPBACK_HOSTS.has(base.hostname) ? undefined : `plain http to ${base.host}; only a local emulator may be reached without https`;
    if (!DISCORD_MEDIA_HOSTS.some((host) => host.test(parsed.hostname)) || parsed.port !== '') return `${parsed.host} is not one of Discord's media hosts`;
    if (parsed.protocol !== 'https:') return `plain http to ${parsed.host}; Discord's media hosts are reached over https only`;
    return undefined;
  }

  /** Whether a redirect from `from` to `to` may be followed: same host (and port and scheme), and the target allowed itself. */
  redirectProblem(from: string, to: string): string | undefined {
    const source = parse(from);
    const target = parse(to);
    if (!source || !target) return 'a redirect to an invalid URL';
    if (target.origin !== source.origin) return `a redirect to another host (${target.protocol}//${target.host})`;
    return this.problem(to);
  }
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
