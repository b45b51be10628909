/**
 * Discord signs attachment URLs (`ex`, `is`, `hm` query parameters) and the
 * signature expires. The URL without them names the file for good: that is what
 * the vault records as a file's source.
 */
const SIGNATURE_PARAMS = ['ex', 'is', 'hm'];

/**
 * A signed URL exactly as Discord writes it (lower-case host, no default port,
 * no dot segments (not even %2e ones), only the three signature parameters): for these, what URL
 * parsing would return is the text before `?`. Parsing costs about 2% of a
 * sync's thread (it runs for every attachment); anything else is parsed.
 */
const PLAIN_SIGNED_URL = /^(?![^?]*%2[eE])(https?:\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::(?!(?:80|443)[/?])[1-9]\d{0,4})?(?:(?:\/[\w~%-]+(?:\.[\w~%-]+)*)+\/?|\/))\?ex=[0-9a-f]+&is=[0-9a-f]+&hm=[0-9a-f]+&?$/;

export function stripSignature(url: string): string {
  // Most URLs carry no query at all: skip parsing them.
  if (!url.includes('?')) return url;
  const plain = PLAIN_SIGNED_URL.exec(url);
  if (plain) return plain[1]!;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  for (const name of SIGNATURE_PARAMS) parsed.searchParams.delete(name);
  // URL keeps a dangling '?' when the last parameter is removed.
  return parsed.search ? parsed.toString() : parsed.toString().replace(/\?$/, '');
}

/**
 * Whether a signed URL's signature has expired (`ex`, hex seconds), or will
 * within `marginMs`: downloading it would only earn a 404. False for URLs
 * without a signature (they do not expire).
 */
export function signatureExpired(url: string, now = Date.now(), marginMs = 60_000): boolean {
  const match = /[?&]ex=([0-9a-f]+)(?:&|$)/i.exec(url);
  return match !== null && parseInt(match[1]!, 16) * 1000 <= now + marginMs;
}
