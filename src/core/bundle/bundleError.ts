import { GuildVaultError, type ErrorCode } from '../errors';

type BundleErrorCode = Extract<ErrorCode, `BUNDLE_${string}`>;

/** A bundle or sealed file that cannot be read as written: each code names which (front ends and exit codes branch on it). */
export class BundleError extends GuildVaultError {
  constructor(code: BundleErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(code, message, hint, options);
  }
}
