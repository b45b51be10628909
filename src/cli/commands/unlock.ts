import * as path from 'node:path';
import { GuildVaultError } from '../../core/errors';
import { breakLock, describeOwner, inspectLock, LOCK_FILE } from '../../core/vault';
import { requireGuildId } from '../args';
import type { CliCommand } from '../command';

export const unlockCommand: CliCommand = {
  name: 'unlock',
  summary: 'Remove a vault lock left behind by a job that is gone (shows its owner first).',
  usage: 'unlock <server-id> [--force]',
  description:
    'A backup holds its vault\'s lock while it writes. A lock whose process died on this machine is taken over by ' +
    'the next job on its own; this command is for the rest: a lock written by another machine (a vault on a shared ' +
    'drive) or one that cannot be read. It prints the lock\'s owner and removes it when that owner is gone; a lock ' +
    'whose owner still runs is refused unless --force (two writers at once would corrupt the vault).',
  usesVault: true,
  options: {
    force: { type: 'boolean', description: 'Remove the lock even if its owner looks alive.' },
  },
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'unlock');
    const store = ctx.vaultStore();
    if (!store.has(guildId)) throw new GuildVaultError('VAULT_NOT_FOUND', `There is no vault for server ${guildId} in ${ctx.vaultDir}.`, 'Check the server id and --vault.');
    const lockPath = path.join(store.dirFor(guildId), LOCK_FILE);
    const found = inspectLock(lockPath);
    if (found.state === 'free') {
      ctx.out(`The vault of server ${guildId} is not locked.`);
      return;
    }
    ctx.err(found.state === 'unreadable' ? `Lock: unreadable, written ${Math.round(found.ageMs / 1000)} s ago.` : `Lock: held by ${describeOwner(found.owner)}${found.state === 'stale' ? ' (no longer running)' : ''}.`);
    breakLock(lockPath, { force: args.values.force === true });
    ctx.out(`Unlocked the vault of server ${guildId}.`);
  },
};
