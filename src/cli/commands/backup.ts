import { backupGuild } from '../../core/jobs/backup';
import { requireGuildId, stringOption } from '../args';
import type { CliCommand } from '../command';
import { ExitCode } from '../exitCodes';
import { ARCHIVE_OPTIONS, archiveOptions, describeSyncReport } from './archiveOptions';

export const backupCommand: CliCommand = {
  name: 'backup',
  summary: 'Back up a server: a structure snapshot, then every message and file the bot can read.',
  usage: 'backup <server-id> [--label TEXT] [--recheck-days N] [--concurrency N] [--max-file-mb MB] [--no-media] [--json]',
  description:
    'Takes a structure snapshot (roles, channels, overwrites, bans...) and brings the message archive up to date: ' +
    'the first run walks every channel and thread back to its first message, later runs fetch only what is new ' +
    '(and re-read the recheck window). Media is downloaded into the vault\'s content-addressed pool.\n\n' +
    'Safe to interrupt (Ctrl+C, or a killed process): the next run continues where this one stopped. ' +
    'Exits 1 when some channel failed (see the report); unreadable channels are reported, not failures.',
  usesDiscord: true,
  usesVault: true,
  options: {
    label: { type: 'string', valueName: 'TEXT', description: 'Label for the structure snapshot.' },
    ...ARCHIVE_OPTIONS,
  },
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'backup');
    const report = await backupGuild(ctx.vaultStore(), ctx.client(), guildId, { ...archiveOptions(args), label: stringOption(args, 'label') }, ctx.job());
    ctx.progress.done();
    if (args.values.json) {
      ctx.out(JSON.stringify(report, null, 2));
    } else {
      ctx.out(report.snapshot ? `Snapshot #${report.snapshot.id}: +${report.snapshot.summary.created} ~${report.snapshot.summary.changed} -${report.snapshot.summary.deleted}` : `Snapshot not taken: ${report.snapshotError}`);
      for (const line of describeSyncReport(report.archive)) ctx.out(line);
      ctx.out(`Vault: ${report.vaultDir}`);
    }
    return report.archive.failed.length > 0 || report.snapshotError ? ExitCode.failure : ExitCode.ok;
  },
};
