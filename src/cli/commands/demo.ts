import { listBotGuilds, verifyToken } from '../../core/connect';
import { backupGuild } from '../../core/jobs/backup';
import { DEMO_BOT_NAME, startEmulator } from '../../emulator';
import { integerOption } from '../args';
import type { CliCommand } from '../command';
import { ExitCode } from '../exitCodes';
import { describeSyncReport } from './archiveOptions';
import { cliInvocation, shellQuote } from '../invocation';
import { formatChangeSummary } from '../../core/text';

/** The seed of the demo world: the same demo server (same ids) on every run, so a second run is incremental. */
export const DEMO_SEED = 2024;

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'Start the built-in Discord emulator and back up its demo server into a vault.',
  usage: 'demo [--vault DIR] [--seed N] [--json]',
  description:
    'No bot or token needed: starts the project\'s Discord emulator on 127.0.0.1 (with Discord\'s rate limits), ' +
    'checks its bot token, lists the bot\'s servers, then backs up the demo server "Guild Vault Demo" ' +
    '(a structure snapshot, every message and media file) into a vault under --vault, and prints what it did.\n\n' +
    'Run it twice: the second run takes a new snapshot and fetches only what is new.',
  usesVault: true,
  options: {
    seed: { type: 'string', valueName: 'N', description: `Seed of the generated world (default ${DEMO_SEED}); another seed is another demo server.` },
    json: { type: 'boolean', description: 'Print the backup report as JSON on stdout.' },
  },
  async run(ctx, args) {
    const seed = integerOption(args, 'seed', DEMO_SEED)!;
    ctx.err('Starting the Discord emulator...');
    const emulator = await startEmulator({ seed, size: 'demo', botName: DEMO_BOT_NAME });
    try {
      const client = ctx.client({ token: emulator.token, apiBaseUrl: emulator.apiBaseUrl, cdnBaseUrl: emulator.cdnBaseUrl });
      ctx.err(`Emulator listening at ${emulator.apiBaseUrl}`);
      const bot = await verifyToken(client, { signal: ctx.signal });
      const guilds = await listBotGuilds(client, { signal: ctx.signal });
      const guildId = emulator.guildIds[0]!;
      const demo = guilds.find((guild) => guild.id === guildId);
      ctx.err(`Token checked: bot "${bot.username}" is in ${guilds.map((guild) => `"${guild.name}"`).join(', ')}`);
      ctx.err(`Backing up "${demo?.name ?? guildId}" (${guildId}) into ${ctx.vaultStore().dirFor(guildId)}`);
      const report = await backupGuild(
        ctx.vaultStore(),
        client,
        guildId,
        {
          concurrency: 4,
          recheckDays: 7,
          mediaSizeCapBytes: 50 * 1024 * 1024,
          downloadMedia: true,
        },
        ctx.job(),
      );
      const closing = ctx.progress.done();
      if (args.values.json) {
        ctx.out(JSON.stringify(report, null, 2));
      } else {
        ctx.out(`Backed up "${demo?.name ?? guildId}" (${guildId}) from the emulator${closing ? `: ${closing}` : ''}.`);
        ctx.out(
          report.snapshot
            ? `Structure snapshot #${report.snapshot.id}: ${formatChangeSummary(report.snapshot.summary, { words: true })}`
            : `No structure snapshot: ${report.snapshotError}`,
        );
        for (const line of describeSyncReport(report.archive)) ctx.out(line);
        ctx.out(`Vault: ${report.vaultDir}`);
        ctx.out('');
        // Commands that work as printed: the way this one was started (`node dist/cli.js` in a clone).
        const self = cliInvocation(ctx.io.cwd);
        const vault = shellQuote(ctx.vaultDir);
        ctx.out('Look around:');
        ctx.out(`  ${self} snapshots list ${guildId} --vault ${vault}`);
        ctx.out(`  ${self} verify ${guildId} --vault ${vault}`);
        ctx.out(`  ${self} demo --vault ${vault}   (again: a new snapshot, and only new messages are fetched)`);
      }
      return report.archive.failed.length > 0 || report.snapshotError ? ExitCode.failure : ExitCode.ok;
    } finally {
      await emulator.close();
    }
  },
};
