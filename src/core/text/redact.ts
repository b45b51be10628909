/**
 * The one redactor: keeps bot tokens, webhook tokens and passphrases out of
 * everything Guild Vault shows or writes (CLI output and errors, the VS Code
 * log channel and notifications, job errors, DiscordApiError messages).
 *
 * Secrets it was told about (the tokens connected in this session, a
 * passphrase typed or taken from the environment) are replaced wherever they
 * appear, also URL- or JSON-escaped and broken across lines; anything shaped
 * like a secret is replaced too, so an error message quoting a token nobody
 * registered (another bot's, one pasted into a channel name) is caught.
 */
export const REDACTED = '[redacted]';

/**
 * A Discord bot token: base64 of the bot's user id, a base64 timestamp and an
 * HMAC, joined by dots (about 24.6.27-38 characters). A line break inside it
 * (a wrapped log line) does not hide it.
 */
const TOKEN_CHAR = String.raw`(?:[A-Za-z0-9_-]|\r?\n)`;
const TOKEN_SHAPE = new RegExp(String.raw`(?<![A-Za-z0-9_-])[A-Za-z0-9_-]${TOKEN_CHAR}{19,}\.${TOKEN_CHAR}{5,}\.${TOKEN_CHAR}{19,}[A-Za-z0-9_-]`, 'g');
/** An Authorization header's credentials, written as a header ("Authorization: Bot x"), in JSON or as a bare "Bot x". */
const AUTH_FIELD = /(authorization["']?\s*[:=]\s*["']?)(?:(?:Bot|Bearer)\s+)?[^\s"',;}]+/gi;
const AUTH_SCHEME = /\b(Bot|Bearer)\s+[A-Za-z0-9._-]{16,}/g;
/** Webhook and interaction tokens are the last part of their URLs: /webhooks/ID/TOKEN, /interactions/ID/TOKEN. */
const URL_TOKEN = /(\/(?:webhooks|interactions)\/\d+\/)[A-Za-z0-9._~%-]+/g;

/** Secrets shorter than this are not remembered: they would redact ordinary words. */
const MIN_SECRET_LENGTH = 6;

/**
 * `text` without any of `secrets` and without anything token-shaped. For a
 * long-lived set of secrets (a session's tokens), keep a Redactor.
 */
export function redactSecrets(text: string, secrets: Iterable<string> = []): string {
  let result = text;
  for (const secret of secrets) result = removeSecret(result, secret);
  return redactTokenShapes(result);
}

/** Webhook and interaction tokens in a URL or route replaced by `replacement` (routes use ":token", as route templates do). */
export function redactUrlTokens(text: string, replacement = REDACTED): string {
  return text.replace(URL_TOKEN, `$1${replacement}`);
}

function redactTokenShapes(text: string): string {
  return redactUrlTokens(text)
    .replace(AUTH_FIELD, (_match, field: string) => `${field}${REDACTED}`)
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
    .replace(TOKEN_SHAPE, REDACTED);
}

function removeSecret(text: string, secret: string): string {
  if (secret.length < MIN_SECRET_LENGTH) return text;
  let result = text;
  for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) result = result.split(form).join(REDACTED);
  // Broken across lines (a wrapped log line, a terminal's width): line breaks between its characters.
  if (/[\r\n]/.test(result)) result = result.replace(brokenAcrossLines(secret), REDACTED);
  return result;
}

function brokenAcrossLines(secret: string): RegExp {
  return new RegExp([...secret].map((char) => char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(String.raw`(?:\r?\n[ \t]*)?`), 'g');
}

/** The secrets of a session (connected tokens, a passphrase), redacted from every text given to it. */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remembers a secret; returns it (so `const pass = redactor.add(read())` reads naturally). */
  add(secret: string): string {
    if (secret.length >= MIN_SECRET_LENGTH) this.secrets.add(secret);
    return secret;
  }

  delete(secret: string): void {
    this.secrets.delete(secret);
  }

  redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }
}
