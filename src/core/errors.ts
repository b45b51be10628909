/**
 * Every failure a user can act on is a GuildVaultError: a stable `code` that
 * front ends branch on, a message naming the cause, and a `hint` naming the fix.
 * Messages never contain the bot token.
 */
export type ErrorCode =
  // vault
  | 'VAULT_LOCKED'
  | 'VAULT_NOT_A_VAULT'
  | 'VAULT_TOO_NEW'
  | 'VAULT_OUTDATED'
  | 'VAULT_CORRUPT'
  | 'VAULT_NOT_WRITABLE'
  | 'VAULT_NOT_FOUND'
  | 'VAULT_EXISTS'
  // bundles and sealed files
  | 'BUNDLE_NOT_A_BUNDLE'
  | 'BUNDLE_DAMAGED'
  | 'BUNDLE_TRUNCATED'
  | 'BUNDLE_WRONG_PASSPHRASE'
  | 'BUNDLE_PASSPHRASE'
  | 'BUNDLE_CHAIN_BROKEN'
  | 'BUNDLE_UNSUPPORTED'
  // discord
  | 'INVALID_TOKEN'
  | 'MISSING_ACCESS'
  | 'MISSING_PERMISSION'
  | 'UNKNOWN_RESOURCE'
  | 'RATE_LIMITED'
  | 'API_UNREACHABLE'
  | 'API_ERROR'
  | 'BAD_REQUEST'
  // jobs
  | 'CANCELLED'
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'UNSUPPORTED_RUNTIME'
  | 'WORKER_DIED';

export class GuildVaultError extends Error {
  override readonly name = 'GuildVaultError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** What the user should do about it. */
    readonly hint: string = '',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Message and hint as one line, for logs, CLIs and notifications. */
  describe(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }
}

export function isGuildVaultError(error: unknown, code?: ErrorCode): error is GuildVaultError {
  return error instanceof GuildVaultError && (code === undefined || error.code === code);
}

/** The one cancellation error; `cause`: the error the abort surfaced as, kept for the debug log. */
export function cancelled(cause?: unknown): GuildVaultError {
  return new GuildVaultError('CANCELLED', 'The job was cancelled.', 'Everything done before the cancel is kept; run it again to continue.', cause === undefined ? undefined : { cause });
}

/** One line for any error, for logs and front ends. */
export function describeError(error: unknown): string {
  if (error instanceof GuildVaultError) return error.describe();
  if (error instanceof Error) return error.message;
  return String(error);
}
