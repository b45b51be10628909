import { listBotGuilds } from '../../core/connect';
import { describeError, GuildVaultError, isGuildVaultError } from '../../core/errors';
import { backupGuild, type BackupReport } from '../../core/jobs/backup';
import { requireGuildId, stringOption, usageError } from '../args';
import type { CliContext } from '../context';
import type { CliCommand } from '../command';
import { ExitCode } from '../exitCodes';
import { ARCHIVE_OPTIONS, archiveOptions, describeSyncReport } from './archiveOptions';
import { formatChangeSummary, formatCount, partOf, plural } from '../../core/text';

export const backupCommand: CliCommand = {
  name: 'backup',
  summary: 'Back up a server: a structure snapshot, then every message and file the bot can read.',
  usage: [
    'backup <server-id> [--label TEXT] [--recheck-days N] [--concurrency N] [--max-file-mb MB] [--no-media] [--json]',
    'backup --all [--label TEXT] [...]',
  ],
  description:
    'Takes a structure snapshot (roles, channels, overwrites, bans...) and brings the message archive up to date: ' +
    'the first run walks every channel and thread back to its first message, later runs fetch only what is new ' +
    '(and re-read the recheck window). Media is downloaded into the vault\'s content-addressed pool.\n\n' +
    'Safe to interrupt (Ctrl+C, or a killed process): the next run continues where this one stopped. ' +
    'Exits 1 when some channel failed (see the report); unreadable channels are reported, not failures.\n\n' +
    '--all backs up every server the bot is in, one after the other (for cron: ' +
    '`0 */6 * * * DISCORD_TOKEN=... guild-vault backup --all --vault ~/guild-vaults`). A server that fails is ' +
    'reported and the others still run; the exit code is 1 if any failed.',
  usesDiscord: true,
  usesVault: true,
  options: {
    label: { type: 'string', valueName: 'TEXT', description: 'Label for the structure snapshot.' },
    all: { type: 'boolean', description: 'Back up every server the bot is in.' },
    ...ARCHIVE_OPTIONS,
  },
  async run(ctx, args) {
    if (args.values.all) {
      if (args.positionals.length > 0) throw usageError('Give a server id or --all, not both.', 'guild-vault backup --all');
      return backupAll(ctx, args);
    }
    const guildId = requireGuildId(args, 0, 'backup');
    const report = await backupGuild(ctx.vaultStore(), ctx.client(), guildId, { ...archiveOptions(args), label: stringOption(args, 'label') }, ctx.job());
    ctx.progress.done();
    if (args.values.json) {
      ctx.out(JSON.stringify(report, null, 2));
    } else {
      ctx.out(report.snapshot ? `Snapshot #${report.snapshot.id}: ${formatChangeSummary(report.snapshot.summary)}` : `Snapshot not taken: ${report.snapshotError}`);
      for (const line of describeSyncReport(report.archive)) ctx.out(line);
      ctx.out(`Vault: ${report.vaultDir}`);
    }
    return report.archive.failed.length > 0 || report.snapshotError ? ExitCode.failure : ExitCode.ok;
  },
};

/** Errors that stop every server's backup, not just one: the token or the API itself. */
function stopsEverything(error: unknown): boolean {
  return isGuildVaultError(error, 'CANCELLED') || isGuildVaultError(error, 'INVALID_TOKEN') || isGuildVaultError(error, 'API_UNREACHABLE');
}

async function backupAll(ctx: CliContext, args: Parameters<NonNullable<typeof backupCommand.run>>[1]): Promise<number> {
  const client = ctx.client();
  const guilds = await listBotGuilds(client, { signal: ctx.signal });
  if (guilds.length === 0) throw new GuildVaultError('NOT_FOUND', 'The bot is in no server.', 'Invite it to a server first (guild-vault servers shows where it is).');
  const results: { id: string; name: string; report?: BackupReport; error?: string }[] = [];
  for (const [index, guild] of guilds.entries()) {
    ctx.err(`[${formatCount(index + 1)}/${formatCount(guilds.length)}] Backing up "${guild.name}" (${guild.id})`);
    try {
      const report = await backupGuild(ctx.vaultStore(), client, guild.id, { ...archiveOptions(args), label: stringOption(args, 'label'), kind: 'automatic' }, ctx.job());
      ctx.progress.done();
      results.push({ id: guild.id, name: guild.name, report });
      if (!args.values.json) ctx.out(`${guild.name} (${guild.id}): ${report.summary}`);
    } catch (error) {
      ctx.progress.done();
      if (stopsEverything(error)) throw error;
      results.push({ id: guild.id, name: guild.name, error: describeError(error) });
      if (!args.values.json) ctx.out(`${guild.name} (${guild.id}): FAILED: ${describeError(error)}`);
    }
  }
  const failed = results.filter((result) => result.error || result.report?.archive.failed.length || result.report?.snapshotError);
  if (args.values.json) ctx.out(JSON.stringify(results, null, 2));
  else ctx.out(`Backed up ${partOf(results.length - failed.length, guilds.length, 'server')}${failed.length ? `; with failures: ${failed.map((result) => result.name).join(', ')}` : ''}.`);
  return failed.length > 0 ? ExitCode.failure : ExitCode.ok;
}
