import { checkGuildAccess } from '../../core/connect';
import { isSnowflake } from '../../core/discord';
import { GuildVaultError } from '../../core/errors';
import { describeMigrationPlan, describeMigrationReport, migrateMessages, planMigration, type MigrateOptions } from '../../core/migrate';
import { DEFAULTS } from '../../core/defaults';
import { guildIdOption, rangeAndDefault, rangedIntegerOption, stringOption, usageError } from '../args';
import type { CliCommand, ParsedArgs } from '../command';
import { ExitCode } from '../exitCodes';

function requiredGuildIdOption(args: ParsedArgs, name: string): string {
  const id = guildIdOption(args, name);
  if (id === undefined) throw usageError(`Missing --${name} SERVER_ID.`, 'guild-vault migrate --from SOURCE_ID --to TARGET_ID; "guild-vault servers" lists the bot\'s servers.');
  return id;
}

function dateOption(args: ParsedArgs, name: string): Date | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(date.getTime())) throw usageError(`--${name} "${text}" is not a date.`, 'Use a date like 2024-05-01 (UTC midnight) or a full ISO time like 2024-05-01T12:00:00Z.');
  return date;
}

function channelsOption(args: ParsedArgs): string[] | undefined {
  const text = stringOption(args, 'channels');
  if (text === undefined) return undefined;
  const ids = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = ids.find((id) => !isSnowflake(id));
  if (bad !== undefined || ids.length === 0) throw usageError(`--channels: "${bad ?? text}" is not a channel id.`, 'Give comma-separated channel ids; --dry-run lists the archived channels with their ids.');
  return ids;
}

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: "Replay a server's archived messages into another server through webhooks (after restoring its structure there).",
  usage: 'migrate --from SERVER_ID --to SERVER_ID [--channels ID,...] [--since DATE] [--until DATE] [--aliases] [--concurrency N] [--dry-run] [--json]',
  description:
    "Posts the messages archived in the --from server's vault into the --to server, channel by channel, in their original order, " +
    "through a webhook the tool makes in each target channel (named \"Guild Vault Shuttle\", reused by later runs). Each message " +
    "shows its author's name and avatar (with --aliases their privacy alias and a generated avatar), its original time in a compact " +
    'first line, its files (re-uploaded from the media pool within the target\'s upload limit; larger files become a note), the embeds ' +
    'its author wrote, and for replies a link to the migrated message answered. Mentions are rewritten to the target\'s roles and channels ' +
    'or to plain names and ping nobody; messages are sent silently. Threads and forum posts are recreated, pins re-pinned. The target ' +
    'must have the structure: run "guild-vault restore --snapshot N --from SOURCE --to TARGET" first. Every message sent is recorded at once: ' +
    'a run that stops (Ctrl+C, crash, kill) continues where it stopped and sends nothing twice. Exits 1 when a message could not go (the report says which and why).',
  usesDiscord: true,
  usesVault: true,
  options: {
    from: { type: 'string', valueName: 'SERVER_ID', description: 'The server whose vault holds the archive.' },
    to: { type: 'string', valueName: 'SERVER_ID', description: 'The server to post the messages into.' },
    channels: { type: 'string', valueName: 'IDS', description: 'Only these source channels or threads (comma-separated ids); a channel brings its threads.' },
    since: { type: 'string', valueName: 'DATE', description: 'Only messages sent at or after this date (2024-05-01 or an ISO time).' },
    until: { type: 'string', valueName: 'DATE', description: 'Only messages sent before this date.' },
    aliases: { type: 'boolean', description: 'Post authors as their privacy alias with a generated avatar.' },
    concurrency: { type: 'string', valueName: 'N', description: `Channels migrated at the same time (${rangeAndDefault(DEFAULTS.migrationConcurrency)}).` },
    'dry-run': { type: 'boolean', description: 'Print the plan (channels, counts, files, time) and send nothing.' },
    json: { type: 'boolean', description: 'Print the plan (and the report) as JSON.' },
  },
  async run(ctx, args) {
    const sourceGuildId = requiredGuildIdOption(args, 'from');
    const targetGuildId = requiredGuildIdOption(args, 'to');
    const concurrency = rangedIntegerOption(args, 'concurrency', DEFAULTS.migrationConcurrency);
    const since = dateOption(args, 'since');
    const until = dateOption(args, 'until');
    if (since && until && since >= until) throw usageError('--since must be before --until.', 'Swap the two dates.');
    const channelIds = channelsOption(args);
    const store = ctx.vaultStore();
    if (!store.has(sourceGuildId)) {
      throw new GuildVaultError('VAULT_NOT_FOUND', `There is no vault for server ${sourceGuildId} in ${store.root}.`, 'Back up that server first (guild-vault backup), or point --vault at the folder that holds its vault.');
    }
    const client = ctx.client();
    await checkGuildAccess(client, targetGuildId, { signal: ctx.signal });
    const dryRun = args.values['dry-run'] === true;
    const job = ctx.job();
    const options: MigrateOptions = { targetGuildId, channelIds, since, until, aliases: args.values.aliases === true, concurrency };
    const vault = store.open(sourceGuildId, { mode: dryRun ? 'read' : 'write', purpose: 'migrate' });
    try {
      if (dryRun) {
        const { plan } = await planMigration(vault, client, options, job);
        if (args.values.json) ctx.out(JSON.stringify(plan, null, 2));
        else for (const line of describeMigrationPlan(plan)) ctx.out(line);
        return;
      }
      const setup = await planMigration(vault, client, options, job);
      const { plan } = setup;
      if (!args.values.json) for (const line of describeMigrationPlan(plan)) ctx.out(line);
      if (plan.channels.length > 0 && plan.channels.every((c) => c.problem)) {
        throw new GuildVaultError('NOT_FOUND', plan.problems[0] ?? 'No channel can be migrated.', 'See the plan above for each channel\'s reason.');
      }
      const report = await migrateMessages(vault, client, { ...options, planned: setup }, job);
      if (args.values.json) ctx.out(JSON.stringify({ plan, report }, null, 2));
      else for (const line of describeMigrationReport(report)) ctx.out(line);
      return report.failed.length > 0 ? ExitCode.failure : ExitCode.ok;
    } finally {
      vault.close();
    }
  },
};
