import { GuildVaultError } from '../errors';

/**
 * A write that failed because the disk (or the user's quota) is full: the
 * file system's ENOSPC/EDQUOT, or SQLite's SQLITE_FULL ("database or disk is
 * full"). Looks through `cause` chains, where wrappers keep the original.
 */
export function isDiskFull(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === 'object' && !seen.has(current); current = (current as { cause?: unknown }).cause) {
    seen.add(current);
    if (current instanceof GuildVaultError) return current.code === 'DISK_FULL';
    const { code, errcode, message } = current as { code?: unknown; errcode?: unknown; message?: unknown };
    if (code === 'ENOSPC' || code === 'EDQUOT' || errcode === 13) return true;
    if (typeof message === 'string' && /database or disk is full|SQLITE_FULL|ENOSPC|no space left on device/i.test(message)) return true;
  }
  return false;
}

/** The error a user reads: the disk is full, which folder, and that nothing saved so far is lost. */
export function diskFullError(dir: string, cause: unknown): GuildVaultError {
  if (cause instanceof GuildVaultError && cause.code === 'DISK_FULL') return cause;
  return new GuildVaultError(
    'DISK_FULL',
    `The disk holding the vault folder ${dir} is full.`,
    'Free some space on that disk (or move the vault folder: --vault, or the guildVault.vaultDirectory setting) and run it again; everything saved before it filled up is kept.',
    { cause },
  );
}

/** Rethrows a disk-full failure as DISK_FULL naming `dir`; any other error unchanged. */
export function orDiskFull(error: unknown, dir: string): unknown {
  return isDiskFull(error) ? diskFullError(dir, error) : error;
}
