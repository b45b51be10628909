/**
 * Keeps bot tokens out of everything Guild Vault writes to the log. Known
 * tokens (the ones connected in this session) are replaced wherever they
 * appear; anything shaped like a Discord bot token is replaced too, in case
 * an error message quotes one we never saw.
 */
const TOKEN_SHAPE = /[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{20,}/g;
const AUTH_HEADER = /\b(Bot|Bearer)\s+[A-Za-z0-9._-]{16,}/g;
export const REDACTED = '[redacted token]';

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remembers a secret to redact (short strings are ignored: they would redact ordinary words). */
  add(secret: string): void {
    if (secret.length >= 8) this.secrets.add(secret);
  }

  delete(secret: string): void {
    this.secrets.delete(secret);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join(REDACTED);
    return result.replace(AUTH_HEADER, `$1 ${REDACTED}`).replace(TOKEN_SHAPE, REDACTED);
  }
}
