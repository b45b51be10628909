import { checkHealth, renderHealthDocument } from '../../core/snapshots';
import { requireGuildId } from '../args';
import type { CliCommand } from '../command';
import { ExitCode } from '../exitCodes';
import { formatUtc } from '../../core/text';

export const healthCommand: CliCommand = {
  name: 'health',
  summary: 'Show which permissions and intents the bot lacks in a server, and what each costs the backup.',
  usage: 'health <server-id> [--json]',
  description:
    'Reads the bot\'s roles, the channel overwrites and what Discord sends, and lists every missing ' +
    'permission or intent with what it costs (e.g. "no BAN_MEMBERS: bans are not backed up") and how to fix it.\n\n' +
    'Exits 0 when nothing is an error, 1 when something that stops messages or channels from being backed up is missing.',
  usesDiscord: true,
  options: {
    json: { type: 'boolean', description: 'Print the report as JSON.' },
  },
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'health');
    const report = await checkHealth(ctx.client(), guildId, { signal: ctx.signal });
    ctx.out(args.values.json ? JSON.stringify(report, null, 2) : renderHealthDocument(report, formatUtc(new Date())).trimEnd());
    return report.problems.some((problem) => problem.severity === 'error') ? ExitCode.failure : ExitCode.ok;
  },
};

