import { GuildVaultError } from '../core/errors';

/** Exit codes scripts can rely on; `guild-vault --help` and the README list them. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 3,
  vault: 4,
  cancelled: 130,
} as const;

export const EXIT_CODE_HELP = `Exit codes:
  0    success
  1    failure (network, Discord errors, anything else)
  2    usage error (unknown command or option, missing argument)
  3    token or access problem (DISCORD_TOKEN missing or rejected, bot lacks access or permission)
  4    vault locked by another process, not a vault, too new, not writable or already there;
       a bundle that is not one, damaged, truncated, of a broken chain, or a wrong passphrase
  130  cancelled (Ctrl+C)`;

/** Which exit code an error ends the process with. */
export function exitCodeFor(error: unknown): number {
  if (!(error instanceof GuildVaultError)) return ExitCode.failure;
  switch (error.code) {
    case 'INVALID_ARGUMENT':
      return ExitCode.usage;
    case 'INVALID_TOKEN':
    case 'MISSING_ACCESS':
    case 'MISSING_PERMISSION':
      return ExitCode.auth;
    case 'VAULT_LOCKED':
    case 'VAULT_NOT_A_VAULT':
    case 'VAULT_TOO_NEW':
    case 'VAULT_OUTDATED':
    case 'VAULT_CORRUPT':
    case 'VAULT_NOT_WRITABLE':
    case 'VAULT_NOT_FOUND':
    case 'VAULT_EXISTS':
    case 'BUNDLE_NOT_A_BUNDLE':
    case 'BUNDLE_DAMAGED':
    case 'BUNDLE_TRUNCATED':
    case 'BUNDLE_WRONG_PASSPHRASE':
    case 'BUNDLE_CHAIN_BROKEN':
    case 'BUNDLE_UNSUPPORTED':
      return ExitCode.vault;
    case 'BUNDLE_PASSPHRASE':
      return ExitCode.usage;
    case 'CANCELLED':
      return ExitCode.cancelled;
    default:
      return ExitCode.failure;
  }
}
