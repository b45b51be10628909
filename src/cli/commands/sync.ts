import { syncArchive } from '../../core/archive';
import { withGuildVault } from '../../core/jobs/guildVaultJob';
import { requireGuildId } from '../args';
import type { CliCommand } from '../command';
import { ExitCode } from '../exitCodes';
import { ARCHIVE_OPTIONS, archiveOptions, describeSyncReport } from './archiveOptions';

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: 'Bring a server\'s message archive up to date (no structure snapshot).',
  usage: 'sync <server-id> [--recheck-days N] [--concurrency N] [--max-file-mb MB] [--no-media] [--json]',
  description:
    'Fetches what is new in every readable channel and thread (only messages after the newest archived one; ' +
    'channels Discord reports unchanged cost no request), re-reads the recheck window for edits, deletions and ' +
    'reactions, and downloads media. Resumes an interrupted first backup. Exits 1 when some channel failed.',
  usesDiscord: true,
  usesVault: true,
  options: ARCHIVE_OPTIONS,
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'sync');
    const options = archiveOptions(args);
    const client = ctx.client();
    const job = ctx.job();
    const report = await withGuildVault(ctx.vaultStore(), client, guildId, { purpose: 'sync' }, job, (vault) => syncArchive(vault, client, guildId, options, job));
    ctx.progress.done();
    if (args.values.json) ctx.out(JSON.stringify(report, null, 2));
    else for (const line of describeSyncReport(report)) ctx.out(line);
    return report.failed.length > 0 ? ExitCode.failure : ExitCode.ok;
  },
};
