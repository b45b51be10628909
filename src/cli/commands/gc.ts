import { MediaPool } from '../../core/media';
import { requireGuildId } from '../args';
import type { CliCommand } from '../command';
import { formatBytes, plural } from '../../core/text';

export const gcCommand: CliCommand = {
  name: 'gc',
  summary: 'Remove media files nothing in a vault refers to any more.',
  usage: 'gc <server-id> [--json]',
  description:
    'Deletes files of the media pool that no message, avatar, emoji, sticker or snapshot refers to (for example ' +
    'after snapshots were pruned), and files left behind by an interrupted download. Takes the vault\'s write lock.',
  usesVault: true,
  options: {
    json: { type: 'boolean', description: 'Print the report as JSON.' },
  },
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'gc');
    const vault = ctx.vaultStore().open(guildId, { mode: 'write', purpose: 'gc' });
    try {
      const report = new MediaPool(vault).collectGarbage(ctx.job());
      ctx.progress.done();
      if (args.values.json) ctx.out(JSON.stringify(report, null, 2));
      else ctx.out(`Removed ${plural(report.removedFiles, 'unreferenced file')} (${formatBytes(report.removedBytes)}) and ${plural(report.strayFiles, 'stray file')}.`);
    } finally {
      vault.close();
    }
  },
};
