import { GuildVaultError } from '../errors';
import { plural } from '../text';

/** Real tokens are about 70 characters; anything this long is a pasted file, not a token. */
const MAX_TOKEN_LENGTH = 512;

/**
 * Why `token` (without the "Bot " prefix) cannot be a bot token, or undefined
 * when it could be one. Discord's tokens are base64url parts joined by dots:
 * printable ASCII without spaces. Anything else is refused before it is sent:
 * a CR or LF would end up in an HTTP header, non-ASCII text makes the request
 * fail deep inside the HTTP library, and a 100,000-character "token" is a
 * paste gone wrong.
 */
export function tokenShapeProblem(token: string): string | undefined {
  if (!token) return 'The token is empty.';
  if (token.length > MAX_TOKEN_LENGTH) return `The token is ${plural(token.length, 'character')} long; a bot token has about 70.`;
  if (/[\r\n]/.test(token)) return 'The token contains a line break.';
  if (/\s/.test(token)) return 'The token contains a space.';
  // eslint-disable-next-line no-control-regex
  if (/[^\x21-\x7e]/.test(token)) return 'The token contains characters a bot token never has (only letters, digits, "-", "_" and "." occur).';
  return undefined;
}

/**
 * The token as entered (spaces around it and a "Bot " prefix removed), or
 * INVALID_TOKEN naming what is wrong with it. Used by every front end and by
 * DiscordClient itself, so a token that cannot be one is refused the same way
 * everywhere, at once, and never reaches a request.
 */
export function cleanBotToken(entered: string | undefined): string {
  const token = (entered ?? '').trim().replace(/^Bot\s+/i, '');
  const problem = tokenShapeProblem(token);
  if (problem) {
    throw new GuildVaultError(
      'INVALID_TOKEN',
      `${problem} It cannot be a Discord bot token.`,
      'Copy the token again from the Discord Developer Portal (your application > Bot > Reset Token), without anything around it.',
    );
  }
  return token;
}
