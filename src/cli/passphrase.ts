import { BundleError } from '../core/bundle';
import type { CliContext } from './context';
import { askSecretOnTerminal } from './terminalQuestions';

/**
 * The passphrase of an encrypted bundle or snapshot export: GUILD_VAULT_PASSPHRASE, or typed on
 * the terminal (twice for a new one). Never a flag, which would leak into shell history and `ps`.
 */
export async function passphraseFor(ctx: CliContext, purpose: 'new' | 'existing'): Promise<string> {
  const fromEnv = ctx.io.env.GUILD_VAULT_PASSPHRASE;
  if (fromEnv) return ctx.keepSecret(fromEnv);
  const first = await askSecretOnTerminal(ctx, purpose === 'new' ? 'New passphrase: ' : 'Passphrase: ');
  if (first === undefined) {
    throw new BundleError('BUNDLE_PASSPHRASE', 'A passphrase is needed, and there is no terminal to ask for it on.', 'Set GUILD_VAULT_PASSPHRASE (a passphrase is never taken as a flag).');
  }
  if (!first) throw new BundleError('BUNDLE_PASSPHRASE', 'The passphrase is empty.', 'Type a passphrase, or set GUILD_VAULT_PASSPHRASE.');
  if (purpose === 'new') {
    const again = await askSecretOnTerminal(ctx, 'Repeat the passphrase: ');
    if (again !== first) throw new BundleError('BUNDLE_PASSPHRASE', 'The two passphrases differ.', 'Run it again and type the same passphrase twice.');
  }
  return ctx.keepSecret(first);
}
